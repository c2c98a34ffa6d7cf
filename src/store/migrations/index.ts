// The schema, as one ordered list of steps applied on both engines. Each engine's runner
// (src/store/sqlite/migrations.ts, src/store/postgres/migrations.ts: they differ in how they
// lock) applies the steps a database lacks and records them in `schema_migrations`.
//
// The steps shipped before the store was written once were written per engine and numbered apart
// (SQLite 1 to 5, PostgreSQL 1 and 2, reaching the same tables): they stay as they are, in
// shipped/, so that every existing database opens and upgrades. Every new step goes to `steps`
// below, with its SQL for each engine, and a version above every shipped one on both.
// Append at the end; never edit a step that has shipped.
import type {Engine} from '../dialect.js';
import {initialSchema as postgresInitial} from './shipped/postgresql-1-initial.js';
import {loginFailuresMigration as postgresLoginFailures} from './shipped/postgresql-2-login-throttling.js';
import {initialSchema as sqliteInitial} from './shipped/sqlite-1-initial.js';
import {groupsMigration} from './shipped/sqlite-2-groups.js';
import {tenantsMigration} from './shipped/sqlite-3-tenants.js';
import {sessionsMigration} from './shipped/sqlite-4-sessions.js';
import {loginFailuresMigration as sqliteLoginFailures} from './shipped/sqlite-5-login-throttling.js';
import {ldapConfigsStep} from './6-ldap-configs.js';
import {outboxStep} from './7-outbox.js';
import {samlStep} from './8-saml.js';
import {externalAuthStep} from './9-external-auth.js';

/** One step as an engine's runner applies it. */
export interface Migration {
  /** Strictly increasing; recorded in `schema_migrations` once applied. */
  version: number;
  name: string;
  /** One or more statements. */
  sql: string;
}

/** A step written once: the same change, in each engine's SQL (see docs/store.md). */
export interface Step {
  version: number;
  name: string;
  sql: Record<Engine, string>;
}

const shipped: Record<Engine, readonly Migration[]> = {
  sqlite: [sqliteInitial, groupsMigration, tenantsMigration, sessionsMigration, sqliteLoginFailures],
  postgresql: [postgresInitial, postgresLoginFailures],
};

/** The steps since the store was written once; versions from 6 on. */
export const steps: readonly Step[] = [ldapConfigsStep, outboxStep, samlStep, externalAuthStep];

/** Every step of `engine`, oldest first. */
export function migrationsFor(engine: Engine): readonly Migration[] {
  return [...shipped[engine], ...steps.map(({version, name, sql}) => ({version, name, sql: sql[engine]}))];
}

/** Throws unless versions strictly increase. */
export function checkOrder(list: readonly Migration[]): void {
  list.forEach((step, index) => {
    const previous = list[index - 1];
    if (!Number.isInteger(step.version) || (previous && step.version <= previous.version)) {
      throw new Error(`migration versions must be increasing integers (at "${step.name}")`);
    }
  });
}

// Applies the schema's steps (src/store/migrations) to a PostgreSQL database under an advisory
// lock, so that daemons starting together never race.
import type pg from 'pg';
import type {AppliedStep, SchemaStatus} from '../schema-status.js';
import {checkOrder, migrationsFor, type Migration} from '../migrations/index.js';

export type {Migration} from '../migrations/index.js';

export const migrations = migrationsFor('postgresql');

/** First key of the advisory lock: "wa"; the second is the schema's hash, so schemas migrate apart. */
const LOCK_CLASS = 0x7761;

async function appliedSteps(client: pg.ClientBase): Promise<AppliedStep[]> {
  const exists = await client.query<{found: string | null}>("SELECT to_regclass('schema_migrations')::text AS found");
  if (!exists.rows[0]?.found) return [];
  const result = await client.query<AppliedStep>('SELECT version, name, applied_at AS "appliedAt" FROM schema_migrations ORDER BY version');
  return result.rows;
}

/** Refuses a schema that a newer program has migrated further than this one knows. */
export function refuseNewer({applied, known}: Pick<SchemaStatus, 'applied' | 'known'>): void {
  const newest = applied.at(-1)?.version;
  if (newest !== undefined && newest > known) {
    throw new Error(`the database schema is at version ${newest}, newer than this program knows (${known}): upgrade wazo-auth`);
  }
}

/**
 * Applies the steps of `list` not yet recorded, each in its own transaction, while holding the
 * schema's advisory lock (a daemon starting meanwhile waits, then finds nothing to do); returns
 * the versions applied. `client` is a connection of its own, without statement timeout: a
 * long step must not be cut, nor the wait for another daemon's.
 */
export async function migrate(client: pg.ClientBase, list: readonly Migration[] = migrations): Promise<number[]> {
  await client.query('SELECT pg_advisory_lock($1, hashtext(current_schema()))', [LOCK_CLASS]);
  try {
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at bigint NOT NULL
    )`);
    const status = await migrationStatus(client, list);
    refuseNewer(status);
    const missing = new Set(status.pending.map((step) => step.version));
    const applied: number[] = [];
    for (const step of list) {
      if (!missing.has(step.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(step.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, extract(epoch FROM now())::bigint)', [
          step.version,
          step.name,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${step.version} (${step.name}) failed: ${(error as Error).message}`, {cause: error});
      }
      applied.push(step.version);
    }
    return applied;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1, hashtext(current_schema()))', [LOCK_CLASS]);
  }
}

/** Which steps the database has (a newer program's included), and which of `list` it lacks; changes nothing. */
export async function migrationStatus(client: pg.ClientBase, list: readonly Migration[] = migrations): Promise<SchemaStatus> {
  checkOrder(list);
  const applied = await appliedSteps(client);
  const done = new Set(applied.map((step) => step.version));
  const pending = list.filter((step) => !done.has(step.version)).map(({version, name}) => ({version, name}));
  return {applied, pending, known: list.at(-1)?.version ?? 0};
}

// The SQLite schema as an ordered list of steps, and the runner that applies the missing ones.
// Append new steps at the end; never edit one that has shipped.
import type {SchemaStatus} from '../schema-status.js';
import type {Db} from './database.js';
import {groupsMigration} from './migrations/groups.js';
import {ldapConfigsMigration} from './migrations/ldap-configs.js';
import {loginFailuresMigration} from './migrations/login-failures.js';
import {outboxMigration} from './migrations/outbox.js';
import {sessionsMigration} from './migrations/sessions.js';
import {tenantsMigration} from './migrations/tenants.js';

export interface Migration {
  /** Strictly increasing; recorded in `schema_migrations` once applied. */
  version: number;
  name: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE tenants (
        uuid TEXT PRIMARY KEY,
        name TEXT,
        slug TEXT NOT NULL UNIQUE,
        -- the top tenant is its own parent
        parent_uuid TEXT NOT NULL REFERENCES tenants (uuid),
        contact_uuid TEXT REFERENCES users (uuid) ON DELETE SET NULL,
        phone TEXT,
        address_line_1 TEXT,
        address_line_2 TEXT,
        address_city TEXT,
        address_state TEXT,
        address_country TEXT,
        address_zip_code TEXT
      );
      CREATE INDEX tenants_parent ON tenants (parent_uuid);

      CREATE TABLE tenant_domains (
        name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
        tenant_uuid TEXT NOT NULL REFERENCES tenants (uuid) ON DELETE CASCADE
      );
      CREATE INDEX tenant_domains_tenant ON tenant_domains (tenant_uuid);

      CREATE TABLE users (
        uuid TEXT PRIMARY KEY,
        tenant_uuid TEXT NOT NULL REFERENCES tenants (uuid) ON DELETE CASCADE,
        username TEXT,
        -- lower-cased by the application (Unicode-aware, unlike SQLite's lower())
        username_key TEXT UNIQUE,
        firstname TEXT,
        lastname TEXT,
        purpose TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        authentication_method TEXT NOT NULL DEFAULT 'default',
        password_hash TEXT,
        created_at INTEGER NOT NULL DEFAULT (unixepoch())
      );
      CREATE INDEX users_tenant ON users (tenant_uuid);

      CREATE TABLE emails (
        uuid TEXT PRIMARY KEY,
        user_uuid TEXT NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
        address TEXT NOT NULL,
        address_key TEXT NOT NULL UNIQUE,
        main INTEGER NOT NULL DEFAULT 0,
        confirmed INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX emails_user ON emails (user_uuid);

      CREATE TABLE policies (
        uuid TEXT PRIMARY KEY,
        tenant_uuid TEXT NOT NULL REFERENCES tenants (uuid) ON DELETE CASCADE,
        name TEXT NOT NULL,
        -- slugs are ASCII ([a-zA-Z0-9_-]) and unique regardless of case, as upstream's lower(slug) index
        slug TEXT NOT NULL COLLATE NOCASE,
        description TEXT,
        acl TEXT NOT NULL DEFAULT '[]',
        shared INTEGER NOT NULL DEFAULT 0,
        config_managed INTEGER NOT NULL DEFAULT 0,
        UNIQUE (tenant_uuid, name),
        UNIQUE (tenant_uuid, slug)
      );

      CREATE TABLE user_policies (
        user_uuid TEXT NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
        policy_uuid TEXT NOT NULL REFERENCES policies (uuid) ON DELETE CASCADE,
        PRIMARY KEY (user_uuid, policy_uuid)
      );
      CREATE INDEX user_policies_policy ON user_policies (policy_uuid);

      -- No foreign keys to users or tenants: a session may belong to an identity the daemon
      -- does not store; users.delete removes a user's sessions explicitly.
      CREATE TABLE sessions (
        uuid TEXT PRIMARY KEY,
        tenant_uuid TEXT NOT NULL,
        user_uuid TEXT NOT NULL,
        mobile INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX sessions_user ON sessions (user_uuid);

      CREATE TABLE tokens (
        digest TEXT PRIMARY KEY,
        session_uuid TEXT NOT NULL REFERENCES sessions (uuid) ON DELETE CASCADE,
        auth_id TEXT NOT NULL,
        pbx_user_uuid TEXT,
        xivo_uuid TEXT NOT NULL,
        issued_t INTEGER NOT NULL,
        expire_t INTEGER NOT NULL,
        acl TEXT NOT NULL,
        metadata TEXT NOT NULL,
        user_agent TEXT NOT NULL,
        remote_addr TEXT NOT NULL,
        -- no foreign key: deleting a refresh token leaves the tokens it produced alone
        refresh_token_uuid TEXT
      );
      CREATE INDEX tokens_session ON tokens (session_uuid);
      CREATE INDEX tokens_expire ON tokens (expire_t);
      CREATE INDEX tokens_refresh_token ON tokens (refresh_token_uuid);

      CREATE TABLE refresh_tokens (
        uuid TEXT PRIMARY KEY,
        digest TEXT NOT NULL UNIQUE,
        client_id TEXT NOT NULL,
        user_uuid TEXT NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
        backend TEXT NOT NULL,
        login TEXT NOT NULL,
        user_agent TEXT NOT NULL,
        remote_addr TEXT NOT NULL,
        mobile INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        UNIQUE (user_uuid, client_id)
      );

      CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
  groupsMigration,
  tenantsMigration,
  sessionsMigration,
  loginFailuresMigration,
  ldapConfigsMigration,
  outboxMigration,
];

/**
 * Applies the steps of `list` not yet recorded, each in its own immediate transaction (so two
 * daemons opening one file at once cannot both apply a step); returns the versions applied.
 */
export function migrate(db: Db, list: readonly Migration[] = migrations): number[] {
  list.forEach((step, index) => {
    const previous = list[index - 1];
    if (!Number.isInteger(step.version) || (previous && step.version <= previous.version)) {
      throw new Error(`migration versions must be increasing integers (at "${step.name}")`);
    }
  });

  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const newest = db.prepare<[], {version: number | null}>('SELECT max(version) AS version FROM schema_migrations').get();
  const known = list.at(-1)?.version ?? 0;
  if (newest?.version != null && newest.version > known) {
    throw new Error(
      `the database schema is at version ${newest.version}, newer than this program knows (${known}): upgrade wazo-auth`,
    );
  }

  const isApplied = db.prepare<[number], 1>('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  const record = db.prepare<[number, string, number]>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  const apply = db.transaction((step: Migration): boolean => {
    // Checked inside the write lock: another process may have applied it since.
    if (isApplied.get(step.version) !== undefined) return false;
    db.exec(step.sql);
    record.run(step.version, step.name, Math.floor(Date.now() / 1000));
    return true;
  });

  const applied: number[] = [];
  for (const step of list) {
    if (apply.immediate(step)) applied.push(step.version);
  }
  return applied;
}

/** Which steps the file has (a newer program's included), and which of `list` it lacks; changes nothing. */
export function migrationStatus(db: Db, list: readonly Migration[] = migrations): SchemaStatus {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  const applied = exists
    ? db.prepare<[], {version: number; name: string; appliedAt: number}>(
        'SELECT version, name, applied_at AS appliedAt FROM schema_migrations ORDER BY version',
      ).all()
    : [];
  const done = new Set(applied.map((step) => step.version));
  const pending = list.filter((step) => !done.has(step.version)).map(({version, name}) => ({version, name}));
  return {applied, pending, known: list.at(-1)?.version ?? 0};
}

// Applies the schema's steps (src/store/migrations) to an SQLite file: each step in an immediate
// transaction, so that two processes opening one file at once cannot both apply it.
import type {SchemaStatus} from '../schema-status.js';
import type {Db} from './database.js';
import {checkOrder, migrationsFor, type Migration} from '../migrations/index.js';

export type {Migration} from '../migrations/index.js';

export const migrations = migrationsFor('sqlite');

/**
 * Applies the steps of `list` not yet recorded, each in its own immediate transaction (so two
 * daemons opening one file at once cannot both apply a step); returns the versions applied.
 */
export function migrate(db: Db, list: readonly Migration[] = migrations): number[] {
  checkOrder(list);

  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const newest = db.prepare<[], {version: number | null}>('SELECT max(version) AS version FROM schema_migrations').get();
  const known = list.at(-1)?.version ?? 0;
  if (newest?.version != null && newest.version > known) {
    throw new Error(`the database schema is at version ${newest.version}, newer than this program knows (${known}): upgrade wazo-auth`);
  }

  const isApplied = db.prepare<[number], 1>('SELECT 1 FROM schema_migrations WHERE version = ?').pluck();
  const record = db.prepare<[number, string, number]>('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
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
    ? db
        .prepare<[], {version: number; name: string; appliedAt: number}>(
          'SELECT version, name, applied_at AS appliedAt FROM schema_migrations ORDER BY version',
        )
        .all()
    : [];
  const done = new Set(applied.map((step) => step.version));
  const pending = list.filter((step) => !done.has(step.version)).map(({version, name}) => ({version, name}));
  return {applied, pending, known: list.at(-1)?.version ?? 0};
}

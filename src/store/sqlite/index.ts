// The embedded SQLite store: one file (WAL mode), migrated when opened.
import {existsSync} from 'node:fs';
import Database from 'better-sqlite3';
import type {Store} from '../store.js';
import {lockDatabase} from './daemon-lock.js';
import {forKysely, openDatabase} from './database.js';
import {SqliteDialect} from 'kysely';
import {storeContext} from '../atomic.js';
import {sqliteDialect} from '../dialect.js';
import {createEntityStores} from '../entities.js';
import {assertUpToDate, type SchemaStatus} from '../schema-status.js';
import {migrate, migrations, migrationStatus} from './migrations.js';
import {createTokenCache} from './token-cache.js';
import {createBulkLoader, type BulkLoader} from '../bulk-load.js';

/**
 * Opens (creating it if need be) the database at `path`, or a private one for ':memory:'; without
 * `migrate`, a schema that lacks steps is refused instead of brought up to date.
 */
export async function openSqliteStore(path: string, options: {migrate?: boolean} = {}): Promise<Store> {
  const db = openDatabase(path);
  try {
    if (options.migrate === false) assertUpToDate(migrationStatus(db));
    migrate(db);
    const context = storeContext(new SqliteDialect({database: forKysely(db)}), sqliteDialect);
    return {
      ...createEntityStores(context, createTokenCache(db)),
      async close(): Promise<void> {
        if (!db.open) return;
        // Keeps the query planner's statistics fresh at little cost, as SQLite recommends.
        db.pragma('optimize');
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Applies the missing migrations to the file at `path` (created if need be); returns the versions
 * applied. Not under a running daemon, which would go on with a schema it does not know: it
 * migrates the file itself when it starts. DatabaseInUse then.
 */
export function migrateSqlite(path: string): number[] {
  const db = openDatabase(path);
  try {
    // Nothing to write, only the refusal of a schema newer than this program: no lock needed.
    if (migrationStatus(db).pending.length === 0) return migrate(db);
    const lock = lockDatabase(path);
    try {
      return migrate(db);
    } finally {
      lock.release();
    }
  } finally {
    db.close();
  }
}

/** The schema steps of the file at `path`, read only: a missing file has none. */
export function sqliteMigrationStatus(path: string): SchemaStatus {
  if (!existsSync(path)) {
    return {applied: [], pending: migrations.map(({version, name}) => ({version, name})), known: migrations.at(-1)?.version ?? 0};
  }
  const db = new Database(path, {readonly: true, fileMustExist: true});
  try {
    return migrationStatus(db);
  } finally {
    db.close();
  }
}

/** The file at `path`, migrated, for a bulk load: held like a daemon holds it, so that none runs on it meanwhile. */
export function openSqliteLoader(path: string): BulkLoader & {close(): Promise<void>} {
  const lock = lockDatabase(path);
  const db = openDatabase(path);
  try {
    migrate(db);
  } catch (error) {
    db.close();
    lock.release();
    throw error;
  }
  const context = storeContext(new SqliteDialect({database: forKysely(db)}), sqliteDialect);
  return {
    ...createBulkLoader(context),
    async close() {
      if (db.open) db.close();
      lock.release();
    },
  };
}

// Opens the store a `db_uri` names: an SQLite file, or a PostgreSQL database shared by any number
// of daemons. Also what `wazo-auth db migrate|status` ask of either.

import {makeFolders} from '../file-modes.js';
import {dirname} from 'node:path';
import {parseDbUri} from '../config/database.js';
import {ConfigError} from '../config/errors.js';
import type {IdleErrorHandler} from './postgres/index.js';
import type {SchemaStatus} from './schema-status.js';
import {DatabaseInUse, lockDatabase} from './sqlite/daemon-lock.js';
import {openSqliteLoader, openSqliteStore, sqliteMigrationStatus, migrateSqlite} from './sqlite/index.js';
import type {BulkLoader} from './bulk-load.js';
import {StoreUnavailable} from '../domain/errors.js';
import {type Store} from './store.js';

/** The part of the configuration that says which database, and how to use it (the db_* keys). */
export interface StoreConfig {
  db_uri: string;
  db_pool_size: number;
  db_statement_timeout_ms: number;
}

// The PostgreSQL store, loaded by reach() when db_uri names PostgreSQL: with pg, it would cost
// every SQLite daemon's start about 90 ms.
type PostgresStore = typeof import('./postgres/index.js');

function settings(config: StoreConfig) {
  return {poolSize: config.db_pool_size, statementTimeoutMs: config.db_statement_timeout_ms};
}

/**
 * Runs `body` against the configured database. A database that cannot be reached is a
 * StoreUnavailable, a database that refuses the settings or the schema a ConfigError; neither
 * message holds the password of db_uri.
 */
async function reach<T>(
  config: StoreConfig,
  sqlite: (path: string) => Promise<T>,
  postgresql: (connectionString: string, postgres: PostgresStore) => Promise<T>,
): Promise<T> {
  const where = parseDbUri(config.db_uri);
  if (where.engine === 'sqlite') {
    try {
      makeFolders(dirname(where.path), 0o700);
      return await sqlite(where.path);
    } catch (error) {
      if (error instanceof DatabaseInUse) throw error;
      throw new ConfigError(`db_uri: cannot open ${where.path} (${(error as Error).message})`);
    }
  }
  const postgres = await import('./postgres/index.js');
  try {
    return await postgresql(where.connectionString, postgres);
  } catch (error) {
    if (error instanceof StoreUnavailable || postgres.isUnavailable(error)) {
      throw error instanceof StoreUnavailable ? error : new StoreUnavailable(`the database is unavailable (${(error as Error).message})`);
    }
    throw new ConfigError(`db_uri: cannot use the PostgreSQL database (${(error as Error).message})`);
  }
}

/**
 * `daemon`: the store of a daemon, which on SQLite must be the only one: a second daemon on the
 * same file would serve tokens from its memory that the first has revoked. DatabaseInUse then.
 */
export function openStore(config: StoreConfig, onIdleError?: IdleErrorHandler, options: {daemon?: boolean; migrate?: boolean} = {}): Promise<Store> {
  const migrate = {migrate: options.migrate};
  return reach(
    config,
    (path) => (options.daemon ? openDaemonSqliteStore(path, migrate) : openSqliteStore(path, migrate)),
    (uri, postgres) => postgres.openPostgresStore(uri, settings(config), onIdleError, migrate),
  );
}

async function openDaemonSqliteStore(path: string, options: {migrate?: boolean}): Promise<Store> {
  const lock = lockDatabase(path);
  try {
    const store = await openSqliteStore(path, options);
    return {
      ...store,
      async close() {
        await store.close();
        lock.release();
      },
    };
  } catch (error) {
    lock.release();
    throw error;
  }
}

/** Applies the missing schema steps; returns the versions applied. */
export function migrateStore(config: StoreConfig): Promise<number[]> {
  return reach(
    config,
    async (path) => migrateSqlite(path),
    (uri, postgres) => postgres.migratePostgres(uri, settings(config)),
  );
}

export function storeMigrationStatus(config: StoreConfig): Promise<SchemaStatus> {
  return reach(
    config,
    async (path) => sqliteMigrationStatus(path),
    (uri, postgres) => postgres.postgresMigrationStatus(uri, settings(config)),
  );
}

export type OpenBulkLoader = BulkLoader & {engine: 'sqlite' | 'postgresql'; close(): Promise<void>};

/**
 * The configured database, migrated, for `wazo-auth db import`: on SQLite held as a daemon holds
 * it (DatabaseInUse while one runs). The caller closes it.
 */
export function openBulkLoader(config: StoreConfig): Promise<OpenBulkLoader> {
  return reach<OpenBulkLoader>(
    config,
    async (path) => ({...openSqliteLoader(path), engine: 'sqlite' as const}),
    async (uri, postgres) => ({...(await postgres.openPostgresLoader(uri, settings(config))), engine: 'postgresql' as const}),
  );
}

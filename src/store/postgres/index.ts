// The PostgreSQL store: any number of daemons share one database, none keeps state another needs.
// The schema is migrated when the store opens, under an advisory lock.
import type {Store} from '../store.js';
import {Database, type PostgresSettings} from './database.js';
import {PostgresDialect} from 'kysely';
import {storeContext} from '../atomic.js';
import {postgresDialect} from '../dialect.js';
import {createEntityStores} from '../entities.js';
import {assertUpToDate, type SchemaStatus} from '../schema-status.js';
import {migrate, migrationStatus, refuseNewer} from './migrations.js';
import {TokenLookup} from './token-lookup.js';
import {createBulkLoader, type BulkLoader} from '../bulk-load.js';

export type {PostgresSettings} from './database.js';
export {isUnavailable} from './database.js';

/** Called with the error of a pooled connection lost while idle (the pool replaces it). */
export type IdleErrorHandler = (error: Error) => void;

/** Runs `body` on a connection of its own, ended afterwards. */
async function alone<T>(db: Database, body: (client: Awaited<ReturnType<Database['connectAlone']>>) => Promise<T>): Promise<T> {
  const client = await db.connectAlone();
  try {
    return await body(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Applies the missing migrations; returns the versions applied. */
export async function migratePostgres(uri: string, settings: PostgresSettings): Promise<number[]> {
  const db = new Database(uri, settings, () => undefined);
  try {
    return await alone(db, (client) => migrate(client));
  } finally {
    await db.close();
  }
}

export async function postgresMigrationStatus(uri: string, settings: PostgresSettings): Promise<SchemaStatus> {
  const db = new Database(uri, settings, () => undefined);
  try {
    return await alone(db, (client) => migrationStatus(client));
  } finally {
    await db.close();
  }
}

/** Without `migrate`, a schema that lacks steps is refused instead of brought up to date. */
export async function openPostgresStore(
  uri: string,
  settings: PostgresSettings,
  onIdleError: IdleErrorHandler = () => undefined,
  options: {migrate?: boolean} = {},
): Promise<Store> {
  const db = new Database(uri, settings, onIdleError);
  try {
    // Read on a pooled connection, which the store keeps: a daemon starting on a schema already up
    // to date opens no connection of its own. Only missing steps take the lock, on one.
    const status = await db.withClient((client) => migrationStatus(client));
    if (options.migrate === false) assertUpToDate(status);
    else if (status.pending.length > 0) await alone(db, (client) => migrate(client));
    else refuseNewer(status);
  } catch (error) {
    await db.close();
    throw error;
  }
  // One connection at most for the token checks: logins and administration always find another.
  const lookup = new TokenLookup(db);
  const context = storeContext(new PostgresDialect({pool: db.kyselyPool()}), postgresDialect);
  return {
    ...createEntityStores(context, lookup),
    close: () => db.close(),
  };
}

/** The database, migrated, for a bulk load: one connection (the load is one transaction). */
export async function openPostgresLoader(uri: string, settings: PostgresSettings): Promise<BulkLoader & {close(): Promise<void>}> {
  const db = new Database(uri, {...settings, poolSize: 1}, () => undefined);
  try {
    await alone(db, (client) => migrate(client));
  } catch (error) {
    await db.close();
    throw error;
  }
  const context = storeContext(new PostgresDialect({pool: db.kyselyPool()}), postgresDialect);
  return {...createBulkLoader(context), close: () => db.close()};
}

// PostgreSQL for the tests: the database named by WAZO_AUTH_TEST_PG_URI (.ci/run creates a fresh
// one per run), a schema of its own for every store or daemon a test opens: a new one, or one
// migrated and emptied after another test (migratedSchema).
import {randomBytes} from 'node:crypto';
import pg from 'pg';
import {migratePostgres, openPostgresStore} from '../../src/store/postgres/index.js';
import type {Store} from '../../src/store/store.js';

/** The database the tests may use, or undefined: then the PostgreSQL tests are skipped. */
export const testPgUri = process.env.WAZO_AUTH_TEST_PG_URI || undefined;

/** The `skip` option of a PostgreSQL test: the reason it does not run here, or false. */
export const pgSkip: string | false = testPgUri ? false : 'WAZO_AUTH_TEST_PG_URI is not set: PostgreSQL tests skipped';

/** Small pools and a short timeout: tests run side by side under the server's connection limit. */
export const testPgSettings = {poolSize: 4, statementTimeoutMs: 5_000};

// The schema work of this process (creating, emptying, dropping) on a pool of its own: a new
// session per call cost the server about 10 ms of CPU, some 300 times a run. Idle, the pool
// does not hold the process; a connection a test ended is replaced.
let admin: pg.Pool | undefined;

/** Runs `work` on a connection of the admin pool; one that failed is not reused. */
async function asAdmin<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  if (!admin) {
    admin = new pg.Pool({connectionString: testPgUri, application_name: 'wazo-auth-tests', max: 2, allowExitOnIdle: true});
    admin.on('error', () => undefined);
  }
  const client = await admin.connect();
  try {
    const result = await work(client);
    client.release();
    return result;
  } catch (error) {
    client.release(true);
    throw error;
  }
}

/** Runs one statement as the tests' administrator (schema set-up, fault injection). */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  return asAdmin(async (client) => (await client.query<R>(text, values)).rows);
}

export interface TestSchema {
  name: string;
  /** db_uri of the test database with this schema first in the search path. */
  uri: string;
  drop(): Promise<void>;
}

/**
 * A new, empty schema in the test database; `applicationName` (by default the schema's name) tags
 * the connections made through its uri.
 */
export async function freshSchema(applicationName?: string): Promise<TestSchema> {
  if (!testPgUri) throw new Error('WAZO_AUTH_TEST_PG_URI is not set');
  const name = `wazo_auth_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${name}`);
  const uri = new URL(testPgUri);
  uri.searchParams.set('options', `-c search_path=${name}`);
  uri.searchParams.set('application_name', applicationName ?? name);
  return {name, uri: uri.toString(), drop: () => adminQuery(`DROP SCHEMA IF EXISTS ${name} CASCADE`).then(() => undefined)};
}

// Migrated schemas a test is done with, emptied, for the next test of this process: migrating a
// new schema costs the server about 100 ms of CPU, emptying one about 10 (the store and HTTP tests
// on PostgreSQL open some 250).
const spares: TestSchema[] = [];
let dropsSpares = false;

/**
 * A schema just migrated, read from the first this process makes: its shape, to check one given
 * back against, and its tables and sequences, to empty one.
 */
let migrated: Promise<{shape: string; tables: string[]; sequences: string[]}> | undefined;

/**
 * A schema migrated to the current version, without rows: new, or one a test gave back
 * (giveBack). Its connections are named after it (application_name).
 */
export async function migratedSchema(): Promise<TestSchema> {
  const spare = spares.pop();
  if (spare) return spare;
  const schema = await freshSchema();
  try {
    await migratePostgres(schema.uri, testPgSettings);
    // Awaited here: a query that fails says so in the test that asked for the schema.
    await (migrated ??= asAdmin((client) => readMigrated(client, schema.name)));
  } catch (error) {
    await schema.drop();
    throw error;
  }
  return schema;
}

/**
 * Empties a schema from migratedSchema() for the next test, or drops it when it cannot be vouched
 * for: a connection still uses it, or a test changed what the migrations made.
 */
export async function giveBack(schema: TestSchema): Promise<void> {
  const {shape, tables, sequences} = await migrated!;
  const kept = await asAdmin(async (client) => {
    const users = await client.query('SELECT 1 FROM pg_stat_activity WHERE application_name = $1', [schema.name]);
    if (users.rowCount !== 0 || (await shapeOf(client, schema.name)) !== shape) return false;
    // DELETE rather than TRUNCATE: a third of the server's time on tables this small.
    const statements = [
      ...tables.map((table) => `DELETE FROM ${schema.name}.${table}`),
      ...sequences.map((sequence) => `ALTER SEQUENCE ${schema.name}.${sequence} RESTART`),
    ];
    try {
      await client.query(`BEGIN; ${statements.join('; ')}; COMMIT`);
      return true;
    } catch {
      await client.query('ROLLBACK');
      return false;
    }
  }).catch(() => false);
  if (!kept) return schema.drop();
  if (!dropsSpares) process.on('beforeExit', dropSpares);
  dropsSpares = true;
  spares.push(schema);
}

/** The spares left when the process has nothing else to do: the database keeps no schema of ours. */
async function dropSpares(): Promise<void> {
  await Promise.all(spares.splice(0).map((schema) => schema.drop()));
}

async function readMigrated(client: pg.PoolClient, name: string): Promise<{shape: string; tables: string[]; sequences: string[]}> {
  const tables = await client.query<{name: string}>("SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 AND tablename <> 'schema_migrations'", [
    name,
  ]);
  const sequences = await client.query<{name: string}>('SELECT sequencename AS name FROM pg_sequences WHERE schemaname = $1', [name]);
  return {shape: await shapeOf(client, name), tables: tables.rows.map((row) => row.name), sequences: sequences.rows.map((row) => row.name)};
}

/**
 * Everything a test could change in a schema but its rows, as one text, the schema's own name left
 * out (constraints and defaults name it); and the migrations applied.
 */
async function shapeOf(client: pg.PoolClient, name: string): Promise<string> {
  const {rows} = await client.query<{shape: string}>(
    `SELECT string_agg(replace(item, $1 || '.', ''), ',' ORDER BY item) AS shape FROM (
      SELECT 'rel:' || c.relkind::text || ':' || c.relname AS item FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1
      UNION ALL SELECT 'col:' || c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod) || ':' || a.attnotnull::text
          || ':' || coalesce(pg_get_expr(d.adbin, d.adrelid), '')
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = $1 AND a.attnum > 0 AND NOT a.attisdropped
      UNION ALL SELECT 'con:' || co.conname || ':' || pg_get_constraintdef(co.oid) FROM pg_constraint co JOIN pg_namespace n ON n.oid = co.connamespace WHERE n.nspname = $1
      UNION ALL SELECT 'trg:' || t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND NOT t.tgisinternal
      UNION ALL SELECT 'fn:' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = $1
      UNION ALL SELECT 'step:' || version FROM ${name}.schema_migrations
    ) items`,
    [name],
  );
  return rows[0]?.shape ?? '';
}

/** A store in a migrated schema of its own (migratedSchema), given back when the store closes. */
export async function openTestPgStore(): Promise<Store> {
  const schema = await migratedSchema();
  const store = await openPostgresStore(schema.uri, testPgSettings);
  return {
    ...store,
    async close() {
      await store.close();
      await giveBack(schema);
    },
  };
}

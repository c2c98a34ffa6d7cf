// PostgreSQL for the tests: the database named by WAZO_AUTH_TEST_PG_URI (.ci/run creates a fresh
// one per run), a schema of its own for every store or daemon a test opens.
import {randomBytes} from 'node:crypto';
import pg from 'pg';
import {openPostgresStore} from '../../src/store/postgres/index.js';
import type {Store} from '../../src/store/store.js';

/** The database the tests may use, or undefined: then the PostgreSQL tests are skipped. */
export const testPgUri = process.env.WAZO_AUTH_TEST_PG_URI || undefined;

/** The `skip` option of a PostgreSQL test: the reason it does not run here, or false. */
export const pgSkip: string | false = testPgUri ? false : 'WAZO_AUTH_TEST_PG_URI is not set: PostgreSQL tests skipped';

/** Small pools and a short timeout: tests run side by side under the server's connection limit. */
export const testPgSettings = {poolSize: 4, statementTimeoutMs: 5_000};

/** Runs one statement on a connection of its own (schema set-up, fault injection). */
export async function adminQuery<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({connectionString: testPgUri, application_name: 'wazo-auth-tests'});
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

export interface TestSchema {
  name: string;
  /** db_uri of the test database with this schema first in the search path. */
  uri: string;
  drop(): Promise<void>;
}

/** A new, empty schema in the test database; `applicationName` tags the connections made through its uri. */
export async function freshSchema(applicationName = 'wazo-auth-test'): Promise<TestSchema> {
  if (!testPgUri) throw new Error('WAZO_AUTH_TEST_PG_URI is not set');
  const name = `wazo_auth_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(`CREATE SCHEMA ${name}`);
  const uri = new URL(testPgUri);
  uri.searchParams.set('options', `-c search_path=${name}`);
  uri.searchParams.set('application_name', applicationName);
  return {name, uri: uri.toString(), drop: () => adminQuery(`DROP SCHEMA IF EXISTS ${name} CASCADE`).then(() => undefined)};
}

/** A store in a fresh schema, dropped when the store closes. */
export async function openTestPgStore(): Promise<Store> {
  const schema = await freshSchema();
  const store = await openPostgresStore(schema.uri, testPgSettings);
  return {
    ...store,
    async close() {
      await store.close();
      await schema.drop();
    },
  };
}

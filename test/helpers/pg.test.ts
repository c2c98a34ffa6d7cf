// The schemas the PostgreSQL tests share one after another (test/helpers/pg.ts): one given back
// comes out empty, as new; one a test changed, or that a connection still uses, is dropped instead.
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {test} from 'node:test';
import pg from 'pg';
import {openPostgresStore} from '../../src/store/postgres/index.js';
import {adminQuery, giveBack, migratedSchema, pgSkip, testPgSettings} from './pg.js';

const exists = async (name: string) => (await adminQuery('SELECT 1 FROM pg_namespace WHERE nspname = $1', [name])).length === 1;

test('a schema given back is handed out again without rows, its sequences restarted', {skip: pgSkip}, async () => {
  const schema = await migratedSchema();
  const store = await openPostgresStore(schema.uri, testPgSettings);
  await store.meta.setIfAbsent('xivo_uuid', randomUUID());
  await store.close();
  await adminQuery(`SELECT nextval('${schema.name}.bus_outbox_id_seq')`);
  await giveBack(schema);

  const again = await migratedSchema();
  try {
    assert.equal(again.name, schema.name);
    const rows = await adminQuery<{n: string}>(`SELECT count(*) AS n FROM ${again.name}.meta`);
    assert.equal(Number(rows[0]!.n), 0);
    const next = await adminQuery<{v: string}>(`SELECT nextval('${again.name}.bus_outbox_id_seq') AS v`);
    assert.equal(Number(next[0]!.v), 1);
    assert.ok((await adminQuery(`SELECT 1 FROM ${again.name}.schema_migrations`)).length > 0, 'its migrations stay recorded');
  } finally {
    await again.drop();
  }
});

test('schemas in use side by side are each given back and handed out again', {skip: pgSkip}, async () => {
  const first = await Promise.all([migratedSchema(), migratedSchema(), migratedSchema()]);
  for (const schema of first) await giveBack(schema);
  const again = await Promise.all([migratedSchema(), migratedSchema(), migratedSchema()]);
  try {
    assert.deepEqual(again.map((schema) => schema.name).sort(), first.map((schema) => schema.name).sort());
  } finally {
    await Promise.all(again.map((schema) => schema.drop()));
  }
});

test('a schema a test changed is dropped, not handed out', {skip: pgSkip}, async () => {
  for (const change of [
    (name: string) => `CREATE TABLE ${name}.extra (x int)`,
    (name: string) => `ALTER TABLE ${name}.tenants ADD COLUMN extra int`,
    (name: string) => `CREATE FUNCTION ${name}.refuse() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RAISE EXCEPTION 'no'; END$$`,
    (name: string) => `DELETE FROM ${name}.schema_migrations WHERE version = (SELECT max(version) FROM ${name}.schema_migrations)`,
  ]) {
    const schema = await migratedSchema();
    await adminQuery(change(schema.name));
    await giveBack(schema);
    assert.equal(await exists(schema.name), false, change('<schema>'));
  }
});

test('a schema a connection still uses is dropped, not handed out', {skip: pgSkip}, async () => {
  const schema = await migratedSchema();
  const client = new pg.Client({connectionString: schema.uri});
  await client.connect();
  try {
    await client.query('SELECT 1');
    // The connection holds no lock: the drop does not wait for it.
    await giveBack(schema);
    assert.equal(await exists(schema.name), false);
  } finally {
    await client.end();
  }
});

// What only the PostgreSQL store has: migrations under an advisory lock, an expired-token cleanup
// that daemons share out, the indexes of the hot queries.
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, test} from 'node:test';
import pg from 'pg';
import {tokenDigest} from '../../src/store/digest.js';
import {migratePostgres, openPostgresStore, postgresMigrationStatus} from '../../src/store/postgres/index.js';
import {migrations} from '../../src/store/postgres/migrations.js';
import type {Store} from '../../src/store/store.js';
import {freshSchema, pgSkip, testPgSettings, type TestSchema} from '../helpers/pg.js';
import {startTcpProxy} from '../helpers/tcp-proxy.js';

const schemas: TestSchema[] = [];
after(async () => {
  for (const schema of schemas) await schema.drop();
});

async function schema(): Promise<TestSchema> {
  const made = await freshSchema();
  schemas.push(made);
  return made;
}

/** A plain connection to the schema, to look at what the store wrote or to hold locks. */
async function connect(on: TestSchema): Promise<pg.Client> {
  const client = new pg.Client({connectionString: on.uri});
  await client.connect();
  return client;
}

const NOW = 1_800_000_000;

async function expiredTokens(store: Store, count: number): Promise<void> {
  const tenant = randomUUID();
  for (let i = 0; i < count; i++) {
    const session = {uuid: randomUUID(), tenantUuid: tenant, userUuid: randomUUID(), mobile: false, createdAt: NOW - 100};
    await store.tokens.create(session, {
      digest: tokenDigest(randomUUID()),
      sessionUuid: session.uuid,
      authId: session.userUuid,
      pbxUserUuid: null,
      xivoUuid: randomUUID(),
      issuedAt: NOW - 100,
      expiresAt: NOW - 10 - i,
      acl: [],
      metadata: {},
      userAgent: '',
      remoteAddr: '127.0.0.1',
      refreshTokenUuid: null,
    });
  }
}

describe('postgresql store', {skip: pgSkip}, () => {
  describe('migrations', () => {
    test('stores and migrations started together apply each step once', async () => {
      const on = await schema();
      const opened = await Promise.all([0, 1, 2].map(() => openPostgresStore(on.uri, testPgSettings)));
      const migrated = await Promise.all([0, 1].map(() => migratePostgres(on.uri, testPgSettings)));
      await Promise.all(opened.map((store) => store.close()));
      assert.deepEqual(migrated, [[], []]);
      const status = await postgresMigrationStatus(on.uri, testPgSettings);
      assert.deepEqual(
        status.applied.map((step) => step.version),
        migrations.map((step) => step.version),
      );
      assert.deepEqual(status.pending, []);
    });

    test('status on an empty schema lists every step as pending and creates nothing', async () => {
      const on = await schema();
      const status = await postgresMigrationStatus(on.uri, testPgSettings);
      assert.deepEqual(status, {applied: [], pending: migrations.map(({version, name}) => ({version, name})), known: migrations.at(-1)!.version});
      const client = await connect(on);
      try {
        assert.equal((await client.query("SELECT to_regclass('schema_migrations') AS t")).rows[0].t, null);
      } finally {
        await client.end();
      }
    });

    test('a schema newer than the program is refused', async () => {
      const on = await schema();
      await migratePostgres(on.uri, testPgSettings);
      const client = await connect(on);
      try {
        await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)");
      } finally {
        await client.end();
      }
      await assert.rejects(openPostgresStore(on.uri, testPgSettings), /newer than this program/);
    });

    test('a store opened on a schema up to date reads it on its pool: one connection, kept for the queries after', async () => {
      const on = await schema();
      await migratePostgres(on.uri, testPgSettings);
      const uri = new URL(on.uri);
      const proxy = await startTcpProxy({host: uri.hostname, port: Number(uri.port || 5432)});
      try {
        uri.host = `127.0.0.1:${proxy.port}`;
        const store = await openPostgresStore(uri.toString(), testPgSettings);
        try {
          assert.equal(await store.tenants.top(), undefined);
          assert.equal(await store.meta.get('absent'), undefined);
          assert.equal(proxy.accepted, 1);
        } finally {
          await store.close();
        }
      } finally {
        await proxy.close();
      }
    });
  });

  describe('expired-token cleanup', () => {
    let on: TestSchema;
    let first: Store;
    let second: Store;
    before(async () => {
      on = await schema();
      first = await openPostgresStore(on.uri, testPgSettings);
      second = await openPostgresStore(on.uri, testPgSettings);
    });
    after(async () => {
      await first?.close();
      await second?.close();
    });

    test('skips the tokens another daemon is removing instead of waiting for them', {timeout: 60_000}, async () => {
      await expiredTokens(first, 10);
      const other = await connect(on);
      try {
        // Another daemon's batch in progress: four rows locked until it commits.
        await other.query('BEGIN');
        await other.query('SELECT digest FROM tokens ORDER BY expire_t LIMIT 4 FOR UPDATE');
        assert.equal((await second.tokens.deleteExpired(NOW, 100)).length, 6, 'the rows nobody holds, at once');
        await other.query('COMMIT');
      } finally {
        await other.end();
      }
      assert.equal((await first.tokens.deleteExpired(NOW, 100)).length, 4);
    });

    test('two daemons cleaning at the same moment remove every expired token once, with its session', async () => {
      await expiredTokens(first, 120);
      const drain = async (store: Store) => {
        let removed = 0;
        for (let batch; (batch = (await store.tokens.deleteExpired(NOW, 15)).length) > 0; ) removed += batch;
        return removed;
      };
      const [byFirst, bySecond] = await Promise.all([drain(first), drain(second)]);
      assert.equal(byFirst + bySecond, 120);
      const client = await connect(on);
      try {
        assert.equal((await client.query('SELECT count(*)::int AS n FROM tokens')).rows[0].n, 0);
        assert.equal((await client.query('SELECT count(*)::int AS n FROM sessions')).rows[0].n, 0);
      } finally {
        await client.end();
      }
    });
  });

  test('a lone surrogate in a json column is kept as U+FFFD, as in text columns, instead of failing', async () => {
    const on = await schema();
    const store = await openPostgresStore(on.uri, testPgSettings);
    try {
      const uuid = randomUUID();
      const address = {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null};
      const tenant = await store.tenants.create({uuid, name: 'top', slug: 'top', parentUuid: uuid, contactUuid: null, phone: null, address, domainNames: []});
      const policy = {
        uuid: randomUUID(),
        tenantUuid: tenant.uuid,
        name: 'p',
        slug: 'p',
        description: null,
        acl: ['a\ud800b', '\udc00'],
        shared: false,
        configManaged: false,
      };
      await store.policies.create(policy);
      assert.deepEqual((await store.policies.get(policy.uuid))?.acl, ['a\ufffdb', '\ufffd']);
    } finally {
      await store.close();
    }
  });

  test('the token lookup, the expiry sweep and the session count use indexes', async () => {
    const on = await schema();
    await migratePostgres(on.uri, testPgSettings);
    const client = await connect(on);
    try {
      // On an empty table the planner rightly prefers a scan: ask whether an index can serve.
      await client.query('SET enable_seqscan = off');
      const plan = async (text: string) => (await client.query(`EXPLAIN ${text}`)).rows.map((row) => row['QUERY PLAN']).join('\n');
      assert.match(await plan("SELECT * FROM tokens WHERE digest = ANY ('{x,y}'::text[])"), /Index Scan (using|on) tokens_pkey/);
      assert.match(await plan('SELECT digest FROM tokens WHERE expire_t < 5 ORDER BY expire_t LIMIT 10'), /tokens_expire/);
      assert.match(await plan("SELECT 1 FROM sessions WHERE user_uuid = 'x' LIMIT 3"), /sessions_user/);
      assert.match(await plan("SELECT 1 FROM tenants WHERE parent_uuid = 'x'"), /tenants_parent/);
    } finally {
      await client.end();
    }
  });
});

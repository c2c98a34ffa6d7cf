// The store contract on SQLite (a file and ':memory:'), plus what only SQLite has: WAL mode,
// migrations, the bytes of the database file, query plans.
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {chmodSync, existsSync, statSync, writeFileSync} from 'node:fs';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import Database from 'better-sqlite3';
import {tokenDigest} from '../../src/store/digest.js';
import {openDatabase} from '../../src/store/sqlite/database.js';
import {openSqliteStore} from '../../src/store/sqlite/index.js';
import {migrate, migrations, type Migration} from '../../src/store/sqlite/migrations.js';
import type {Tenant} from '../../src/domain/types.js';
import type {Store} from '../../src/store/store.js';
import {storeContract} from './contract.js';

const dir = await mkdtemp(join(tmpdir(), 'wazo-auth-sqlite-'));
after(() => rm(dir, {recursive: true, force: true}));
let files = 0;
const freshPath = (): string => join(dir, `store-${++files}.db`);

storeContract('sqlite file', () => openSqliteStore(freshPath()));
storeContract('sqlite :memory:', () => openSqliteStore(':memory:'));

function topTenant(): Tenant {
  const uuid = randomUUID();
  const address = {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null};
  return {uuid, name: 'top', slug: 'top', parentUuid: uuid, contactUuid: null, phone: null, address, domainNames: [], defaultAuthenticationMethod: 'native'};
}

/** A second, plain connection to the same file, to look at what the store wrote. */
function inspect<T>(path: string, look: (db: Database.Database) => T): T {
  const db = new Database(path, {readonly: true});
  try {
    return look(db);
  } finally {
    db.close();
  }
}

const appliedVersions = (db: Database.Database) => db.prepare('SELECT version, applied_at FROM schema_migrations ORDER BY version').all();

async function using<T>(store: Store, body: (store: Store) => Promise<T>): Promise<T> {
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}

describe('sqlite store', () => {
  test('a connection runs in WAL mode with synchronous NORMAL, foreign keys and a busy timeout', () => {
    const path = freshPath();
    const db = openDatabase(path);
    try {
      assert.equal(db.pragma('journal_mode', {simple: true}), 'wal');
      assert.equal(db.pragma('synchronous', {simple: true}), 1);
      assert.equal(db.pragma('foreign_keys', {simple: true}), 1);
      assert.ok((db.pragma('busy_timeout', {simple: true}) as number) > 0);
    } finally {
      db.close();
    }
  });

  test('the store creates its file in WAL mode', async () => {
    const path = freshPath();
    await using(await openSqliteStore(path), async (store) => {
      await store.tenants.create(topTenant());
      assert.ok(existsSync(`${path}-wal`), 'a write goes to the -wal file');
    });
    assert.equal(
      inspect(path, (db) => db.pragma('journal_mode', {simple: true})),
      'wal',
    );
  });

  test('the database and its -wal and -shm files are private (0600) whatever the umask', async () => {
    const saved = process.umask();
    try {
      for (const umask of [0o000, 0o022]) {
        process.umask(umask);
        const path = freshPath();
        await using(await openSqliteStore(path), async (store) => {
          await store.tenants.create(topTenant());
          for (const file of [path, `${path}-wal`, `${path}-shm`]) {
            assert.equal((statSync(file).mode & 0o777).toString(8), '600', `${file} under umask ${umask.toString(8)}`);
          }
        });
      }
    } finally {
      process.umask(saved);
    }
  });

  test('an existing database file keeps the mode its owner gave it', async () => {
    const path = freshPath();
    writeFileSync(path, '');
    chmodSync(path, 0o640);
    await using(await openSqliteStore(path), async (store) => {
      await store.tenants.create(topTenant());
    });
    assert.equal(statSync(path).mode & 0o777, 0o640);
  });

  test('reopening a file applies no migration and keeps the data', async () => {
    const path = freshPath();
    const tenant = topTenant();
    await using(await openSqliteStore(path), (store) => store.tenants.create(tenant));
    const before = inspect(path, appliedVersions);
    assert.deepEqual(
      before.map((row) => (row as {version: number}).version),
      migrations.map((step) => step.version),
    );

    await using(await openSqliteStore(path), async (store) => {
      assert.deepEqual(await store.tenants.get(tenant.uuid), tenant);
    });
    assert.deepEqual(inspect(path, appliedVersions), before);
  });

  test('two stores can share one file', async () => {
    const path = freshPath();
    const first = await openSqliteStore(path);
    const second = await openSqliteStore(path);
    try {
      const tenant = await first.tenants.create(topTenant());
      assert.deepEqual(await second.tenants.top(), tenant);
    } finally {
      await first.close();
      await second.close();
    }
    assert.equal(inspect(path, appliedVersions).length, migrations.length);
  });

  test('logins and searches ignore case beyond ASCII', async () => {
    await using(await openSqliteStore(':memory:'), async (store) => {
      const tenant = await store.tenants.create(topTenant());
      const user = {
        uuid: randomUUID(),
        tenantUuid: tenant.uuid,
        username: 'Éric',
        firstname: 'Ǆemal',
        lastname: null,
        purpose: 'user' as const,
        enabled: true,
        authenticationMethod: 'default' as const,
        emails: [{uuid: randomUUID(), address: 'ÉRIC@exemple.québec', main: true, confirmed: true}],
      };
      await store.users.create(user, null);
      assert.equal((await store.users.findByLogin('éRIC'))?.user.uuid, user.uuid);
      assert.equal((await store.users.findByLogin('éric@EXEMPLE.QUÉBEC'))?.user.uuid, user.uuid);
      await assert.rejects(store.users.create({...user, uuid: randomUUID(), username: 'ÉRIC', emails: []}, null), {
        name: 'ConflictError',
      });
      assert.equal((await store.users.list([tenant.uuid], {search: 'ǆem'})).filtered, 1);
      assert.equal((await store.users.list([tenant.uuid], {search: 'QUÉB'})).filtered, 1);
    });
  });

  test('close may be called twice', async () => {
    const store = await openSqliteStore(':memory:');
    await store.close();
    await store.close();
  });

  describe('migrate', () => {
    const laterStep: Migration = {version: migrations.at(-1)!.version + 1, name: 'a later step', sql: 'CREATE TABLE later_step (uuid TEXT PRIMARY KEY)'};
    const tables = (db: Database.Database) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];

    function withDb(body: (db: Database.Database) => void): void {
      const db = openDatabase(':memory:');
      try {
        body(db);
      } finally {
        db.close();
      }
    }

    test('applies every step on an empty database, then nothing', () =>
      withDb((db) => {
        assert.deepEqual(
          migrate(db),
          migrations.map((step) => step.version),
        );
        assert.deepEqual(migrate(db), []);
        for (const table of ['tenants', 'users', 'emails', 'policies', 'user_policies', 'sessions', 'tokens', 'refresh_tokens', 'meta']) {
          assert.ok(tables(db).includes(table), table);
        }
      }));

    test('applies only the steps added to the list since', () =>
      withDb((db) => {
        migrate(db);
        assert.deepEqual(migrate(db, [...migrations, laterStep]), [laterStep.version]);
        assert.ok(tables(db).includes('later_step'));
        assert.deepEqual(migrate(db, [...migrations, laterStep]), []);
      }));

    test('rolls a failing step back whole and records nothing', () =>
      withDb((db) => {
        migrate(db);
        const broken: Migration = {...laterStep, sql: 'CREATE TABLE later_step (uuid TEXT); CREATE TABLE broken ('};
        assert.throws(() => migrate(db, [...migrations, broken]));
        assert.ok(!tables(db).includes('later_step'));
        assert.equal(appliedVersions(db).length, migrations.length);
        assert.deepEqual(migrate(db, [...migrations, laterStep]), [laterStep.version]);
      }));

    test('refuses a database newer than the program', () =>
      withDb((db) => {
        migrate(db, [...migrations, laterStep]);
        assert.throws(() => migrate(db), /newer/);
      }));

    test('refuses steps out of order', () =>
      withDb((db) => {
        assert.throws(() => migrate(db, [laterStep, ...migrations]), /increasing/);
        assert.equal(tables(db).includes('tenants'), false);
      }));
  });

  test('a token is stored under its digest, never its value', async () => {
    const path = freshPath();
    const value = randomUUID();
    const digest = tokenDigest(value);
    await using(await openSqliteStore(path), async (store) => {
      const tenant = await store.tenants.create(topTenant());
      const session = {uuid: randomUUID(), tenantUuid: tenant.uuid, userUuid: randomUUID(), mobile: false, createdAt: 1};
      await store.tokens.create(session, {
        digest,
        sessionUuid: session.uuid,
        authId: session.userUuid,
        pbxUserUuid: null,
        xivoUuid: randomUUID(),
        issuedAt: 1,
        expiresAt: 2,
        acl: [],
        metadata: {},
        userAgent: '',
        remoteAddr: '127.0.0.1',
        refreshTokenUuid: null,
      });
      assert.deepEqual(
        inspect(path, (db) => db.prepare('SELECT digest FROM tokens').pluck().all()),
        [digest],
      );
      const bytes = Buffer.concat([await readFile(path), await readFile(`${path}-wal`)]);
      assert.ok(bytes.includes(digest), 'the digest is in the file');
      assert.ok(!bytes.includes(value) && !bytes.includes(value.toUpperCase()), 'the value is not');
    });
  });

  test('the token lookup and the expiry sweep use indexes', () => {
    const db = openDatabase(':memory:');
    try {
      migrate(db);
      const plan = (sql: string, ...params: unknown[]) =>
        (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as {detail: string}[]).map((row) => row.detail).join('\n');
      assert.match(plan('SELECT * FROM tokens WHERE digest = ?', 'x'), /SEARCH tokens USING INDEX sqlite_autoindex_tokens_1 \(digest=\?\)/);
      assert.match(plan('SELECT digest FROM tokens WHERE expire_t < ? ORDER BY expire_t LIMIT ?', 1, 1), /SEARCH tokens USING (COVERING )?INDEX tokens_expire/);
      assert.match(plan('SELECT count(*) FROM sessions WHERE user_uuid = ?', 'x'), /USING (COVERING )?INDEX sessions_user/);
    } finally {
      db.close();
    }
  });
});

// The tenant administration contract on SQLite (a file and ':memory:'), plus what only SQLite
// has: schema step 3 upgrading a database written before it.
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import {openDatabase} from '../../src/store/sqlite/database.js';
import {openSqliteStore} from '../../src/store/sqlite/index.js';
import {migrate, migrations} from '../../src/store/sqlite/migrations.js';
import {tenantStoreContract} from './contract-tenants.js';

const dir = await mkdtemp(join(tmpdir(), 'wazo-auth-sqlite-tenants-'));
after(() => rm(dir, {recursive: true, force: true}));
let files = 0;
const freshPath = (): string => join(dir, `store-${++files}.db`);

tenantStoreContract('sqlite file', () => openSqliteStore(freshPath()));
tenantStoreContract('sqlite :memory:', () => openSqliteStore(':memory:'));

describe('schema step 3 (tenant administration)', () => {
  const TOP = '11111111-1111-4111-8111-111111111111';
  const SUB = '22222222-2222-4222-8222-222222222222';

  test('gives the tenants of an older database native and their domain names uuids, in their order', async () => {
    const path = freshPath();
    const db = openDatabase(path);
    try {
      migrate(
        db,
        migrations.filter((step) => step.version < 3),
      );
      db.prepare("INSERT INTO tenants (uuid, name, slug, parent_uuid) VALUES (?, 'master', 'master', ?)").run(TOP, TOP);
      db.prepare("INSERT INTO tenants (uuid, name, slug, parent_uuid) VALUES (?, 'sub', 'sub', ?)").run(SUB, TOP);
      const domain = db.prepare('INSERT INTO tenant_domains (name, tenant_uuid) VALUES (?, ?)');
      for (const name of ['zeta.example', 'alpha.example']) domain.run(name, SUB);
      domain.run('top.example', TOP);
    } finally {
      db.close();
    }

    const store = await openSqliteStore(path);
    try {
      const sub = await store.tenants.get(SUB);
      assert.equal(sub?.defaultAuthenticationMethod, 'native');
      assert.deepEqual(sub?.domainNames, ['zeta.example', 'alpha.example']);
      const domains = [...(await store.tenants.domains(SUB)), ...(await store.tenants.domains(TOP))];
      assert.deepEqual(
        domains.map((d) => d.name),
        ['zeta.example', 'alpha.example', 'top.example'],
      );
      for (const {uuid} of domains) assert.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.equal(new Set(domains.map((d) => d.uuid)).size, 3);
      // The rebuilt table still cascades and still ignores case.
      await assert.rejects(store.tenants.update({...sub!, domainNames: ['TOP.example']}), /domain_names/);
      assert.equal(await store.tenants.delete(SUB), 'deleted');
      assert.deepEqual(await store.tenants.domains(SUB), []);
    } finally {
      await store.close();
    }
  });
});

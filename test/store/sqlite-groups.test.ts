// The group store contract on SQLite (a file and ':memory:'), plus the indexes its queries rely on.
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {openDatabase} from '../../src/store/sqlite/database.js';
import {openSqliteStore} from '../../src/store/sqlite/index.js';
import {migrate} from '../../src/store/sqlite/migrations.js';
import {groupStoreContract} from './contract-groups.js';

const dir = await mkdtemp(join(tmpdir(), 'wazo-auth-sqlite-groups-'));
after(() => rm(dir, {recursive: true, force: true}));
let files = 0;

groupStoreContract('sqlite file', () => openSqliteStore(join(dir, `groups-${++files}.db`)));
groupStoreContract('sqlite :memory:', () => openSqliteStore(':memory:'));

test("a user's groups and a policy's groups are found through indexes", () => {
  const db = openDatabase(':memory:');
  try {
    migrate(db);
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('x') as {detail: string}[]).map((row) => row.detail).join('\n');
    assert.match(plan('SELECT group_uuid FROM group_users WHERE user_uuid = ?'), /USING (COVERING )?INDEX group_users_user/);
    assert.match(plan('SELECT group_uuid FROM group_policies WHERE policy_uuid = ?'), /USING (COVERING )?INDEX group_policies_policy/);
    assert.match(plan('SELECT uuid FROM groups WHERE tenant_uuid = ? AND system_managed = 1'), /USING (COVERING )?INDEX groups_all_users/);
  } finally {
    db.close();
  }
});

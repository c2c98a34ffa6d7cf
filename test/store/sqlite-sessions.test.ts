// The sessions, refresh-token and e-mail contract on SQLite (a file and ':memory:'), plus the
// index that keeps tenant-scoped session queries off a full scan.
import assert from 'node:assert/strict';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {openDatabase} from '../../src/store/sqlite/database.js';
import {openSqliteStore} from '../../src/store/sqlite/index.js';
import {migrate} from '../../src/store/sqlite/migrations.js';
import {sessionsContract} from './contract-sessions.js';

const dir = await mkdtemp(join(tmpdir(), 'wazo-auth-sqlite-sessions-'));
after(() => rm(dir, {recursive: true, force: true}));
let files = 0;

sessionsContract('sqlite file', () => openSqliteStore(join(dir, `store-${++files}.db`)));
sessionsContract('sqlite :memory:', () => openSqliteStore(':memory:'));

test('sessions are found by tenant through an index', () => {
  const db = openDatabase(':memory:');
  try {
    migrate(db);
    const plan = (db.prepare('EXPLAIN QUERY PLAN SELECT uuid FROM sessions WHERE tenant_uuid = ?').all('x') as {detail: string}[])
      .map((row) => row.detail)
      .join('\n');
    assert.match(plan, /USING (COVERING )?INDEX sessions_tenant/);
  } finally {
    db.close();
  }
});

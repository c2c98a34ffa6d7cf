// `wazo-auth db migrate|status` (in-process, on the current sources), on a SQLite file and on PostgreSQL:
// what they print, what they change, and their exit codes.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, describe, test} from 'node:test';
import {migrations as pgMigrations} from '../../src/store/postgres/migrations.js';
import {lockDatabase} from '../../src/store/sqlite/daemon-lock.js';
import {migrations as sqliteMigrations} from '../../src/store/sqlite/migrations.js';
import {runInProcess} from '../helpers/in-process-cli.js';
import {freshSchema, pgSkip} from '../helpers/pg.js';

const dir = mkdtempSync(join(tmpdir(), 'wazo-auth-db-command-'));
after(() => rmSync(dir, {recursive: true, force: true}));
let configs = 0;

function config(lines: string[]): string {
  const path = join(dir, `config-${++configs}.yml`);
  writeFileSync(path, [`data_dir: ${join(dir, 'data')}`, ...lines].join('\n') + '\n');
  return path;
}

const db = (...args: string[]) => runInProcess(['db', ...args], {...process.env, NO_COLOR: '1'});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const {port} = server.address() as {port: number};
      server.close(() => resolve(port));
    });
  });
}

/** The versions a status prints, by state. */
function states(stdout: string): {applied: number[]; pending: number[]} {
  const lines = stdout.trim().split('\n').filter(Boolean);
  const versions = (state: string) => lines.filter((l) => l.split(/\s+/)[1] === state).map((l) => Number(l.split(/\s+/)[0]));
  return {applied: versions('applied'), pending: versions('pending')};
}

describe('on a SQLite file', () => {
  const every = sqliteMigrations.map((step) => step.version);

  test('status lists every step as pending without creating the file; migrate applies them once', async () => {
    const path = config([`db_uri: sqlite://${join(dir, 'schema.db')}`]);
    const before = await db('status', '-c', path);
    assert.equal(before.status, 0, before.stderr);
    assert.deepEqual(states(before.stdout), {applied: [], pending: every});

    const first = await db('migrate', '-c', path);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout, every.map((v) => `applied ${v}\n`).join(''));
    assert.match(first.stderr, new RegExp(`schema at version ${every.at(-1)}`));

    const again = await db('migrate', '-c', path);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout, '');
    assert.match(again.stderr, /nothing to apply/);

    const after = await db('status', '-c', path, '--json');
    assert.equal(after.status, 0, after.stderr);
    const status = JSON.parse(after.stdout);
    assert.deepEqual(
      status.applied.map((step: {version: number}) => step.version),
      every,
    );
    assert.deepEqual(status.pending, []);
    assert.equal(status.known, every.at(-1));
  });

  test('migrate refuses to change a file a daemon holds, naming it, and exits with 1', async () => {
    const file = join(dir, 'held.db');
    const path = config([`db_uri: sqlite://${file}`]);
    const lock = lockDatabase(file);
    try {
      const r = await db('migrate', '-c', path);
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`held\\.db is in use by process\\s+(› +)?${process.pid}:`));
      assert.equal((await db('status', '-c', path)).status, 0);
    } finally {
      lock.release();
    }
    assert.equal((await db('migrate', '-c', path)).status, 0);
  });

  test('a bad configuration exits with 2', async () => {
    const r = await db('status', '-c', config(['db_uri: mysql://somewhere/auth']));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /db_uri/);
  });
});

test('a PostgreSQL server that does not answer exits with 3, the password unsaid', async () => {
  const path = config([`db_uri: postgresql://auth:secret-word@127.0.0.1:${await closedPort()}/auth`]);
  for (const command of ['status', 'migrate']) {
    const r = await db(command, '-c', path);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /database is unavailable/);
    assert.ok(!r.stderr.includes('secret-word'));
  }
});

describe('on PostgreSQL', {skip: pgSkip}, () => {
  test('status, migrate, status', async () => {
    const schema = await freshSchema();
    try {
      const path = config([`db_uri: "${schema.uri}"`]);
      const every = pgMigrations.map((step) => step.version);
      assert.deepEqual(states((await db('status', '-c', path)).stdout), {applied: [], pending: every});
      const migrated = await db('migrate', '-c', path);
      assert.equal(migrated.status, 0, migrated.stderr);
      assert.equal(migrated.stdout, every.map((v) => `applied ${v}\n`).join(''));
      assert.deepEqual(states((await db('status', '-c', path)).stdout), {applied: every, pending: []});
    } finally {
      await schema.drop();
    }
  });
});

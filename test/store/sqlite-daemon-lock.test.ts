// One daemon per SQLite file: a second daemon on the file refuses to start and names the process
// that holds it; the lock goes with its holder, even one killed with SIGKILL.

import assert from 'node:assert/strict';
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {loadConfig, type DaemonConfig} from '../../src/config/index.js';
import {startDaemon} from '../../src/daemon/start.js';
import {createLogger} from '../../src/log.js';
import {migrateStore, openStore} from '../../src/store/open.js';
import {DatabaseInUse, lockDatabase} from '../../src/store/sqlite/daemon-lock.js';
import {freePort} from '../helpers/free-port.js';

const dir = mkdtempSync(join(tmpdir(), 'wazo-auth-lock-'));
after(() => rmSync(dir, {recursive: true, force: true}));
let files = 0;
const log = createLogger({level: 'critical'});

function configOn(name: string): DaemonConfig {
  const config = loadConfig({overrides: {data_dir: dir, db_uri: `sqlite://${join(dir, name)}`}, env: {}});
  config.rest_api.port = 0;
  return config;
}

async function refusal(start: () => Promise<unknown>): Promise<DatabaseInUse> {
  const error = await start().then(
    () => assert.fail('started'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof DatabaseInUse, String(error));
  return error;
}

test('a second daemon on the file refuses to start, naming the holder; once it stops, a start works', async () => {
  const config = configOn(`two-${++files}.db`);
  const first = await startDaemon(config, {log});
  try {
    const error = await refusal(() => startDaemon(config, {log}));
    assert.equal(error.pid, process.pid);
    assert.match(error.message, new RegExp(`in use by process ${process.pid}: one daemon per SQLite file .*PostgreSQL`));
  } finally {
    await first.stop();
  }
  const again = await startDaemon(config, {log});
  await again.stop();
});

test('other programs may still open the file: the bootstrap, a status, a migrate with nothing to apply', async () => {
  const config = configOn(`shared-${++files}.db`);
  const daemon = await startDaemon(config, {log});
  try {
    const store = await openStore(config);
    assert.ok(await store.tenants.top());
    await store.close();
    assert.deepEqual(await migrateStore(config), []);
  } finally {
    await daemon.stop();
  }
});

test('a migration with steps to apply waits for no daemon: it refuses while one holds the file', async () => {
  const path = join(dir, `migrate-${++files}.db`);
  const lock = lockDatabase(path);
  try {
    const error = await refusal(() => migrateStore({...configOn('unused.db'), db_uri: `sqlite://${path}`}));
    assert.equal(error.pid, process.pid);
  } finally {
    lock.release();
  }
  assert.ok((await migrateStore({...configOn('unused.db'), db_uri: `sqlite://${path}`})).length > 0);
});

/** The built daemon (bin/run.js) in a child process on `name`; resolves once it listens. */
async function daemonInChild(name: string): Promise<ChildProcess> {
  const config = join(dir, `${name}.yml`);
  writeFileSync(config, `data_dir: ${dir}\ndb_uri: sqlite://${join(dir, name)}\nrest_api:\n  listen: 127.0.0.1\n  port: ${await freePort()}\n`);
  const child = spawn(process.execPath, [join(import.meta.dirname, '../../bin/run.js'), 'daemon', '-c', config], {stdio: ['ignore', 'ignore', 'pipe']});
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.includes('wazo-auth listening on')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`the child daemon exited (${code}): ${stderr}`)));
  });
}

test('a daemon killed with SIGKILL leaves no lock behind', async () => {
  const name = `killed-${++files}.db`;
  const child = await daemonInChild(name);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    const error = await refusal(() => startDaemon(configOn(name), {log}));
    assert.equal(error.pid, child.pid);
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
  const next = await startDaemon(configOn(name), {log});
  await next.stop();
});

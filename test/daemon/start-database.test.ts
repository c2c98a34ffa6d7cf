// The database at start: a PostgreSQL that comes up after the daemon (db_connect_retry_timeout_seconds),
// and a schema the daemon may not migrate itself (db_upgrade_on_startup: false).

import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {ConfigError, loadConfig} from '../../src/config/index.js';
import {startDaemon} from '../../src/daemon/start.js';
import {migrateStore} from '../../src/store/open.js';
import {startTestDaemon} from '../helpers/daemon.js';
import {freshSchema, pgSkip, testPgUri} from '../helpers/pg.js';
import {recordingLog} from '../helpers/recording-log.js';
import {startTcpProxy} from '../helpers/tcp-proxy.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wazo-auth-start-db-'));
});
after(() => rmSync(dir, {recursive: true, force: true}));

/** Resolves once `predicate` holds, checked as the daemon's own timers run; no assertion on time. */
async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 20));
}

test('a PostgreSQL that starts accepting after the daemon: the start waits for it, then serves', {skip: pgSkip}, async () => {
  const target = new URL(testPgUri!);
  const proxy = await startTcpProxy({host: target.hostname, port: Number(target.port || 5432)});
  await proxy.set('refuse');
  const schema = await freshSchema();
  const through = new URL(schema.uri);
  through.host = `127.0.0.1:${proxy.port}`;
  const log = recordingLog();
  try {
    const starting = startTestDaemon({config: {db_uri: through.toString(), db_connect_retry_timeout_seconds: 120}, log});
    await until(() => log.at('warning').some((line) => /database is unavailable.*trying again for up to \d+ s/.test(line)));
    await proxy.set('relay');
    const td = await starting;
    try {
      assert.equal((await td.call('HEAD', '/0.1/status')).status, 200);
      assert.ok(
        !log
          .at('warning')
          .join('\n')
          .includes(target.password || 'no password given'),
      );
    } finally {
      await td.stop();
    }
  } finally {
    await proxy.close();
    await schema.drop();
  }
});

test('db_connect_retry_timeout_seconds: 0 tries once', {skip: pgSkip}, async () => {
  const proxy = await startTcpProxy({host: '127.0.0.1', port: 1});
  await proxy.set('refuse');
  try {
    const config = loadConfig({
      overrides: {data_dir: join(dir, 'once'), db_uri: `postgresql://u@127.0.0.1:${proxy.port}/x`, db_connect_retry_timeout_seconds: 0, amqp: {uri: null}},
      env: {},
    });
    config.rest_api.port = 0;
    const log = recordingLog();
    await assert.rejects(startDaemon(config, {log}), {name: 'StoreUnavailable'});
    assert.deepEqual(log.at('warning'), []);
  } finally {
    await proxy.close();
  }
});

test('db_upgrade_on_startup: false refuses a schema that lacks steps, naming the command that applies them', async () => {
  const dbUri = `sqlite://${join(dir, 'no-upgrade.db')}`;
  const config = loadConfig({overrides: {data_dir: join(dir, 'no-upgrade'), db_uri: dbUri, db_upgrade_on_startup: false, amqp: {uri: null}}, env: {}});
  config.rest_api.port = 0;
  await assert.rejects(startDaemon(config, {log: recordingLog()}), (error: Error) => {
    assert.ok(error instanceof ConfigError);
    assert.match(error.message, /lacks steps 1, .* db_upgrade_on_startup is false: run `wazo-auth db migrate` first/);
    return true;
  });
  await migrateStore(config);
  const td = await startTestDaemon({config: {db_uri: dbUri, db_upgrade_on_startup: false}});
  try {
    assert.equal((await td.call('HEAD', '/0.1/status')).status, 200);
  } finally {
    await td.stop();
  }
});

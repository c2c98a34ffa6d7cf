// The database going away under a running daemon: its connections terminated, the server
// refusing connections, the server silent. The daemon answers 503 (HEAD /status included), never
// 500 nor a hang, and recovers by itself when the database is back.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {basic, call, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {adminQuery, freshSchema, pgSkip, testPgUri, type TestSchema} from '../helpers/pg.js';
import {startTcpProxy, type TcpProxy} from '../helpers/tcp-proxy.js';

const APPLICATION = `wazo-auth-faults-${process.pid}`;
const STATEMENT_TIMEOUT_MS = 1_000;

let schema: TestSchema;
let proxy: TcpProxy;
let td: TestDaemon;
let token: string;

const status = () => td.call('HEAD', '/0.1/status').then((r) => r.status);
const check = () => td.call('HEAD', `/0.1/token/${token}`).then((r) => r.status);

/** Up to `attempts` checks in a row until one answers 204; every answer must be 204 or 503. */
async function recovers(attempts: number): Promise<number[]> {
  const seen: number[] = [];
  while (seen.length < attempts && seen.at(-1) !== 204) seen.push(await check());
  return seen;
}

describe('the database away under a running daemon', {skip: pgSkip}, () => {
  before(async () => {
    schema = await freshSchema();
    const database = new URL(testPgUri!);
    proxy = await startTcpProxy({host: database.hostname, port: Number(database.port || 5432)});
    const uri = new URL(schema.uri);
    uri.host = `127.0.0.1:${proxy.port}`;
    uri.searchParams.set('application_name', APPLICATION);
    td = await startTestDaemon({config: {db_uri: uri.toString(), db_pool_size: 4, db_statement_timeout_ms: STATEMENT_TIMEOUT_MS}});
    token = td.admin.token;
  });
  after(async () => {
    await td?.stop();
    await proxy?.close();
    await schema?.drop();
  });

  test('its connections terminated (pg_terminate_backend): 503 at worst, never 500, then served again', async () => {
    assert.equal(await check(), 204);
    const ended = await adminQuery<{ended: boolean}>('SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = $1', [
      APPLICATION,
    ]);
    assert.ok(ended.length > 0, 'the daemon had connections to end');
    const seen = await recovers(5);
    assert.ok(
      seen.every((code) => code === 204 || code === 503),
      `answers: ${seen.join(', ')}`,
    );
    assert.equal(seen.at(-1), 204, `answers: ${seen.join(', ')}`);
    assert.equal(await status(), 200);
  });

  test('the server refusing connections: HEAD /status and every request answer 503, then it recovers by itself', async () => {
    await proxy.set('refuse');
    assert.equal(await status(), 503);
    assert.equal(await check(), 503);
    const shown = await td.call('GET', `/0.1/token/${token}`);
    assert.equal(shown.status, 503);
    assert.deepEqual(shown.json, {message: 'The service is unavailable, try again later.'});
    const login = await call(td.url, 'POST', '/0.1/token', {body: {}, headers: {authorization: basic('admin', td.admin.password)}});
    assert.equal(login.status, 503);
    assert.equal((await td.call('GET', '/0.1/users', {token})).status, 503);

    await proxy.set('relay');
    const seen = await recovers(5);
    assert.equal(seen.at(-1), 204, `answers: ${seen.join(', ')}`);
    assert.equal(await status(), 200);
  });

  test('the server silent: 503 once the statement timeout has passed, not a hang; then it recovers', {timeout: 60_000}, async () => {
    await proxy.set('blackhole');
    // The request itself is bounded far above the statement timeout: a hang fails the test.
    assert.equal(await status(), 503);
    assert.equal(await check(), 503);
    await proxy.set('relay');
    const seen = await recovers(5);
    assert.equal(seen.at(-1), 204, `answers: ${seen.join(', ')}`);
  });
});

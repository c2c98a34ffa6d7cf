// GET /metrics scraped from a real daemon on its own listener: logins by outcome, token checks
// and their latency, sessions, queues, and the state of the database and the bus.

import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, test} from 'node:test';
import {basic, call, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {freePort} from '../helpers/free-port.js';

let td: TestDaemon;
let metricsUrl: string;

before(async () => {
  const port = await freePort();
  td = await startTestDaemon({config: {metrics: {enabled: true, listen: '127.0.0.1', port}}});
  metricsUrl = `http://127.0.0.1:${port}`;
});
after(() => td.stop());

/** The samples of the exposition, by name with labels as written: `name{label="value"}`. */
async function scrape(): Promise<Map<string, number>> {
  const answer = await call(metricsUrl, 'GET', '/metrics');
  assert.equal(answer.status, 200);
  assert.match(String(answer.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  const samples = new Map<string, number>();
  for (const line of answer.text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

test('logins by outcome and token checks by result, with their latency histogram', async () => {
  const before = await scrape();
  const count = (samples: Map<string, number>, name: string) => samples.get(name) ?? 0;
  const token = td.admin.token;
  await td.login('admin', td.admin.password);
  assert.equal((await td.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic('admin', 'wrong')}})).status, 401);
  assert.equal((await td.call('HEAD', `/0.1/token/${token}`)).status, 204);
  assert.equal((await td.call('GET', `/0.1/token/${token}?scope=auth.users.read`)).status, 200);
  assert.equal((await td.call('HEAD', `/0.1/token/${randomUUID()}`)).status, 404);
  const user = await td.call('POST', '/0.1/users', {token, body: {username: 'metered', password: 'metered-pass'}});
  const weak = (await td.login('metered', 'metered-pass')).token;
  assert.equal((await td.call('HEAD', `/0.1/token/${weak}?scope=auth.users.read`)).status, 403);
  assert.equal(user.status, 200);

  const after = await scrape();
  const delta = (name: string) => count(after, name) - count(before, name);
  assert.equal(delta('wazo_auth_logins_total{outcome="success"}'), 2);
  assert.equal(delta('wazo_auth_logins_total{outcome="failure"}'), 1);
  assert.equal(delta('wazo_auth_token_check_duration_seconds_count{result="valid"}'), 2);
  assert.equal(delta('wazo_auth_token_check_duration_seconds_count{result="invalid"}'), 1);
  assert.equal(delta('wazo_auth_token_check_duration_seconds_count{result="denied"}'), 1);
  // Every check falls in some bucket, and +Inf holds them all.
  assert.equal(
    count(after, 'wazo_auth_token_check_duration_seconds_bucket{le="+Inf",result="valid"}'),
    count(after, 'wazo_auth_token_check_duration_seconds_count{result="valid"}'),
  );
  assert.ok(count(after, 'wazo_auth_token_check_duration_seconds_sum{result="valid"}') > 0);
});

test('sessions, queues, and the state of the database and the bus, read at each scrape', async () => {
  const samples = await scrape();
  assert.ok(samples.get('wazo_auth_sessions')! >= 3, String(samples.get('wazo_auth_sessions')));
  assert.equal(samples.get('wazo_auth_password_hash_queue_depth'), 0);
  assert.equal(samples.get('wazo_auth_outbox_depth'), 0);
  assert.equal(samples.get('wazo_auth_database_up'), 1);
  // The bus is off in these tests.
  assert.ok(Number.isNaN(samples.get('wazo_auth_bus_connected')));
  const sessions = samples.get('wazo_auth_sessions')!;
  await td.call('DELETE', `/0.1/token/${(await td.login('admin', td.admin.password)).token}`);
  await td.login('admin', td.admin.password);
  assert.equal((await scrape()).get('wazo_auth_sessions'), sessions + 1);
});

test('only on its own listener: the API answers 404, the listener nothing but /metrics', async () => {
  assert.equal((await td.call('GET', '/metrics')).status, 404);
  assert.equal((await call(metricsUrl, 'GET', '/0.1/status')).status, 404);
  assert.equal((await call(metricsUrl, 'POST', '/metrics')).status, 405);
});

test('off by default', async () => {
  const plain = await startTestDaemon();
  try {
    assert.equal(plain.config.metrics.enabled, false);
    assert.equal(plain.daemon.services.metrics, undefined);
  } finally {
    await plain.stop();
  }
});

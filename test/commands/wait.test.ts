// `wazo-auth wait`, as wazo-auth-wait after a start: 0 once the daemon answers, 3 with a message
// when it does not within --timeout.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {newOperator, type Operator} from '../cli/binary.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {startTcpProxy, type TcpProxy} from '../helpers/tcp-proxy.js';

let td: TestDaemon;
let op: Operator;
let proxy: TcpProxy;

before(async () => {
  td = await startTestDaemon();
  op = newOperator();
  const port = Number(new URL(td.url).port);
  proxy = await startTcpProxy({host: '127.0.0.1', port});
});
after(async () => {
  await proxy.close();
  op.remove();
  await td.stop();
});

test('a daemon that answers: exit 0 at once, nothing printed', async () => {
  const r = await op.run(['wait', '--url', td.url, '--timeout', '5']);
  assert.deepEqual(r, {status: 0, stdout: '', stderr: ''});
});

test('a daemon that starts listening later: exit 0 once it does', async () => {
  await proxy.set('refuse');
  const waiting = op.run(['wait', '--url', `http://127.0.0.1:${proxy.port}`, '--timeout', '60']);
  // Tried against the closed port at least once before the relay opens (the first try is at once).
  await new Promise((resolve) => setTimeout(resolve, 100));
  await proxy.set('relay');
  const r = await waiting;
  assert.equal(r.status, 0, r.stderr);
});

test('no answer within --timeout: exit 3 and a message naming the URL and the time', async () => {
  await proxy.set('refuse');
  try {
    const r = await op.run(['wait', '--url', `http://127.0.0.1:${proxy.port}`, '--timeout', '1']);
    assert.equal(r.status, 3);
    assert.match(r.stderr, new RegExp(`http://127\\.0\\.0\\.1:${proxy.port} did not answer within 1 s`));
  } finally {
    await proxy.set('relay');
  }
});

test('--timeout must be a positive number of seconds', async () => {
  assert.equal((await op.run(['wait', '--url', td.url, '--timeout', '0'])).status, 2);
});

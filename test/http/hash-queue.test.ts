// The bounded password hash queue: past max_pending_password_hashes a login is refused at once
// (503, Retry-After) instead of waiting. A file of its own: the pool is the process's, and this
// daemon makes it one worker with a short queue.

import assert from 'node:assert/strict';
import {after, afterEach, before, test} from 'node:test';
import {holdWorker} from '../../src/services/hash-pool.js';
import {hashPool} from '../../src/services/passwords.js';
import {basic, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';

let td: TestDaemon;

before(async () => {
  td = await startTestDaemon({config: {password_hash_workers: 1, max_pending_password_hashes: 2}});
  await createUser(td.daemon.services.store, {username: 'alice', password: 'right'});
});
after(() => td.stop());

/** A job holding the one worker until released: the queue stays as the test fills it, however slow the machine. */
const holds: ReturnType<typeof holdWorker>[] = [];
const busyJob = () => {
  const hold = holdWorker(hashPool());
  holds.push(hold);
  return hold;
};
// A failed test must not leave the worker held (and the process waiting on it).
afterEach(() => {
  for (const hold of holds.splice(0)) hold.release();
});

/** Resolves once `count` of `promises` have settled. */
function settled(promises: readonly Promise<unknown>[], count: number): Promise<void> {
  let left = count;
  return new Promise((resolve) => {
    if (left <= 0) resolve();
    for (const promise of promises) void promise.finally(() => --left === 0 && resolve()).catch(() => {});
  });
}

const login = (password: string) => td.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic('alice', password)}});

test('the configuration sets the pool: one worker, two jobs running or waiting at most', () => {
  assert.equal(hashPool().size, 1);
  assert.equal(hashPool().maxPending, 2);
});

test('beyond the bound, logins answer 503 with Retry-After at once; the admitted one succeeds', async () => {
  const busy = busyJob();
  const calls = Array.from({length: 6}, () => login('right'));
  // Five are refused while the worker is held: the sixth waits for it.
  await settled(calls, 5);
  busy.release();
  await busy.done;
  const answers = await Promise.all(calls);
  const refused = answers.filter((a) => a.status === 503);
  assert.deepEqual(answers.map((a) => a.status).sort(), [200, 503, 503, 503, 503, 503], 'the slow job and one login fill the queue');
  for (const answer of refused) {
    assert.equal(answer.headers['retry-after'], '1');
    assert.deepEqual(answer.json.reason, ['Too many logins in progress: try again later']);
    assert.equal(answer.json.status_code, 503);
  }
  assert.equal(hashPool().pending, 0);
});

test('a refused login is not counted as a failure', async () => {
  const busy = busyJob();
  const calls = Array.from({length: 8}, () => login('wrong'));
  await settled(calls, 7);
  busy.release();
  await busy.done;
  const answers = await Promise.all(calls);
  assert.deepEqual(answers.map((a) => a.status).sort(), [401, ...Array(7).fill(503)]);
  // One failure counted: four more wrong passwords before the wait.
  const next: number[] = [];
  for (let i = 0; i < 5; i++) next.push((await login('wrong')).status);
  assert.deepEqual(next, [401, 401, 401, 401, 429]);
});

test('work that is not a login still queues behind a full pool', async () => {
  const busy = busyJob();
  const created = td.call('POST', '/0.1/users', {token: td.admin.token, body: {username: 'bob', password: 'pw'}});
  while (hashPool().pending < 2) await new Promise((resolve) => setTimeout(resolve, 5));
  const refused = await td.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic(td.admin.username, td.admin.password)}});
  assert.equal(refused.status, 503);
  busy.release();
  assert.equal((await created).status, 200);
  await busy.done;
});

test('a throttled client is told to wait (429) even while the queue is full: it never reaches the queue', async () => {
  // alice from 127.0.0.1 waits since the failures of the tests above.
  const busy = [busyJob(), busyJob()];
  assert.equal(hashPool().full, true);
  const throttled = await login('right');
  for (const job of busy) job.release();
  await Promise.all(busy.map((job) => job.done));
  assert.equal(throttled.status, 429);
  assert.ok(Number(throttled.headers['retry-after']) > 1);
});

// The hash pool's turns by client (hashesFor) and its bound, with real workers. Every job is
// queued in one tick, before any answer can come back: the order and the refusals do not depend
// on how fast the machine is.

import assert from 'node:assert/strict';
import {test} from 'node:test';
import {HashQueueFull} from '../../src/domain/errors.js';
import {HashPool, hashesFor, holdWorker} from '../../src/services/hash-pool.js';

const job = {op: 'pbkdf2', password: 'x', saltHex: '00', iterations: 1_000, keyBytes: 64} as const;

test("clients take turns: one client's queue does not make another wait behind all of it", async () => {
  const pool = new HashPool(1);
  const finished: string[] = [];
  const run = (client: string, name: string) => hashesFor(client, () => pool.run(job)).then(() => finished.push(name));
  const all = [1, 2, 3, 4, 5, 6].map((i) => run('192.0.2.1', `a${i}`));
  all.push(run('192.0.2.2', 'b1'));
  await Promise.all(all);
  // First come first served would have run b1 last.
  assert.ok(finished.indexOf('b1') < finished.indexOf('a5'), finished.join(' '));
  assert.deepEqual(
    finished.filter((name) => name.startsWith('a')),
    ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'],
    "a client's own jobs keep their order",
  );
  assert.equal(pool.pending, 0);
});

test("a full queue refuses the newest waiting login of the client holding most of it, to let another client's in", async () => {
  const pool = new HashPool(1, 4);
  const outcome = (client: string, bounded = true) =>
    hashesFor(client, () => pool.run(job, {bounded})).then(
      () => 'done',
      (error: unknown) => (error instanceof HashQueueFull ? 'refused' : `failed: ${String(error)}`),
    );
  const a = [1, 2, 3, 4].map(() => outcome('192.0.2.1'));
  assert.equal(pool.pending, 4);
  const a5 = outcome('192.0.2.1');
  const b1 = outcome('192.0.2.2');
  assert.equal(pool.heldBy('192.0.2.1'), 3, "a's newest waiting login made room for b's");
  const c1 = outcome('192.0.2.3');
  assert.equal(pool.heldBy('192.0.2.1'), 2);
  // Now no client holds more than one beyond b's next: b's second login is refused.
  const b2 = outcome('192.0.2.2');
  assert.deepEqual(await Promise.all([...a, a5, b1, c1, b2]), ['done', 'done', 'refused', 'refused', 'refused', 'done', 'done', 'refused']);
  assert.equal(pool.pending, 0);
  assert.equal(pool.heldBy('192.0.2.1'), 0);
});

test('work that is no login is never refused to make room', async () => {
  const pool = new HashPool(1, 2);
  const unbounded = [1, 2, 3].map(() => hashesFor('192.0.2.1', () => pool.run(job)).then(() => 'done'));
  const login = hashesFor('192.0.2.2', () => pool.run(job, {bounded: true})).then(
    () => 'done',
    (error: unknown) => (error instanceof HashQueueFull ? 'refused' : String(error)),
  );
  assert.deepEqual(await Promise.all([...unbounded, login]), ['done', 'done', 'done', 'refused']);
});

test('holdWorker keeps a worker busy until released, the jobs behind it waiting', async () => {
  const pool = new HashPool(1);
  const hold = holdWorker(pool);
  let hashed = false;
  const behind = pool.run(job).then(() => (hashed = true));
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(hashed, false);
  assert.equal(pool.pending, 2);
  hold.release();
  await behind;
  await hold.done;
  assert.equal(pool.pending, 0);
});

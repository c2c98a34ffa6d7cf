// The hash queue is shared fairly between client addresses: a guesser at 127.0.0.2 filling it
// does not keep the owner's login at 127.0.0.3 out. A file of its own: the pool is the
// process's, and this daemon makes it one worker with room for four jobs.

import assert from 'node:assert/strict';
import {after, afterEach, before, test} from 'node:test';
import {Agent, request} from 'undici';
import {holdWorker} from '../../src/services/hash-pool.js';
import {hashPool} from '../../src/services/passwords.js';
import {basic, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';

let td: TestDaemon;
const agents = new Map<string, Agent>();

before(async () => {
  td = await startTestDaemon({config: {password_hash_workers: 1, max_pending_password_hashes: 4}});
  await createUser(td.daemon.services.store, {username: 'alice', password: 'right'});
});
after(async () => {
  await Promise.all([...agents.values()].map((agent) => agent.close()));
  await td.stop();
});

/** A login whose connection comes from `address` (any of 127.0.0.0/8 on Linux); its status. */
async function login(address: string, password: string): Promise<number> {
  let agent = agents.get(address);
  if (!agent) agents.set(address, (agent = new Agent({localAddress: address})));
  const res = await request(`${td.url}/0.1/token`, {
    method: 'POST',
    headers: {'content-type': 'application/json', authorization: basic('alice', password)},
    body: '{}',
    dispatcher: agent,
  });
  await res.body.text();
  return res.statusCode;
}

/** A job holding the one worker until released, no client's. */
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
const tick = () => new Promise((resolve) => setImmediate(resolve));

test('a full queue makes room for a login from an address holding none of it', {timeout: 60_000}, async () => {
  const busy = busyJob();
  let answered = 0;
  const guesses = Array.from({length: 4}, () => login('127.0.0.2', 'wrong').finally(() => (answered += 1)));
  // The held job and three guesses fill the queue; the fourth guess is refused. Both are waited
  // for: a guess still on its way (its throttle check is a store query) would otherwise find room later.
  while (hashPool().pending < 4 || answered < 1) await tick();
  assert.equal(hashPool().heldBy('127.0.0.2'), 3);
  const owner = login('127.0.0.3', 'right');
  while (hashPool().heldBy('127.0.0.3') < 1) await tick();
  assert.equal(hashPool().heldBy('127.0.0.2'), 2, "the owner's login took the place of the guesser's newest");
  busy.release();
  assert.equal(await owner, 200);
  await busy.done;
  assert.deepEqual((await Promise.all(guesses)).sort(), [401, 401, 503, 503]);
  assert.equal(hashPool().pending, 0);
});

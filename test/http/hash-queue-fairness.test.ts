// The hash queue is shared fairly between client addresses: a guesser at 127.0.0.2 filling it
// does not keep the owner's login at 127.0.0.3 out. A file of its own: the pool is the
// process's, and this daemon makes it one worker with room for four jobs.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {Agent, request} from 'undici';
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

/** A job of about a second on the one worker, no client's. */
const slowJob = () => hashPool().run({op: 'pbkdf2', password: 'x', saltHex: '00', iterations: 2_000_000, keyBytes: 64});

test('a full queue makes room for a login from an address holding none of it', {timeout: 60_000}, async () => {
  const busy = slowJob();
  const guesses = Array.from({length: 4}, () => login('127.0.0.2', 'wrong'));
  // The slow job and three guesses fill the queue; the fourth guess is refused.
  while (hashPool().pending < 4) await new Promise((resolve) => setImmediate(resolve));
  assert.equal(hashPool().heldBy('127.0.0.2'), 3);
  const owner = await login('127.0.0.3', 'right');
  assert.equal(owner, 200, "the owner's login took the place of the guesser's newest");
  await busy;
  assert.deepEqual((await Promise.all(guesses)).sort(), [401, 401, 503, 503]);
  assert.equal(hashPool().pending, 0);
});

// Login throttling on two daemons sharing one PostgreSQL database: the counts are the database's,
// so a guesser gains nothing by spreading attempts over the daemons, racing attempts lose no
// count, and one operator's clear reaches both.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {Agent, request} from 'undici';
import {ManualClock} from '../../src/clock.js';
import {basic, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {freshSchema, pgSkip, testPgSettings, type TestSchema} from '../helpers/pg.js';
import {createUser} from '../helpers/users.js';

let schema: TestSchema;
let a: TestDaemon;
let b: TestDaemon;
const clock = new ManualClock();
/** The guesser's connections come from 127.0.0.2; the owner's from 127.0.0.1. */
const guesser = new Agent({localAddress: '127.0.0.2'});

function daemonOn(keyOf?: TestDaemon): Promise<TestDaemon> {
  return startTestDaemon({
    // Both daemons of this process share its hash pool: room for the six racing logins.
    config: {
      db_uri: schema.uri,
      db_pool_size: testPgSettings.poolSize,
      db_statement_timeout_ms: testPgSettings.statementTimeoutMs,
      max_pending_password_hashes: 16,
    },
    clock,
    keyOf,
  });
}

async function guess(td: TestDaemon, password = 'wrong'): Promise<{status: number; retryAfter: unknown}> {
  const res = await request(`${td.url}/0.1/token`, {
    method: 'POST',
    headers: {'content-type': 'application/json', authorization: basic('alice', password)},
    body: '{}',
    dispatcher: guesser,
  });
  await res.body.dump();
  return {status: res.statusCode, retryAfter: res.headers['retry-after']};
}

describe('login throttling on two daemons of one PostgreSQL database', {skip: pgSkip}, () => {
  let alice: string;

  before(async () => {
    schema = await freshSchema();
    a = await daemonOn();
    b = await daemonOn(a);
    alice = await createUser(a.daemon.services.store, {username: 'alice', password: 'right'});
  });
  after(async () => {
    await guesser.close();
    await a?.stop();
    await b?.stop();
    await schema?.drop();
  });

  test('failures on either daemon add up; the wait is the same on both', async () => {
    for (const td of [a, b, a, b, a]) assert.equal((await guess(td)).status, 401);
    assert.deepEqual(await guess(b), {status: 429, retryAfter: '60'});
    assert.deepEqual(await guess(a, 'right'), {status: 429, retryAfter: '60'});
    const owner = await a.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic('alice', 'right')}});
    assert.equal(owner.status, 200);
  });

  test('attempts racing on both daemons are each counted once', async () => {
    clock.advance(60);
    // The wait is over: the attempts let through before the first failure is counted are all
    // judged, the later ones wait; every judged one is counted, none twice, none lost.
    const answers = await Promise.all([a, b, a, b, a, b].map((td) => guess(td)));
    const judged = answers.filter((answer) => answer.status === 401).length;
    assert.ok(judged >= 1);
    assert.equal(answers.filter((answer) => answer.status === 429).length, 6 - judged);
    const seen = await b.call('GET', `/0.1/users/${alice}/throttle`, {token: b.admin.token});
    const wait = Math.min(60 * 2 ** judged, 900);
    assert.deepEqual(
      seen.json.items.map((item: {address: string; failures: number; retry_after: number}) => [item.address, item.failures, item.retry_after]),
      [['127.0.0.2', 5 + judged, wait]],
    );
    assert.deepEqual(await guess(a), {status: 429, retryAfter: String(wait)});
  });

  test("an operator's clear through one daemon lets the login through the other at once", async () => {
    assert.equal((await b.call('DELETE', `/0.1/users/${alice}/throttle`, {token: b.admin.token})).status, 204);
    assert.equal((await guess(a, 'right')).status, 200);
  });
});

// Login throttling seen from clients at two loopback addresses: the daemon listens on 127.0.0.1,
// the guesser talks from 127.0.0.2 (or another 127/8 address), the owner from 127.0.0.1.

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {Agent, request} from 'undici';
import {ManualClock} from '../../src/clock.js';
import {hashPool} from '../../src/services/passwords.js';
import {basic, startTestDaemon, type Answer, type TestDaemon} from '../helpers/daemon.js';
import {createTenant, createUser} from '../helpers/users.js';

const agents = new Map<string, Agent>();
/** A client whose connections come from `address` (any of 127.0.0.0/8 on Linux); undici 7 ignores `connect.localAddress`. */
function from(address: string): Agent {
  let agent = agents.get(address);
  if (!agent) agents.set(address, (agent = new Agent({localAddress: address})));
  return agent;
}
after(() => Promise.all([...agents.values()].map((agent) => agent.close())));

async function post(td: TestDaemon, address: string, headers: Record<string, string>, body: unknown = {}): Promise<Answer> {
  const res = await request(`${td.url}/0.1/token`, {
    method: 'POST',
    headers: {'content-type': 'application/json', ...headers},
    body: JSON.stringify(body),
    dispatcher: from(address),
  });
  const text = await res.body.text();
  return {status: res.statusCode, headers: res.headers as Answer['headers'], text, json: text ? JSON.parse(text) : undefined};
}

const login = (td: TestDaemon, address: string, username: string, password: string, body: unknown = {}) =>
  post(td, address, {authorization: basic(username, password)}, body);

/** The statuses of `count` logins one after another. */
async function statuses(count: number, attempt: () => Promise<Answer>): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i++) seen.push((await attempt()).status);
  return seen;
}

const repeat = <T>(count: number, value: T): T[] => Array<T>(count).fill(value);

describe('login throttling with the defaults (5 failures, first wait 60 s, cap 900 s)', () => {
  let td: TestDaemon;
  let clock: ManualClock;
  let aliceUuid: string;

  before(async () => {
    clock = new ManualClock();
    td = await startTestDaemon({clock});
    aliceUuid = await createUser(td.daemon.services.store, {username: 'alice', password: 'right'});
  });
  after(() => td.stop());

  test('five wrong passwords from one address, then that address waits while the owner logs in from another', async () => {
    assert.deepEqual(await statuses(5, () => login(td, '127.0.0.2', 'alice', 'wrong')), repeat(5, 401));
    // Even the right password waits: the guesser must not learn it is right.
    const refused = await login(td, '127.0.0.2', 'alice', 'right');
    assert.equal(refused.status, 429);
    assert.equal(refused.headers['retry-after'], '60');
    assert.deepEqual(Object.keys(refused.json), ['reason', 'timestamp', 'status_code']);
    assert.deepEqual(refused.json.reason, ['Too many failed logins: try again in 60 seconds']);
    assert.equal(refused.json.status_code, 429);
    assert.equal(typeof refused.json.timestamp[0], 'number');

    const owner = await login(td, '127.0.0.1', 'alice', 'right');
    assert.equal(owner.status, 200, owner.text);
    // The owner's success forgets only the owner's own pair.
    assert.equal((await login(td, '127.0.0.2', 'alice', 'right')).status, 429);
    clock.advance(60);
    assert.equal((await login(td, '127.0.0.2', 'alice', 'right')).status, 200);
  });

  test('each failure past the limit doubles the wait, up to max_delay_seconds', async () => {
    await createUser(td.daemon.services.store, {username: 'bob', password: 'right'});
    const wrong = () => login(td, '127.0.0.3', 'bob', 'wrong');
    assert.deepEqual(await statuses(5, wrong), repeat(5, 401));
    const waits: string[] = [];
    for (let round = 0; round < 6; round++) {
      const refused = await wrong();
      assert.equal(refused.status, 429);
      const wait = Number(refused.headers['retry-after']);
      waits.push(String(wait));
      clock.advance(wait - 1);
      assert.equal((await wrong()).status, 429, 'one second before the end of the wait');
      clock.advance(1);
      assert.equal((await wrong()).status, 401, 'judged again once the wait is over');
    }
    assert.deepEqual(waits, ['60', '120', '240', '480', '900', '900']);
  });

  test('a quiet window after the last wait forgets the count', async () => {
    await createUser(td.daemon.services.store, {username: 'carol', password: 'right'});
    const wrong = () => login(td, '127.0.0.4', 'carol', 'wrong');
    assert.deepEqual(await statuses(6, wrong), [...repeat(5, 401), 429]);
    clock.advance(60 + 900);
    assert.deepEqual(await statuses(6, wrong), [...repeat(5, 401), 429]);
    assert.equal((await wrong()).headers['retry-after'], '60', 'the count started over: the first wait again');
  });

  test('a success forgets the pair', async () => {
    await createUser(td.daemon.services.store, {username: 'dave', password: 'right'});
    const wrong = () => login(td, '127.0.0.5', 'dave', 'wrong');
    assert.deepEqual(await statuses(4, wrong), repeat(4, 401));
    assert.equal((await login(td, '127.0.0.5', 'dave', 'right')).status, 200);
    assert.deepEqual(await statuses(6, wrong), [...repeat(5, 401), 429]);
  });

  test('logins are counted whatever their case', async () => {
    await createUser(td.daemon.services.store, {username: 'erin', password: 'right'});
    const spellings = ['erin', 'Erin', 'ERIN', 'eRiN', 'erIN'];
    for (const name of spellings) assert.equal((await login(td, '127.0.0.6', name, 'wrong')).status, 401);
    assert.equal((await login(td, '127.0.0.6', 'erin', 'right')).status, 429);
  });

  test('a throttled attempt spends no password hash; a judged one spends one', async () => {
    await createUser(td.daemon.services.store, {username: 'frank', password: 'right'});
    const pool = hashPool();
    const before = pool.started;
    assert.deepEqual(await statuses(5, () => login(td, '127.0.0.7', 'frank', 'wrong')), repeat(5, 401));
    assert.equal(pool.started - before, 5);
    const throttled = pool.started;
    assert.deepEqual(await statuses(20, () => login(td, '127.0.0.7', 'frank', 'wrong')), repeat(20, 429));
    assert.equal(pool.started, throttled);
  });

  test('an unknown login and a real one are throttled alike: same answers, same headers, same hashes', async () => {
    await createUser(td.daemon.services.store, {username: 'grace', password: 'right'});
    const trace = async (name: string) => {
      const pool = hashPool();
      const before = pool.started;
      const answers: Answer[] = [];
      for (let i = 0; i < 7; i++) answers.push(await login(td, '127.0.0.8', name, 'wrong'));
      return {
        statuses: answers.map((a) => a.status),
        reasons: answers.map((a) => a.json.reason),
        headers: answers.map((a) =>
          Object.keys(a.headers)
            .filter((h) => h !== 'date')
            .sort()
            .map((h) => `${h}: ${h === 'retry-after' ? a.headers[h] : ''}`),
        ),
        hashes: pool.started - before,
      };
    };
    const real = await trace('grace');
    const unknown = await trace('nobody-by-this-name');
    assert.deepEqual(real.statuses, [...repeat(5, 401), 429, 429]);
    assert.deepEqual(unknown, real);
  });

  test('a refresh-token grant that fails counts for the address', async () => {
    const wrongRefresh = () => post(td, '127.0.0.9', {}, {refresh_token: '5b9a1c7e-0f2d-4c1b-9e3a-7d6f5e4c3b2a', client_id: 'app'});
    const seen = await statuses(60, wrongRefresh);
    assert.deepEqual(seen, [...repeat(50, 401), ...repeat(10, 429)]);
    // The address's count waits for every login from it, right passwords included.
    assert.equal((await login(td, '127.0.0.9', 'admin', td.admin.password)).status, 429);
    assert.equal((await login(td, '127.0.0.1', 'admin', td.admin.password)).status, 200);
  });

  test('the operator sees the counts of a user and clears them; the login is judged again at once', async () => {
    const henry = await createUser(td.daemon.services.store, {username: 'henry', password: 'right'});
    await td.call('PUT', `/0.1/admin/users/${henry}/emails`, {
      token: td.admin.token,
      body: {emails: [{address: 'henry@example.com', main: true, confirmed: true}]},
    });
    assert.deepEqual(await statuses(6, () => login(td, '127.0.0.10', 'henry', 'wrong')), [...repeat(5, 401), 429]);
    assert.deepEqual(await statuses(2, () => login(td, '127.0.0.11', 'HENRY@example.com', 'wrong')), [401, 401]);

    const seen = await td.call('GET', `/0.1/users/${henry}/throttle`, {token: td.admin.token});
    assert.equal(seen.status, 200, seen.text);
    assert.equal(seen.json.total, 2);
    const byAddress = Object.fromEntries(seen.json.items.map((item: {address: string}) => [item.address, item]));
    assert.deepEqual(Object.keys(byAddress['127.0.0.10']), ['login', 'address', 'failures', 'last_failure_at', 'retry_after']);
    assert.equal(byAddress['127.0.0.10'].login, 'henry');
    assert.equal(byAddress['127.0.0.10'].failures, 5);
    assert.equal(byAddress['127.0.0.10'].retry_after, 60);
    assert.match(byAddress['127.0.0.10'].last_failure_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/);
    assert.deepEqual(byAddress['127.0.0.11'], {...byAddress['127.0.0.11'], login: 'henry@example.com', failures: 2, retry_after: 0});

    const everyone = await td.call('GET', '/0.1/throttle', {token: td.admin.token});
    assert.equal(everyone.status, 200);
    const hisThere = everyone.json.items.filter((item: {user_uuid: string}) => item.user_uuid === henry);
    assert.equal(hisThere.length, 2);
    assert.ok(everyone.json.items.some((item: {user_uuid: string}) => item.user_uuid === aliceUuid) === false, "alice's pair was forgotten by her success");

    const cleared = await td.call('DELETE', `/0.1/users/${henry}/throttle`, {token: td.admin.token});
    assert.equal(cleared.status, 204);
    assert.equal((await td.call('GET', `/0.1/users/${henry}/throttle`, {token: td.admin.token})).json.total, 0);
    assert.equal((await login(td, '127.0.0.10', 'henry', 'right')).status, 200);
  });
});

describe('the per-address count', () => {
  let td: TestDaemon;

  before(async () => {
    td = await startTestDaemon({config: {login_throttle: {per_address_max_failures: 8}}});
    await createUser(td.daemon.services.store, {username: 'ivan', password: 'right'});
  });
  after(() => td.stop());

  test('stops one address trying many logins, and no other address', async () => {
    const spray = await statuses(10, async () => login(td, '127.0.0.2', `someone-${Math.random()}`, 'wrong'));
    assert.deepEqual(spray, [...repeat(8, 401), 429, 429]);
    assert.equal((await login(td, '127.0.0.2', 'ivan', 'right')).status, 429);
    assert.equal((await login(td, '127.0.0.3', 'ivan', 'right')).status, 200);
  });

  test("logging in between guesses does not reset the address's count", async () => {
    const guesses: number[] = [];
    for (let i = 0; i < 10; i++) {
      assert.equal((await login(td, '127.0.0.4', 'ivan', 'right')).status, guesses.length < 8 ? 200 : 429);
      guesses.push((await login(td, '127.0.0.4', `guess-${i}`, 'wrong')).status);
    }
    assert.deepEqual(guesses, [...repeat(8, 401), 429, 429]);
  });
});

describe('throttling switched off', () => {
  test('enabled: false judges every attempt', async () => {
    const td = await startTestDaemon({config: {login_throttle: {enabled: false}}});
    try {
      await createUser(td.daemon.services.store, {username: 'judy', password: 'right'});
      assert.deepEqual(await statuses(8, () => login(td, '127.0.0.2', 'judy', 'wrong')), repeat(8, 401));
      assert.equal((await login(td, '127.0.0.2', 'judy', 'right')).status, 200);
    } finally {
      await td.stop();
    }
  });
});

describe('the operator routes: access and tenants', () => {
  let td: TestDaemon;
  let top: string;
  let sub: string;
  let topUser: string;
  let subUser: string;
  let subAdmin: string;

  before(async () => {
    td = await startTestDaemon();
    const store = td.daemon.services.store;
    top = (await store.tenants.top())!.uuid;
    sub = await createTenant(store, top, 'sub');
    topUser = await createUser(store, {username: 'top-user', password: 'right'});
    subUser = await createUser(store, {username: 'sub-user', password: 'right', tenantUuid: sub});
    await createUser(store, {username: 'sub-admin', password: 'right', tenantUuid: sub, acl: ['#']});
    subAdmin = (await td.login('sub-admin', 'right')).token;
    for (const name of ['top-user', 'sub-user']) await statuses(5, () => login(td, '127.0.0.2', name, 'wrong'));
  });
  after(() => td.stop());

  test("a tenant's administrator sees and clears its users' counts, never those of a tenant above", async () => {
    assert.equal((await td.call('GET', `/0.1/users/${subUser}/throttle`, {token: subAdmin})).json.total, 1);
    const above = await td.call('GET', `/0.1/users/${topUser}/throttle`, {token: subAdmin});
    assert.equal(above.status, 404);
    assert.equal(above.json.error_id, 'unknown-user');
    assert.equal((await td.call('DELETE', `/0.1/users/${topUser}/throttle`, {token: subAdmin})).status, 404);
    assert.equal((await td.call('GET', `/0.1/users/${topUser}/throttle`, {token: td.admin.token})).json.total, 1, 'left as it was');

    const listed = await td.call('GET', '/0.1/throttle', {token: subAdmin});
    assert.deepEqual(
      listed.json.items.map((item: {user_uuid: string}) => item.user_uuid),
      [subUser],
    );
    const top_ = await td.call('GET', '/0.1/throttle', {token: td.admin.token});
    assert.deepEqual(
      top_.json.items.map((item: {user_uuid: string}) => item.user_uuid),
      [topUser],
    );
    const recursive = await td.call('GET', '/0.1/throttle?recurse=true', {token: td.admin.token});
    assert.deepEqual(recursive.json.items.map((item: {user_uuid: string}) => item.user_uuid).sort(), [subUser, topUser].sort());
    assert.equal((await td.call('GET', '/0.1/throttle?recurse=maybe', {token: td.admin.token})).status, 400);
  });

  test('each route needs its own access', async () => {
    const store = td.daemon.services.store;
    await createUser(store, {username: 'reader', password: 'right', acl: [`auth.users.${topUser}.throttle.read`, 'auth.users.*.read']});
    const reader = (await td.login('reader', 'right')).token;
    assert.equal((await td.call('GET', `/0.1/users/${topUser}/throttle`, {token: reader})).status, 200);
    const denied = await td.call('DELETE', `/0.1/users/${topUser}/throttle`, {token: reader});
    assert.equal(denied.status, 401);
    assert.equal(denied.json.details.required_access, `auth.users.${topUser}.throttle.delete`);
    assert.equal((await td.call('GET', `/0.1/users/${subUser}/throttle`, {token: reader})).status, 401);
    assert.equal((await td.call('GET', '/0.1/throttle', {token: reader})).status, 401);
    assert.equal((await td.call('GET', `/0.1/users/${topUser}/throttle`)).status, 401);
  });

  test('the routes are in the API document', async () => {
    const doc = (await td.call('GET', '/0.1/api/api.yml')).text;
    assert.match(doc, /\/users\/\{user_uuid\}\/throttle:/);
    assert.match(doc, /auth\.users\.\{user_uuid\}\.throttle\.delete/);
    assert.match(doc, /\/throttle:/);
  });
});

// max_acl_access_length, max_policy_acl_entries and max_token_acl_entries: every write of an ACL
// beyond them is a 400 naming the limit, a login whose token would pass them is refused, and a
// required access longer than an access may be is never granted.

import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {performance} from 'node:perf_hooks';
import {after, before, describe, test} from 'node:test';
import {basic, startTestDaemon, type Answer, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';

let td: TestDaemon;
before(async () => {
  td = await startTestDaemon({config: {max_acl_access_length: 128, max_policy_acl_entries: 5, max_token_acl_entries: 8}});
});
after(() => td.stop());

const admin = () => td.admin.token;
const long = 'a.' + 'b'.repeat(127); // 129 characters
const accesses = (n: number, prefix = 'x') => Array.from({length: n}, (_, i) => `${prefix}.${i}`);

function assertRefused(r: Answer, field: string, key: string): void {
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.status_code, 400);
  assert.equal(r.json.reason.length, 1);
  assert.match(r.json.reason[0], new RegExp(`^Invalid value supplied for field: ${field}: .*${key} \\(\\d+\\)$`));
}

async function newPolicy(acl: string[]): Promise<string> {
  const r = await td.call('POST', '/0.1/policies', {token: admin(), body: {name: `p-${randomUUID()}`, acl}});
  assert.equal(r.status, 200, r.text);
  return r.json.uuid;
}

const aclOf = async (uuid: string) => (await td.call('GET', `/0.1/policies/${uuid}`, {token: admin()})).json.acl;

describe('policy writes', () => {
  test('creating: an access too long, or too many accesses', async () => {
    assertRefused(await td.call('POST', '/0.1/policies', {token: admin(), body: {name: 'too-long', acl: [long]}}), 'acl', 'max_acl_access_length');
    assertRefused(
      await td.call('POST', '/0.1/policies', {token: admin(), body: {name: 'negative-too-long', acl: ['!' + long.slice(1)]}}),
      'acl',
      'max_acl_access_length',
    );
    assertRefused(await td.call('POST', '/0.1/policies', {token: admin(), body: {name: 'too-many', acl: accesses(6)}}), 'acl', 'max_policy_acl_entries');
    const listed = await td.call('GET', '/0.1/policies?search=too-', {token: admin()});
    assert.deepEqual(listed.json.items, [], 'nothing was created');
  });

  test('at the limits, and with repeated accesses counted once, it is accepted', async () => {
    const uuid = await newPolicy([...accesses(5), 'x.0', 'x.1']);
    assert.deepEqual(await aclOf(uuid), accesses(5));
    await newPolicy(['a.' + 'b'.repeat(126)]);
  });

  test('replacing: the same limits, and the policy is left as it was', async () => {
    const uuid = await newPolicy(['kept']);
    const put = (acl: string[]) => td.call('PUT', `/0.1/policies/${uuid}`, {token: admin(), body: {name: 'replaced', acl}});
    assertRefused(await put(accesses(6)), 'acl', 'max_policy_acl_entries');
    assertRefused(await put([long]), 'acl', 'max_acl_access_length');
    assert.deepEqual(await aclOf(uuid), ['kept']);
  });

  test('adding one access: too long, or one too many', async () => {
    const uuid = await newPolicy(accesses(4));
    const add = (access: string) => td.call('PUT', `/0.1/policies/${uuid}/acl/${encodeURIComponent(access)}`, {token: admin()});
    assertRefused(await add(long), 'access', 'max_acl_access_length');
    assert.equal((await add('fifth')).status, 204);
    assertRefused(await add('sixth'), 'access', 'max_policy_acl_entries');
    assert.deepEqual(await aclOf(uuid), [...accesses(4), 'fifth']);
  });

  test('an access stored before the limit was lowered can still be removed', async () => {
    const uuid = await newPolicy(['kept']);
    const stored = await td.daemon.services.store.policies.get(uuid);
    await td.daemon.services.store.policies.update({...stored!, acl: ['kept', long]});
    assert.equal((await td.call('DELETE', `/0.1/policies/${uuid}/acl/${encodeURIComponent(long)}`, {token: admin()})).status, 204);
    assert.deepEqual(await aclOf(uuid), ['kept']);
  });
});

describe('logins', () => {
  const loginAs = (username: string, body: Record<string, unknown> = {}) =>
    td.call('POST', '/0.1/token', {body, headers: {authorization: basic(username, 'pw')}});

  test('a token whose ACL would pass max_token_acl_entries is refused, and nothing is left behind', async () => {
    const store = td.daemon.services.store;
    const uuid = await createUser(store, {username: 'crowded', password: 'pw', acl: accesses(5, 'own')});
    const second = await newPolicy(accesses(4, 'more'));
    assert.equal((await td.call('PUT', `/0.1/users/${uuid}/policies/${second}`, {token: admin()})).status, 204);
    const r = await loginAs('crowded', {access_type: 'offline', client_id: 'c'});
    assertRefused(r, 'acl', 'max_token_acl_entries');
    assert.match(r.json.reason[0], /9 accesses/);
    assert.equal((await store.refreshTokens.listByUser(uuid, {})).length, 0);
    assert.equal((await td.call('GET', `/0.1/users/${uuid}/sessions`, {token: admin()})).json.total, 0);
  });

  test('the same accesses from several policies count once; a wrong password is still a 401', async () => {
    const uuid = await createUser(td.daemon.services.store, {username: 'overlapping', password: 'pw', acl: accesses(5, 'own')});
    const second = await newPolicy([...accesses(3, 'own'), ...accesses(2, 'more')]);
    await td.call('PUT', `/0.1/users/${uuid}/policies/${second}`, {token: admin()});
    const r = await loginAs('overlapping');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.data.acl.length, 7);
    const wrong = await td.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic('crowded', 'wrong')}});
    assert.equal(wrong.status, 401);
  });
});

describe('checks', () => {
  test('a required access longer than max_acl_access_length is never granted, not even by #', async () => {
    const fits = 'a.' + 'b'.repeat(126);
    for (const path of [`/0.1/token/${admin()}?scope=${fits}`]) assert.equal((await td.call('HEAD', path)).status, 204);
    assert.equal((await td.call('HEAD', `/0.1/token/${admin()}?scope=${long}`)).status, 403);
    const r = await td.call('POST', `/0.1/token/${admin()}/scopes/check`, {body: {scopes: [fits, long]}});
    assert.deepEqual(r.json.scopes, {[fits]: true, [long]: false});
  });
});

test('a long list of scopes against a large ACL lets the other requests through', async () => {
  // Patterns that keep the automaton busy to the end of every access (a `#` at both ends: no
  // segment is matched apart); the daemon runs in this process.
  const fit = (unit: string, room: number) => unit.repeat(Math.floor(room / unit.length));
  const acl = Array.from({length: 100}, (_, i) => `#${i}${fit('.a*', 120)}.b*#`);
  const own = await startTestDaemon();
  try {
    await createUser(own.daemon.services.store, {username: 'busy', password: 'pw', acl});
    const token = (await own.login('busy', 'pw')).token;
    const scopes = Array.from({length: 300}, (_, i) => `${i}${fit('.a', 126)}`.slice(0, 128));
    let last = performance.now();
    let longestPause = 0;
    const ticker = setInterval(() => {
      longestPause = Math.max(longestPause, performance.now() - last);
      last = performance.now();
    }, 1);
    const started = performance.now();
    const r = await own.call('POST', `/0.1/token/${token}/scopes/check`, {body: {scopes}});
    const took = performance.now() - started;
    clearInterval(ticker);
    assert.equal(r.status, 200);
    assert.equal(Object.values(r.json.scopes).filter((granted) => granted).length, 0);
    assert.ok(longestPause < took / 4, `the event loop stood still ${longestPause.toFixed(0)} ms of ${took.toFixed(0)} ms`);
  } finally {
    await own.stop();
  }
});

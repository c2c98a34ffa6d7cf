// Policy and group behaviours checked against upstream's integration tests: what a tenant's
// policy list shows and filters, what a policy PUT may carry, when a group PUT judges its body.

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';
import {newTenant, tokenOf} from './group-fixtures.js';

const CONFIGURED = {
  'everyone-policy': {acl: ['everyone.access']},
  'admins-policy': {acl: ['admins.access'], description: 'For the admins'},
};

let td: TestDaemon;
let top: string;
let sub: string;

const admin = () => td.admin.token;
const inSub = {'wazo-tenant': ''};
const listPolicies = async (query: string, headers: Record<string, string> = {}) =>
  (await td.call('GET', `/0.1/policies${query}`, {token: admin(), headers})).json;
const newPolicy = async (body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  (await td.call('POST', '/0.1/policies', {token: admin(), body, headers})).json;
const slugs = (list: any) => list.items.map((p: any) => p.slug);

before(async () => {
  td = await startTestDaemon({config: {default_policies: CONFIGURED}});
  top = (await td.daemon.services.store.tenants.top())!.uuid;
  sub = await newTenant(td, top, 'audit-sub');
  inSub['wazo-tenant'] = sub;
});
after(() => td.stop());

describe('GET /0.1/policies seen from a sub-tenant', () => {
  test('shows the config-managed policies as its own, read-only and unshared, and counts them', async () => {
    const own = await newPolicy({name: 'sub-own'}, inSub);
    const list = await listPolicies('?order=name', inSub);
    assert.deepEqual(slugs(list), ['admins-policy', 'everyone-policy', own.slug]);
    assert.equal(list.total, 3);
    for (const configured of list.items.slice(0, 2)) {
      assert.deepEqual(
        {tenant: configured.tenant_uuid, readOnly: configured.read_only, shared: configured.shared},
        {
          tenant: sub,
          readOnly: true,
          shared: false,
        },
      );
    }
  });
});

describe('GET /0.1/policies filters', () => {
  let sharedTop: any;
  let plain: any;

  before(async () => {
    sharedTop = await newPolicy({name: 'filter-shared', slug: 'filter_shared', shared: true});
    plain = await newPolicy({name: 'filter-plain', slug: 'filter_plain', description: 'nothing shared'}, inSub);
  });

  test('slug, name and uuid select one policy; total stays the count of all', async () => {
    const all = await listPolicies('', inSub);
    for (const query of ['?slug=filter_plain', '?name=filter-plain', `?uuid=${plain.uuid}`]) {
      const list = await listPolicies(query, inSub);
      assert.deepEqual(slugs(list), ['filter_plain'], query);
      assert.equal(list.total, all.total, query);
    }
    assert.deepEqual(slugs(await listPolicies('?slug=everyone-policy', inSub)), ['everyone-policy']);
  });

  test('read_only splits what the tenant owns from what it only sees', async () => {
    const readOnly = await listPolicies('?read_only=True&order=name', inSub);
    assert.deepEqual(slugs(readOnly), ['admins-policy', 'everyone-policy', 'filter_shared']);
    assert.ok(readOnly.items.every((p: any) => p.read_only));
    const writable = await listPolicies('?read_only=false', inSub);
    assert.ok(slugs(writable).includes('filter_plain'));
    assert.ok(writable.items.every((p: any) => !p.read_only));
    // The owner of a shared policy may change it: for the top tenant it is not read-only.
    assert.ok(slugs(await listPolicies('?read_only=false')).includes(sharedTop.slug));
  });

  test('tenant_uuid, user_uuid and group_uuid filter on the real owner and the holders', async () => {
    assert.deepEqual(slugs(await listPolicies(`?tenant_uuid=${top}&slug=filter_shared`, inSub)), ['filter_shared']);
    assert.deepEqual(slugs(await listPolicies(`?tenant_uuid=${sub}&slug=filter_shared`, inSub)), []);
    const user = await createUser(td.daemon.services.store, {username: 'filter-holder', tenantUuid: sub});
    await td.call('PUT', `/0.1/users/${user}/policies/${plain.uuid}`, {token: admin()});
    assert.deepEqual(slugs(await listPolicies(`?user_uuid=${user}`, inSub)), ['filter_plain']);
    const group = (await td.call('POST', '/0.1/groups', {token: admin(), body: {name: 'filter-group'}, headers: inSub})).json;
    await td.call('PUT', `/0.1/groups/${group.uuid}/policies/${sharedTop.uuid}`, {token: admin(), headers: inSub});
    assert.deepEqual(slugs(await listPolicies(`?group_uuid=${group.uuid}`, inSub)), ['filter_shared']);
  });

  test('a bad read_only is 400 invalid-list-param', async () => {
    const r = await td.call('GET', '/0.1/policies?read_only=maybe', {token: admin()});
    assert.equal(r.status, 400);
    assert.equal(r.json.error_id, 'invalid-list-param');
    assert.ok(r.json.details.read_only);
  });

  test('search looks in the name and the description, not in the slug', async () => {
    await newPolicy({name: 'searched-by-name', slug: 'hidden_word_slug', description: 'a described policy'});
    assert.deepEqual(slugs(await listPolicies('?search=hidden_word')), []);
    assert.deepEqual(slugs(await listPolicies('?search=searched-by')), ['hidden_word_slug']);
    assert.deepEqual(slugs(await listPolicies('?search=DESCRIBED')), ['hidden_word_slug']);
  });
});

describe('PUT /0.1/policies/{uuid}: what the caller may send', () => {
  test('every positive access sent must be one the token holds, even one the policy already has', async () => {
    const limited = await tokenOf(td, 'put-limited', ['auth.policies.#', 'mine.read']);
    const policy = await newPolicy({name: 'put-kept', acl: ['mine.read', 'theirs.read']});
    const path = `/0.1/policies/${policy.uuid}`;
    const kept = await td.call('PUT', path, {token: limited, body: {name: 'put-renamed', acl: ['mine.read', 'theirs.read']}});
    assert.equal(kept.status, 401);
    assert.equal(kept.json.details.required_access, 'theirs.read');
    assert.equal((await td.call('GET', path, {token: admin()})).json.name, 'put-kept');
  });

  test('an access the token may not give is refused before the policy is looked up', async () => {
    const limited = await tokenOf(td, 'put-limited-2', ['auth.policies.#']);
    const unknown = '/0.1/policies/00000000-0000-4000-8000-000000000000';
    assert.equal((await td.call('PUT', unknown, {token: limited, body: {name: 'x', acl: ['not.mine']}})).status, 401);
    assert.equal((await td.call('PUT', unknown, {token: limited, body: {name: 'x', acl: ['!not.mine']}})).status, 404);
  });
});

describe('PUT /0.1/groups/{uuid}', () => {
  test('an unknown group, or one outside the tree, is 404 before the body is judged', async () => {
    const topGroup = (await td.call('POST', '/0.1/groups', {token: admin(), body: {name: 'top-only'}})).json;
    const subAdmin = await tokenOf(td, 'group-sub-admin', ['#'], sub);
    const outside = await td.call('PUT', `/0.1/groups/${topGroup.uuid}`, {token: subAdmin, body: {name: 42}});
    assert.equal(outside.status, 404);
    assert.equal(outside.json.error_id, 'unknown-group');
    const unknown = await td.call('PUT', '/0.1/groups/00000000-0000-4000-8000-000000000000', {token: admin(), body: {}});
    assert.equal(unknown.status, 404);
    assert.equal((await td.call('PUT', `/0.1/groups/${topGroup.uuid}`, {token: admin(), body: {name: 42}})).status, 400);
  });
});

// The exact-match filters of GET /users and GET /users/{uuid}/policies: each narrows `filtered`
// and the items, never `total`.

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;
let top: string;
let sub: string;
const admin = () => td.admin.token;

async function created(path: string, body: unknown, headers: Record<string, string> = {}) {
  const answer = await td.call('POST', `/0.1/${path}`, {token: admin(), body, headers});
  assert.equal(answer.status, 200, answer.text);
  return answer.json;
}

const link = async (path: string) => assert.equal((await td.call('PUT', `/0.1/${path}`, {token: admin()})).status, 204);

async function usernames(query: string, headers: Record<string, string> = {}) {
  const answer = await td.call('GET', `/0.1/users?order=username&${query}`, {token: admin(), headers});
  assert.equal(answer.status, 200, answer.text);
  return {total: answer.json.total, filtered: answer.json.filtered, names: answer.json.items.map((u: any) => u.username)};
}

// ann holds `own` herself and `through-group` through the group crew; bea holds nothing; cid
// lives in a sub-tenant, where the policy `common` is given to every user by the all-users group.
let own: any;
let throughGroup: any;
let crew: any;
let ann: any;

before(async () => {
  td = await startTestDaemon();
  top = (await td.daemon.services.store.tenants.top())!.uuid;
  sub = (await created('tenants', {name: 'sub'})).uuid;
  ann = await created('users', {username: 'ann', firstname: 'Ann', lastname: 'Lee', email_address: 'ann@example.com'});
  await created('users', {username: 'bea', firstname: 'Bea', lastname: 'Lee', purpose: 'internal'});
  await created('users', {username: 'cid'}, {'wazo-tenant': sub});
  own = await created('policies', {name: 'own', slug: 'own'});
  throughGroup = await created('policies', {name: 'through-group', slug: 'through_group'});
  crew = await created('groups', {name: 'crew'});
  await link(`users/${ann.uuid}/policies/${own.uuid}`);
  await link(`groups/${crew.uuid}/policies/${throughGroup.uuid}`);
  await link(`groups/${crew.uuid}/users/${ann.uuid}`);
  const common = await created('policies', {name: 'common'}, {'wazo-tenant': sub});
  const subGroups = await td.call('GET', '/0.1/groups?read_only=true', {token: admin(), headers: {'wazo-tenant': sub}});
  await link(`groups/${subGroups.json.items[0].uuid}/policies/${common.uuid}`);
});
after(() => td.stop());

describe('GET /0.1/users filters', () => {
  test("the user's own fields, matched exactly", async () => {
    assert.deepEqual(await usernames('username=ann'), {total: 3, filtered: 1, names: ['ann']});
    assert.deepEqual(await usernames('username=AN'), {total: 3, filtered: 0, names: []});
    assert.deepEqual(await usernames(`uuid=${ann.uuid}`), {total: 3, filtered: 1, names: ['ann']});
    assert.deepEqual(await usernames('lastname=Lee'), {total: 3, filtered: 2, names: ['ann', 'bea']});
    assert.deepEqual(await usernames('firstname=Bea&lastname=Lee'), {total: 3, filtered: 1, names: ['bea']});
    assert.deepEqual(await usernames('purpose=internal'), {total: 3, filtered: 2, names: ['admin', 'bea']});
    assert.deepEqual(await usernames('email_address=ann@example.com'), {total: 3, filtered: 1, names: ['ann']});
  });

  test('a filter combines with the search', async () => {
    assert.deepEqual(await usernames('lastname=Lee&search=be'), {total: 3, filtered: 1, names: ['bea']});
    assert.deepEqual(await usernames('username=ann&search=be'), {total: 3, filtered: 0, names: []});
  });

  test('group_uuid: the members of a group, an all-users group included', async () => {
    assert.deepEqual(await usernames(`group_uuid=${crew.uuid}`), {total: 3, filtered: 1, names: ['ann']});
    const allUsers = (await td.call('GET', '/0.1/groups?read_only=true', {token: admin()})).json.items[0];
    assert.deepEqual(await usernames(`group_uuid=${allUsers.uuid}&recurse=true`), {total: 4, filtered: 3, names: ['admin', 'ann', 'bea']});
  });

  test('policy_uuid and policy_slug: only a policy the user holds itself', async () => {
    assert.deepEqual(await usernames(`policy_uuid=${own.uuid}`), {total: 3, filtered: 1, names: ['ann']});
    assert.deepEqual(await usernames('policy_slug=own'), {total: 3, filtered: 1, names: ['ann']});
    assert.deepEqual(await usernames(`policy_uuid=${throughGroup.uuid}`), {total: 3, filtered: 0, names: []});
  });

  test('has_policy_uuid and has_policy_slug: through a group as well', async () => {
    assert.deepEqual(await usernames(`has_policy_uuid=${own.uuid}`), {total: 3, filtered: 1, names: ['ann']});
    assert.deepEqual(await usernames(`has_policy_uuid=${throughGroup.uuid}`), {total: 3, filtered: 1, names: ['ann']});
    assert.deepEqual(await usernames('has_policy_slug=through_group'), {total: 3, filtered: 1, names: ['ann']});
    assert.deepEqual(await usernames('has_policy_slug=common&recurse=true'), {total: 4, filtered: 1, names: ['cid']});
  });

  test('the parameters the Python client adds are accepted: recurse=True, tenant_uuid', async () => {
    assert.deepEqual(await usernames(`recurse=True&tenant_uuid=${top}&username=cid`), {total: 4, filtered: 1, names: ['cid']});
  });
});

describe('GET /0.1/users/{uuid}/policies filters', () => {
  const namesOf = async (query: string) => {
    const answer = await td.call('GET', `/0.1/users/${ann.uuid}/policies?${query}`, {token: admin()});
    assert.equal(answer.status, 200, answer.text);
    return {total: answer.json.total, filtered: answer.json.filtered, names: answer.json.items.map((p: any) => p.name)};
  };

  test('uuid, name, tenant_uuid, user_uuid and group_uuid, matched exactly', async () => {
    const extra = await created('policies', {name: 'extra'});
    await link(`users/${ann.uuid}/policies/${extra.uuid}`);
    await link(`groups/${crew.uuid}/policies/${extra.uuid}`);
    assert.deepEqual(await namesOf('name=own'), {total: 2, filtered: 1, names: ['own']});
    assert.deepEqual(await namesOf('name=ow'), {total: 2, filtered: 0, names: []});
    assert.deepEqual(await namesOf(`uuid=${extra.uuid}`), {total: 2, filtered: 1, names: ['extra']});
    assert.deepEqual(await namesOf(`tenant_uuid=${top}`), {total: 2, filtered: 2, names: ['extra', 'own']});
    assert.deepEqual(await namesOf(`tenant_uuid=${sub}`), {total: 2, filtered: 0, names: []});
    assert.deepEqual(await namesOf(`group_uuid=${crew.uuid}`), {total: 2, filtered: 1, names: ['extra']});
    assert.deepEqual(await namesOf(`user_uuid=${ann.uuid}`), {total: 2, filtered: 2, names: ['extra', 'own']});
  });
});

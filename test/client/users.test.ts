// client.users against a real daemon: the users, and their policies, groups, sessions, e-mail
// addresses and password.

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {ApiError, AuthClient} from '../../src/client/index.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;
let client: AuthClient;

before(async () => {
  td = await startTestDaemon();
  client = new AuthClient({url: td.url, token: td.admin.token});
});

after(async () => {
  await client.close();
  await td.stop();
});

const isApiError = (status: number, errorId?: string) => (error: unknown) =>
  error instanceof ApiError && error.status === status && (errorId === undefined || error.errorId === errorId);

describe('users', () => {
  test('create, get, update (a replacement), delete', async () => {
    const created = await client.users.create({username: 'ada', firstname: 'Ada', lastname: 'Lovelace', email_address: 'ada@example.com'});
    assert.equal(created.username, 'ada');
    assert.equal(created.purpose, 'user');
    assert.deepEqual(
      created.emails.map((e) => [e.address, e.main, e.confirmed]),
      [['ada@example.com', true, true]],
    );
    assert.deepEqual(await client.users.get(created.uuid), created);

    const updated = await client.users.update(created.uuid, {username: 'ada', lastname: 'King'});
    assert.equal(updated.lastname, 'King');
    assert.equal(updated.firstname, null, 'a PUT clears what it leaves out');

    await client.users.delete(created.uuid);
    await assert.rejects(client.users.get(created.uuid), isApiError(404, 'unknown-user'));
  });

  test('a username taken is ApiError 409 conflict', async () => {
    await client.users.create({username: 'twice'});
    await assert.rejects(client.users.create({username: 'TWICE'}), isApiError(409, 'conflict'));
  });

  test('list: search, filters, order, direction, limit and offset', async () => {
    for (const name of ['list-b', 'list-a', 'list-c']) await client.users.create({username: name, firstname: name === 'list-c' ? 'Zed' : null});
    const all = await client.users.list();
    assert.equal(all.total, all.items.length);

    const found = await client.users.list({search: 'list-', order: 'username', direction: 'desc'});
    assert.deepEqual(
      found.items.map((u) => u.username),
      ['list-c', 'list-b', 'list-a'],
    );
    assert.equal(found.filtered, 3);
    assert.equal(found.total, all.total);

    const page = await client.users.list({search: 'list-', limit: 1, offset: 1});
    assert.deepEqual(
      page.items.map((u) => u.username),
      ['list-b'],
    );
    assert.equal(page.filtered, 3);

    assert.deepEqual(
      (await client.users.list({firstname: 'Zed'})).items.map((u) => u.username),
      ['list-c'],
    );
    await assert.rejects(client.users.list({order: 'nonsense'}), isApiError(400, 'invalid-list-param'));
  });

  test('recurse lists the users of the tenants below', async () => {
    const branch = await client.tenants.create({name: 'users-branch'});
    const inBranch = new AuthClient({url: td.url, token: td.admin.token, tenant: branch.uuid});
    try {
      const deep = await inBranch.users.create({username: 'deep-user'});
      assert.equal(deep.tenant_uuid, branch.uuid);
      assert.equal((await client.users.list({username: 'deep-user'})).items.length, 0);
      assert.equal((await client.users.list({username: 'deep-user', recurse: true})).items.length, 1);
    } finally {
      await inBranch.close();
    }
  });

  test('changePassword needs the current one', async () => {
    const user = await client.users.create({username: 'changer', password: 'old-pass'});
    await assert.rejects(client.users.changePassword(user.uuid, {old_password: 'not-it', new_password: 'x'}), isApiError(401));
    await client.users.changePassword(user.uuid, {old_password: 'old-pass', new_password: 'new-pass'});
    await assert.rejects(client.tokens.create({username: 'changer', password: 'old-pass'}), isApiError(401));
    assert.equal((await client.tokens.create({username: 'changer', password: 'new-pass'})).auth_id, user.uuid);
  });
});

describe("a user's policies and groups", () => {
  test('addPolicy by slug or uuid, listPolicies, removePolicy', async () => {
    const user = await client.users.create({username: 'holder', password: 'holder-pass'});
    const first = await client.policies.create({name: 'first', slug: 'first', acl: ['a.b']});
    const second = await client.policies.create({name: 'second', acl: ['c.d']});
    await client.users.addPolicy(user.uuid, 'first');
    await client.users.addPolicy(user.uuid, second.uuid);
    await client.users.addPolicy(user.uuid, second.uuid);
    const held = await client.users.listPolicies(user.uuid);
    assert.deepEqual(
      held.items.map((p) => p.uuid),
      [first.uuid, second.uuid],
    );
    assert.deepEqual(
      (await client.users.listPolicies(user.uuid, {name: 'second'})).items.map((p) => p.uuid),
      [second.uuid],
    );
    assert.deepEqual((await client.tokens.create({username: 'holder', password: 'holder-pass'})).acl.sort(), ['a.b', 'c.d']);

    await client.users.removePolicy(user.uuid, first.uuid);
    await client.users.removePolicy(user.uuid, 'second');
    assert.equal((await client.users.listPolicies(user.uuid)).total, 0);
    await assert.rejects(client.users.addPolicy(user.uuid, 'no-such-policy'), isApiError(404));
  });

  test('listGroups shows the all-users group and the groups joined', async () => {
    const user = await client.users.create({username: 'member'});
    const group = await client.groups.create({name: 'joined'});
    await client.groups.addUser(group.uuid, user.uuid);
    const groups = await client.users.listGroups(user.uuid);
    assert.ok(
      groups.items.some((g) => g.read_only),
      'the all-users group',
    );
    assert.ok(groups.items.some((g) => g.uuid === group.uuid));
    assert.deepEqual(
      (await client.users.listGroups(user.uuid, {name: 'joined'})).items.map((g) => g.uuid),
      [group.uuid],
    );
  });
});

describe("a user's sessions", () => {
  test('listSessions, then deleteSession revokes the token', async () => {
    const user = await client.users.create({username: 'sessioned', password: 'session-pass'});
    const token = await client.tokens.create({username: 'sessioned', password: 'session-pass'});
    const sessions = await client.users.listSessions(user.uuid);
    assert.deepEqual(
      sessions.items.map((s) => s.uuid),
      [token.session_uuid],
    );
    assert.equal(sessions.items[0]!.user_agent, 'wazo-auth-client');
    await client.users.deleteSession(user.uuid, token.session_uuid);
    assert.equal(await client.tokens.check(token.token), false);
    assert.equal((await client.users.listSessions(user.uuid)).total, 0);
  });
});

describe("a user's e-mail addresses", () => {
  test('updateEmails leaves new addresses unconfirmed; the admin route and confirmEmail confirm', async () => {
    const user = await client.users.create({username: 'mailer'});
    const emails = await client.users.updateEmails(user.uuid, [{address: 'one@example.com', main: true}]);
    assert.deepEqual(
      emails.map((e) => [e.address, e.main, e.confirmed]),
      [['one@example.com', true, false]],
    );

    await client.users.confirmEmail(emails[0]!.uuid);
    assert.equal((await client.users.get(user.uuid)).emails[0]!.confirmed, true);

    const admin = await client.users.adminUpdateEmails(user.uuid, [
      {address: 'one@example.com', main: true},
      {address: 'two@example.com', confirmed: true},
    ]);
    assert.deepEqual(
      admin.map((e) => [e.address, e.main, e.confirmed]),
      [
        ['one@example.com', true, true],
        ['two@example.com', false, true],
      ],
    );
    await assert.rejects(client.users.updateEmails(user.uuid, [{address: 'not an address', main: true}]), isApiError(400, 'invalid-data'));
  });
});

describe('login throttling', () => {
  test('throttle lists the counts of a user, throttled lists the tenant’s, unlock forgets them', async () => {
    const user = await client.users.create({username: 'guessed', password: 'right'});
    for (let i = 0; i < 5; i++) {
      await td.call('POST', '/0.1/token', {body: {}, headers: {authorization: `Basic ${Buffer.from('guessed:wrong').toString('base64')}`}});
    }
    const counts = await client.users.throttle(user.uuid);
    assert.equal(counts.total, 1);
    assert.deepEqual(
      counts.items.map((c) => [c.login, c.address, c.failures, c.retry_after]),
      [['guessed', '127.0.0.1', 5, 60]],
    );
    const everyone = await client.users.throttled({recurse: true});
    assert.deepEqual(everyone.items.filter((c) => c.user_uuid === user.uuid).length, 1);

    await client.users.unlock(user.uuid);
    assert.equal((await client.users.throttle(user.uuid)).total, 0);
    await assert.rejects(client.users.unlock('00000000-0000-4000-8000-000000000000'), isApiError(404, 'unknown-user'));
  });
});

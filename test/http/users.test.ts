import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser, createTenant} from '../helpers/users.js';

const USER_KEYS = ['username', 'uuid', 'enabled', 'emails', 'firstname', 'lastname', 'purpose', 'tenant_uuid', 'authentication_method'];

let td: TestDaemon;
let top: string;
let sub: string;
let subAdmin: string;
let reader: string;

const newTenant = (parentUuid: string, slug: string) => createTenant(td.daemon.services.store, parentUuid, slug);

async function tokenOf(username: string, acl: string[], tenantUuid?: string): Promise<string> {
  await createUser(td.daemon.services.store, {username, password: 'pw', acl, tenantUuid});
  return (await td.login(username, 'pw')).token;
}

const admin = () => td.admin.token;
const post = (body: unknown, token = admin(), headers: Record<string, string> = {}) => td.call('POST', '/0.1/users', {token, body, headers});
const tokenIsLive = async (token: string) => (await td.call('HEAD', `/0.1/token/${token}`)).status === 204;

before(async () => {
  td = await startTestDaemon();
  top = (await td.daemon.services.store.tenants.top())!.uuid;
  sub = await newTenant(top, 'sub');
  subAdmin = await tokenOf('subadmin', ['#'], sub);
  reader = await tokenOf('reader', ['auth.users.read']);
});
after(() => td.stop());

describe('POST /0.1/users', () => {
  test('creates a user in the acting tenant: 200, upstream fields and defaults', async () => {
    const r = await post({username: 'alice', password: 'secret', firstname: 'Alice', email_address: 'alice@example.com'});
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), USER_KEYS);
    assert.equal(r.json.username, 'alice');
    assert.equal(r.json.firstname, 'Alice');
    assert.equal(r.json.lastname, null);
    assert.equal(r.json.enabled, true);
    assert.equal(r.json.purpose, 'user');
    assert.equal(r.json.authentication_method, 'default');
    assert.equal(r.json.tenant_uuid, top);
    assert.equal(r.json.emails.length, 1);
    assert.deepEqual({...r.json.emails[0], uuid: 'x'}, {uuid: 'x', address: 'alice@example.com', main: true, confirmed: true});
    assert.equal((await td.login('alice', 'secret')).auth_id, r.json.uuid);
    assert.equal((await td.login('alice@example.com', 'secret')).auth_id, r.json.uuid);
  });

  test('service accounts default to native authentication; a given uuid is kept', async () => {
    const uuid = randomUUID();
    const r = await post({uuid, username: 'svc', purpose: 'internal'});
    assert.equal(r.status, 200);
    assert.equal(r.json.uuid, uuid);
    assert.equal(r.json.authentication_method, 'native');
    const again = await post({uuid, username: 'svc2'});
    assert.equal(again.status, 409);
    assert.equal(again.json.details.uuid.constraint_id, 'unique');
  });

  test('Wazo-Tenant chooses the tenant of the new user', async () => {
    const r = await post({username: 'in-sub'}, admin(), {'wazo-tenant': sub});
    assert.equal(r.status, 200);
    assert.equal(r.json.tenant_uuid, sub);
  });

  test('an invalid body is 400 invalid-data naming the first bad field, as upstream', async () => {
    const r = await post({username: '', purpose: 'nope'});
    assert.equal(r.status, 400);
    assert.equal(r.json.error_id, 'invalid-data');
    assert.equal(r.json.resource, 'users');
    assert.equal(r.json.message, 'Length must be between 1 and 256.');
    assert.deepEqual(r.json.details, {
      username: {constraint_id: 'length', constraint: {min: 1, max: 256}, message: 'Length must be between 1 and 256.'},
    });
    const email = await post({username: 'x1', email_address: 'not-an-address'});
    assert.equal(email.status, 400);
    assert.ok(email.json.details.email_address);
  });

  test('an unknown authentication method is 400 with the value in details', async () => {
    const r = await post({username: 'x2', authentication_method: 'kerberos'});
    assert.equal(r.status, 400);
    assert.equal(r.json.error_id, 'invalid-data');
    assert.deepEqual(r.json.details, {authentication_method: 'kerberos'});
  });

  test("a username taken in any case is upstream's 409", async () => {
    await post({username: 'carol'});
    const r = await post({username: 'CAROL', password: 'x'});
    assert.equal(r.status, 409);
    assert.deepEqual(
      {...r.json, timestamp: 0},
      {
        message: 'Conflict detected',
        error_id: 'conflict',
        details: {username: {constraint_id: 'unique', message: 'The login "CAROL" is already used'}},
        timestamp: 0,
        resource: 'users',
      },
    );
  });

  test('an e-mail address already used as a login is 409 on email_address', async () => {
    await post({username: 'dave', email_address: 'dave@example.com'});
    const r = await post({username: 'dave2', email_address: 'DAVE@example.com'});
    assert.equal(r.status, 409);
    assert.equal(r.json.details.email_address.message, 'The login "DAVE@example.com" is already used');
  });

  test('401 without a token, and with a token lacking auth.users.create', async () => {
    const anonymous = await td.call('POST', '/0.1/users', {body: {username: 'nobody'}});
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.details.reason, 'not_found_or_expired');
    const limited = await post({username: 'nobody'}, reader);
    assert.equal(limited.status, 401);
    assert.equal(limited.json.details.reason, 'missing_permission_or_invalid_tenant');
    assert.equal(limited.json.details.required_access, 'auth.users.create');
  });
});

describe('GET /0.1/users', () => {
  test("lists the acting tenant's users with total and filtered", async () => {
    const r = await td.call('GET', '/0.1/users', {token: admin()});
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json), ['filtered', 'total', 'items']);
    assert.equal(r.json.total, r.json.items.length);
    assert.ok(r.json.items.every((u: any) => u.tenant_uuid === top));
    assert.ok(!r.json.items.some((u: any) => u.username === 'subadmin'));
  });

  test('search, order, direction, limit and offset', async () => {
    const r = await td.call('GET', '/0.1/users?search=ALI&order=username', {token: admin()});
    assert.deepEqual(
      r.json.items.map((u: any) => u.username),
      ['alice'],
    );
    assert.equal(r.json.filtered, 1);
    assert.ok(r.json.total > 1);
    const page = await td.call('GET', '/0.1/users?order=username&direction=desc&limit=2&offset=1', {token: admin()});
    const all = await td.call('GET', '/0.1/users?order=username&direction=desc', {token: admin()});
    assert.deepEqual(
      page.json.items.map((u: any) => u.uuid),
      all.json.items.slice(1, 3).map((u: any) => u.uuid),
    );
  });

  test('recurse includes the users of the tenants below', async () => {
    const r = await td.call('GET', '/0.1/users?recurse=true', {token: admin()});
    assert.ok(r.json.items.some((u: any) => u.username === 'subadmin'));
  });

  test('a bad list parameter is 400 invalid-list-param naming it', async () => {
    for (const [query, field] of [
      ['limit=abc', 'limit'],
      ['offset=-1', 'offset'],
      ['order=password', 'order'],
      ['direction=up', 'direction'],
      ['recurse=maybe', 'recurse'],
    ]) {
      const r = await td.call('GET', `/0.1/users?${query}`, {token: admin()});
      assert.equal(r.status, 400, query);
      assert.equal(r.json.error_id, 'invalid-list-param');
      assert.deepEqual(Object.keys(r.json.details), [field]);
    }
  });
});

describe('GET /0.1/users/{uuid}', () => {
  test("reads a user; an unknown one is upstream's 404", async () => {
    const created = await post({username: 'erin', lastname: 'E'});
    const r = await td.call('GET', `/0.1/users/${created.json.uuid}`, {token: admin()});
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, created.json);
    const unknown = '00000000-0000-0000-0000-000000000000';
    const missing = await td.call('GET', `/0.1/users/${unknown}`, {token: admin()});
    assert.equal(missing.status, 404);
    assert.deepEqual(
      {...missing.json, timestamp: 0},
      {message: `No such user: "${unknown}"`, error_id: 'unknown-user', details: {uuid: unknown}, timestamp: 0, resource: 'users'},
    );
  });

  test('auth.users.me.# lets a user read itself', async () => {
    const uuid = await createUser(td.daemon.services.store, {username: 'self', password: 'pw', acl: ['auth.users.me.#']});
    const token = (await td.login('self', 'pw')).token;
    assert.equal((await td.call('GET', `/0.1/users/${uuid}`, {token})).status, 200);
    const other = await post({username: 'someone-else'});
    assert.equal((await td.call('GET', `/0.1/users/${other.json.uuid}`, {token})).status, 401);
  });
});

describe('PUT /0.1/users/{uuid}', () => {
  test('replaces the user: omitted optional fields are cleared', async () => {
    const created = await post({username: 'frank', firstname: 'Frank', lastname: 'F', purpose: 'internal'});
    const r = await td.call('PUT', `/0.1/users/${created.json.uuid}`, {token: admin(), body: {username: 'franky'}});
    assert.equal(r.status, 200);
    assert.equal(r.json.username, 'franky');
    assert.equal(r.json.firstname, null);
    assert.equal(r.json.lastname, null);
    assert.equal(r.json.purpose, 'user');
    assert.equal(r.json.authentication_method, 'default');
    assert.equal(r.json.enabled, true);
  });

  test('the body of a GET can be sent back', async () => {
    const created = await post({username: 'gina', firstname: 'Gina'});
    const r = await td.call('PUT', `/0.1/users/${created.json.uuid}`, {token: admin(), body: created.json});
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, created.json);
  });

  test('disabling a user revokes its sessions', async () => {
    const created = await post({username: 'henry', password: 'pw'});
    const token = (await td.login('henry', 'pw')).token;
    const r = await td.call('PUT', `/0.1/users/${created.json.uuid}`, {token: admin(), body: {username: 'henry', enabled: false}});
    assert.equal(r.status, 200);
    assert.equal(r.json.enabled, false);
    assert.equal(await tokenIsLive(token), false);
    assert.equal(
      (await td.call('POST', '/0.1/token', {body: {}, headers: {authorization: 'Basic ' + Buffer.from('henry:pw').toString('base64')}})).status,
      401,
    );
  });

  test("another user's login is 409; its own is fine; 400; 404", async () => {
    const created = await post({username: 'ivan'});
    const path = `/0.1/users/${created.json.uuid}`;
    assert.equal((await td.call('PUT', path, {token: admin(), body: {username: 'Alice'}})).status, 409);
    assert.equal((await td.call('PUT', path, {token: admin(), body: {username: 'IVAN'}})).status, 200);
    const bad = await td.call('PUT', path, {token: admin(), body: {username: 'ivan', enabled: 'often'}});
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys(bad.json.details), ['enabled']);
    const unknown = await td.call('PUT', `/0.1/users/${randomUUID()}`, {token: admin(), body: {username: 'x'}});
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error_id, 'unknown-user');
  });
});

describe('DELETE /0.1/users/{uuid}', () => {
  test("204, then 404; the user's tokens are revoked", async () => {
    const created = await post({username: 'judy', password: 'pw'});
    const token = (await td.login('judy', 'pw')).token;
    const path = `/0.1/users/${created.json.uuid}`;
    const r = await td.call('DELETE', path, {token: admin()});
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    assert.equal(await tokenIsLive(token), false);
    assert.equal((await td.call('GET', path, {token: admin()})).status, 404);
    assert.equal((await td.call('DELETE', path, {token: admin()})).status, 404);
  });
});

describe('PUT /0.1/users/{uuid}/password', () => {
  test("needs the old password; changing it revokes the user's sessions", async () => {
    const uuid = await createUser(td.daemon.services.store, {username: 'kate', password: 'old', acl: ['auth.users.me.#']});
    const token = (await td.login('kate', 'old')).token;
    const path = `/0.1/users/${uuid}/password`;
    const wrong = await td.call('PUT', path, {token, body: {old_password: 'nope', new_password: 'new'}});
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.json.reason, ['Authentication Failed']);
    const r = await td.call('PUT', path, {token, body: {old_password: 'old', new_password: 'new'}});
    assert.equal(r.status, 204);
    assert.equal(await tokenIsLive(token), false);
    assert.ok((await td.login('kate', 'new')).token);
  });

  test('400 naming the missing field; 404 for an unknown user', async () => {
    const created = await post({username: 'leo', password: 'pw'});
    const bad = await td.call('PUT', `/0.1/users/${created.json.uuid}/password`, {token: admin(), body: {old_password: 'pw'}});
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error_id, 'invalid-data');
    assert.deepEqual(Object.keys(bad.json.details), ['new_password']);
    const unknown = await td.call('PUT', `/0.1/users/${randomUUID()}/password`, {token: admin(), body: {old_password: 'a', new_password: 'b'}});
    assert.equal(unknown.status, 404);
  });
});

describe('tenant isolation', () => {
  test("a sub-tenant admin sees only its subtree's users", async () => {
    const topUser = await post({username: 'topuser'});
    const path = `/0.1/users/${topUser.json.uuid}`;
    const list = await td.call('GET', '/0.1/users?recurse=true', {token: subAdmin});
    assert.ok(list.json.items.every((u: any) => u.tenant_uuid === sub));
    assert.equal((await td.call('GET', path, {token: subAdmin})).status, 404);
    assert.equal((await td.call('PUT', path, {token: subAdmin, body: {username: 'stolen'}})).status, 404);
    assert.equal((await td.call('DELETE', path, {token: subAdmin})).status, 404);
    assert.equal((await td.call('GET', path, {token: admin()})).json.username, 'topuser');
  });

  test('a sub-tenant admin creates users in its own tenant', async () => {
    const r = await post({username: 'subuser'}, subAdmin);
    assert.equal(r.status, 200);
    assert.equal(r.json.tenant_uuid, sub);
    assert.equal((await td.call('GET', `/0.1/users/${r.json.uuid}`, {token: admin()})).status, 200);
  });

  test("Wazo-Tenant outside the token's tree is 401", async () => {
    const r = await td.call('GET', '/0.1/users', {token: subAdmin, headers: {'wazo-tenant': top}});
    assert.equal(r.status, 401);
    assert.equal(r.json.details.tenant_uuid, top);
    const created = await post({username: 'nope'}, subAdmin, {'wazo-tenant': top});
    assert.equal(created.status, 401);
  });
});

describe('logins stay unique across usernames and every address', () => {
  test("a username that is another user's unconfirmed address is 409, on creation and on change", async () => {
    const owner = await post({username: 'owner-of-pending'});
    const set = await td.call('PUT', `/0.1/admin/users/${owner.json.uuid}/emails`, {
      token: admin(),
      body: {emails: [{address: 'pending@example.com', main: true, confirmed: false}]},
    });
    assert.equal(set.status, 200);
    const created = await post({username: 'Pending@Example.com'});
    assert.equal(created.status, 409);
    assert.deepEqual(created.json.details, {username: {constraint_id: 'unique', message: 'The login "Pending@Example.com" is already used'}});
    const other = await post({username: 'not-pending'});
    const renamed = await td.call('PUT', `/0.1/users/${other.json.uuid}`, {token: admin(), body: {username: 'pending@example.com'}});
    assert.equal(renamed.status, 409);
    assert.equal(renamed.json.details.username.constraint_id, 'unique');
  });

  test('a user may take its own unconfirmed address as its username', async () => {
    const user = await post({username: 'self-pending'});
    const path = `/0.1/admin/users/${user.json.uuid}/emails`;
    await td.call('PUT', path, {token: admin(), body: {emails: [{address: 'mine@example.com', main: true}]}});
    const renamed = await td.call('PUT', `/0.1/users/${user.json.uuid}`, {token: admin(), body: {username: 'mine@example.com'}});
    assert.equal(renamed.status, 200);
  });
});

describe('a password managed by an identity provider', () => {
  test("405 when the user's method is `default` and its tenant's default is saml or ldap", async () => {
    for (const method of ['saml', 'ldap']) {
      const tenant = await td.call('POST', '/0.1/tenants', {token: admin(), body: {name: `idp-${method}`, default_authentication_method: method}});
      assert.equal(tenant.status, 200, tenant.text);
      const user = await post({username: `idp-user-${method}`, password: 'pw'}, admin(), {'wazo-tenant': tenant.json.uuid});
      assert.equal(user.json.authentication_method, 'default');
      const path = `/0.1/users/${user.json.uuid}/password`;
      const wrong = await td.call('PUT', path, {token: admin(), body: {old_password: 'bad', new_password: 'x'}});
      assert.equal(wrong.status, 401, 'the old password is checked first, as upstream');
      const r = await td.call('PUT', path, {token: admin(), body: {old_password: 'pw', new_password: 'x'}});
      assert.equal(r.status, 405);
      assert.equal(r.json.error_id, 'password-managed-externally');
    }
  });

  test('a user whose own method is native keeps its password in a saml tenant', async () => {
    const tenant = await td.call('POST', '/0.1/tenants', {token: admin(), body: {name: 'idp-native', default_authentication_method: 'saml'}});
    const user = await post({username: 'native-in-saml', password: 'pw', authentication_method: 'native'}, admin(), {'wazo-tenant': tenant.json.uuid});
    const r = await td.call('PUT', `/0.1/users/${user.json.uuid}/password`, {token: admin(), body: {old_password: 'pw', new_password: 'x'}});
    assert.equal(r.status, 204);
  });
});

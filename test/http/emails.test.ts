import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, test} from 'node:test';
import {BUILTIN_TEMPLATES} from '../../src/services/mail/templates.js';
import {basic, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser, createTenant} from '../helpers/users.js';

let td: TestDaemon;
let top: string;
let sub: string;
let sibling: string;
let subAdmin: string;

const newTenant = (parentUuid: string, slug: string) => createTenant(td.daemon.services.store, parentUuid, slug);

let users = 0;
async function newUser(tenantUuid: string = top, acl: string[] = []) {
  const username = `email-user-${++users}`;
  const uuid = await createUser(td.daemon.services.store, {username, password: 'pw', acl, tenantUuid});
  return {uuid, username};
}

const admin = () => td.admin.token;
const putAdmin = (user: string, emails: unknown, token = admin()) => td.call('PUT', `/0.1/admin/users/${user}/emails`, {token, body: {emails}});
const putUser = (user: string, emails: unknown, token = admin()) => td.call('PUT', `/0.1/users/${user}/emails`, {token, body: {emails}});
const loginStatus = async (login: string, password = 'pw') =>
  (await td.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic(login, password)}})).status;
const emailsOf = async (user: string) => (await td.call('GET', `/0.1/users/${user}`, {token: admin()})).json.emails;

before(async () => {
  td = await startTestDaemon();
  top = (await td.daemon.services.store.tenants.top())!.uuid;
  sub = await newTenant(top, 'sub');
  sibling = await newTenant(top, 'sibling');
  subAdmin = (await td.login((await newUser(sub, ['#'])).username, 'pw')).token;
});
after(() => td.stop());

describe('PUT /0.1/admin/users/{uuid}/emails', () => {
  test('replaces the addresses; a confirmed one logs in, whatever its case', async () => {
    const alice = await newUser();
    const r = await putAdmin(alice.uuid, [{address: 'Alice@Example.com', main: true, confirmed: true}, {address: 'alice.pending@example.com'}]);
    assert.equal(r.status, 200);
    assert.equal(r.json.length, 2);
    assert.deepEqual(Object.keys(r.json[0]), ['uuid', 'address', 'main', 'confirmed']);
    assert.deepEqual(
      r.json.map(({uuid: _uuid, ...rest}: {uuid: string}) => rest),
      [
        {address: 'Alice@Example.com', main: true, confirmed: true},
        {address: 'alice.pending@example.com', main: false, confirmed: false},
      ],
    );
    assert.deepEqual(await emailsOf(alice.uuid), r.json);

    const token = await td.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic('alice@EXAMPLE.com', 'pw')}});
    assert.equal(token.status, 200);
    assert.equal(token.json.data.auth_id, alice.uuid);
    assert.equal(await loginStatus('alice.pending@example.com'), 401);
  });

  test('an address kept keeps its uuid and, when confirmed is null or absent, its state', async () => {
    const bob = await newUser();
    const [first] = (await putAdmin(bob.uuid, [{address: 'bob@example.com', main: true, confirmed: true}])).json;
    const kept = await putAdmin(bob.uuid, [
      {address: 'BOB@example.com', main: false, confirmed: null},
      {address: 'bob.work@example.com', main: true},
    ]);
    assert.equal(kept.status, 200);
    assert.deepEqual(kept.json[0], {uuid: first.uuid, address: 'BOB@example.com', main: false, confirmed: true});
    assert.equal(await loginStatus('bob@example.com'), 200);

    const unconfirmed = await putAdmin(bob.uuid, [{address: 'bob@example.com', main: true, confirmed: false}]);
    assert.deepEqual(unconfirmed.json, [{uuid: first.uuid, address: 'bob@example.com', main: true, confirmed: false}]);
    assert.equal(await loginStatus('bob@example.com'), 401);
    assert.equal(await loginStatus('bob.work@example.com'), 401, 'a removed address is no login');

    const none = await putAdmin(bob.uuid, []);
    assert.equal(none.status, 200);
    assert.deepEqual(none.json, []);
    assert.deepEqual(await emailsOf(bob.uuid), []);
  });
});

describe('PUT /0.1/users/{uuid}/emails', () => {
  test('new addresses are unconfirmed whatever the body says; kept ones stay confirmed', async () => {
    const carol = await newUser(top, ['auth.users.me.emails.update']);
    await putAdmin(carol.uuid, [{address: 'carol@example.com', main: true, confirmed: true}]);
    const token = (await td.login(carol.username, 'pw')).token;

    const r = await putUser(
      carol.uuid,
      [
        {address: 'carol@example.com', main: false},
        {address: 'carol.new@example.com', main: true, confirmed: true},
      ],
      token,
    );
    assert.equal(r.status, 200);
    assert.deepEqual(
      r.json.map((e: {address: string; confirmed: boolean}) => [e.address, e.confirmed]),
      [
        ['carol@example.com', true],
        ['carol.new@example.com', false],
      ],
    );
    assert.equal(await loginStatus('carol.new@example.com'), 401);
    assert.equal(await loginStatus('carol@example.com'), 200);

    const adminRoute = await putAdmin(carol.uuid, [{address: 'carol.new@example.com', main: true, confirmed: true}], token);
    assert.equal(adminRoute.status, 401);
    assert.equal(adminRoute.json.details.required_access, `auth.admin.users.${carol.uuid}.emails.update`);
    const someoneElse = await newUser();
    assert.equal((await putUser(someoneElse.uuid, [], token)).status, 401);
  });
});

describe('e-mail rules, for both routes', () => {
  test('one main address exactly, no address twice whatever the case, valid addresses: else 400', async () => {
    const dan = await newUser();
    await putAdmin(dan.uuid, [{address: 'dan@example.com', main: true, confirmed: true}]);
    const cases: [unknown, RegExp][] = [
      [
        [
          {address: 'a@example.com', main: true},
          {address: 'b@example.com', main: true},
        ],
        /Only one address should be main/,
      ],
      [[{address: 'a@example.com', main: false}], /At least one address should be main/],
      [[{address: 'a@example.com', main: true}, {address: 'A@EXAMPLE.com'}], /The same address can only be used once/],
      [[{address: 'not-an-address', main: true}], /Not a valid email address/],
      [[{main: true}], /Missing data for required field/],
      [[{address: 'a@example.com', main: 'very'}], /Not a valid boolean/],
      [[42], /Invalid input type/],
      ['a@example.com', /Not a valid list/],
      [null, /Field may not be null/],
    ];
    for (const put of [putAdmin, putUser]) {
      for (const [emails, message] of cases) {
        const r = await put(dan.uuid, emails);
        assert.equal(r.status, 400, JSON.stringify(emails));
        assert.equal(r.json.error_id, 'invalid-data');
        assert.equal(r.json.resource, 'emails');
        assert.match(r.json.message, message);
      }
      const missing = await td.call('PUT', `/0.1/users/${dan.uuid}/emails`, {token: admin(), body: {}});
      assert.equal(missing.status, 400);
    }
    assert.deepEqual(
      (await emailsOf(dan.uuid)).map((e: {address: string}) => e.address),
      ['dan@example.com'],
    );
  });

  test("an address that is another user's username or address is 409; the user's own is fine", async () => {
    const erin = await newUser();
    const frank = await newUser();
    await putAdmin(frank.uuid, [
      {address: 'frank@example.com', main: true, confirmed: true},
      {address: 'frank.pending@example.com', confirmed: false},
    ]);
    await createUser(td.daemon.services.store, {username: 'login@example.com', password: 'pw'});
    for (const address of ['FRANK@example.com', 'frank.pending@EXAMPLE.com', 'Login@Example.com']) {
      for (const put of [putAdmin, putUser]) {
        const r = await put(erin.uuid, [{address, main: true}]);
        assert.equal(r.status, 409, address);
        assert.equal(r.json.error_id, 'conflict');
        assert.equal(r.json.resource, 'users');
        assert.equal(r.json.details.email_address.constraint_id, 'unique');
      }
    }
    assert.deepEqual(await emailsOf(erin.uuid), []);
    assert.equal((await putAdmin(frank.uuid, [{address: 'Frank@Example.com', main: true}])).status, 200);
  });
});

describe('tenant isolation and access', () => {
  test("an administrator of a sub-tenant changes its users' addresses, nobody else's", async () => {
    const mine = await newUser(sub);
    assert.equal((await putAdmin(mine.uuid, [{address: 'sub.user@example.com', main: true}], subAdmin)).status, 200);
    for (const tenant of [top, sibling]) {
      const other = await newUser(tenant);
      await putAdmin(other.uuid, [{address: `kept-${tenant}@example.com`, main: true, confirmed: true}]);
      for (const put of [putAdmin, putUser]) {
        const r = await put(other.uuid, [{address: 'stolen@example.com', main: true, confirmed: true}], subAdmin);
        assert.equal(r.status, 404, tenant);
        assert.equal(r.json.error_id, 'unknown-user');
      }
      assert.deepEqual(
        (await emailsOf(other.uuid)).map((e: {address: string}) => e.address),
        [`kept-${tenant}@example.com`],
      );
    }
    assert.equal((await putAdmin(mine.uuid, [], admin())).status, 200, 'the top administrator reaches below');
    assert.equal((await putAdmin(randomUUID(), [])).status, 404);
  });

  test('401 without a token', async () => {
    const gina = await newUser();
    assert.equal((await td.call('PUT', `/0.1/users/${gina.uuid}/emails`, {body: {emails: []}})).status, 401);
    assert.equal((await td.call('PUT', `/0.1/admin/users/${gina.uuid}/emails`, {body: {emails: []}})).status, 401);
  });
});

describe('PUT|GET /0.1/emails/{uuid}/confirm', () => {
  const pending = async (address: string, tenantUuid = top) => {
    const user = await newUser(tenantUuid);
    const [email] = (await putAdmin(user.uuid, [{address, main: true, confirmed: false}])).json;
    return {user, emailUuid: email.uuid as string};
  };

  test('PUT confirms the address, which becomes a login: 204 with no body', async () => {
    const {user, emailUuid} = await pending('to.confirm@example.com');
    assert.equal(await loginStatus('to.confirm@example.com'), 401);
    const r = await td.call('PUT', `/0.1/emails/${emailUuid}/confirm`, {token: admin()});
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    assert.deepEqual(await emailsOf(user.uuid), [{uuid: emailUuid, address: 'to.confirm@example.com', main: true, confirmed: true}]);
    assert.equal(await loginStatus('to.confirm@example.com'), 200);
  });

  test('GET, the token in the query string as in a mailed link, answers a page', async () => {
    const {user, emailUuid} = await pending('link.followed@example.com');
    const r = await td.call('GET', `/0.1/emails/${emailUuid.toUpperCase()}/confirm?token=${admin()}`);
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/html/);
    // The built-in page: the configured template (upstream's path) does not exist here.
    assert.equal(r.text, BUILTIN_TEMPLATES.email_confirmation_get_body.replace(/\n$/, ''));
    assert.equal((await emailsOf(user.uuid))[0].confirmed, true);
  });

  test("an unknown address, or one outside the caller's tenant tree, is 404 unknown-email", async () => {
    const unknown = randomUUID();
    const r = await td.call('PUT', `/0.1/emails/${unknown}/confirm`, {token: admin()});
    assert.equal(r.status, 404);
    assert.deepEqual(
      {...r.json, timestamp: 0},
      {message: `No such email: "${unknown}"`, error_id: 'unknown-email', details: {uuid: unknown}, timestamp: 0, resource: 'emails'},
    );
    const {user, emailUuid} = await pending('elsewhere@example.com', sibling);
    assert.equal((await td.call('PUT', `/0.1/emails/${emailUuid}/confirm`, {token: subAdmin})).status, 404);
    assert.equal((await emailsOf(user.uuid))[0].confirmed, false);
  });

  test('401 without a token or without auth.emails.{uuid}.confirm.update', async () => {
    const {emailUuid} = await pending('guarded@example.com');
    assert.equal((await td.call('PUT', `/0.1/emails/${emailUuid}/confirm`)).status, 401);
    const limited = await newUser(top, ['auth.users.#']);
    const token = (await td.login(limited.username, 'pw')).token;
    const r = await td.call('GET', `/0.1/emails/${emailUuid}/confirm?token=${token}`);
    assert.equal(r.status, 401);
    assert.equal(r.json.details.required_access, `auth.emails.${emailUuid}.confirm.update`);
  });
});

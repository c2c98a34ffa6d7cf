// Wazo's official JavaScript SDK (@wazo/sdk 0.44.7, unchanged) against our daemon, served over
// HTTPS under /api/auth as on a Wazo stack. The SDK runs in a child process
// (wazo-sdk-scenario.ts) because each of its requests arms a 300 s timer it never clears; this
// file starts the daemon, prepares the users, runs the scenario, then checks what each SDK call
// returned and what the daemon received and answered for it.
//
// resetPassword and sendResetPasswordEmail, which need an SMTP server and the mailed token, are
// in wazo-sdk-reset.test.ts.

import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {createUser} from '../helpers/users.js';
import {startHttpsDaemon, type HttpsDaemon} from './https-daemon.js';
import type {ScenarioInput, ScenarioOutput} from './wazo-sdk-scenario.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCENARIO = fileURLToPath(new URL('./wazo-sdk-scenario.ts', import.meta.url));
const API = '/api/auth/0.1';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Received {
  step: string;
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  status?: number;
}

let d: HttpsDaemon;
let input: ScenarioInput;
let out: ScenarioOutput;
let finishedAt: number;
const received: Received[] = [];

function runScenario(scenarioInput: ScenarioInput): Promise<ScenarioOutput> {
  const dir = mkdtempSync(join(tmpdir(), 'wazo-sdk-out-'));
  const file = join(dir, 'results.json');
  return new Promise<ScenarioOutput>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', SCENARIO, JSON.stringify(scenarioInput), file],
      {
        cwd: ROOT,
        // The self-signed certificate: Node's fetch ignores the SDK's `agent` option.
        env: {...process.env, NODE_TLS_REJECT_UNAUTHORIZED: '0', NODE_NO_WARNINGS: '1'},
        timeout: 30_000,
        killSignal: 'SIGKILL',
        maxBuffer: 4 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        try {
          if (error) throw new Error(`the SDK scenario failed (${error.message}):\n${stdout}\n${stderr}`);
          resolve(JSON.parse(readFileSync(file, 'utf8')) as ScenarioOutput);
        } catch (e) {
          reject(e);
        } finally {
          rmSync(dir, {recursive: true, force: true});
        }
      },
    );
  });
}

before(async () => {
  d = await startHttpsDaemon();
  // Only listens: the daemon's own handler was registered first and does all the work.
  d.daemon.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const entry: Received = {step: String(req.headers['x-compat-step'] ?? ''), method: req.method!, url: req.url!, headers: req.headers};
    received.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
  });
  const store = d.daemon.services.store;
  const user = async (username: string, password: string, acl?: string[]) => ({
    username,
    password,
    uuid: await createUser(store, {username, password, acl}),
  });
  input = {
    server: d.server,
    admin: {...d.admin},
    alice: await user('alice', 's3cre7', ['confd.users.me.read', 'auth.users.me.#']),
    latin: await user('latin', 'café-crème'),
    euro: await user('euro', 'cost€5'),
    tenantUuid: (await store.tenants.top())!.uuid,
    bob: {
      username: 'bob',
      password: 'b0b-pass',
      newPassword: 'b0b-new-pass',
      firstname: 'Bob',
      lastname: 'Builder',
      email: 'bob@example.com',
      otherEmail: 'builder@example.com',
    },
    policy: {name: 'sdk-compat-policy', description: 'made through the SDK', acl: ['confd.users.me.read', 'dird.me.#']},
    group: {name: 'sdk-compat-group'},
    tenant: {
      name: 'SDK compat',
      newName: 'SDK compat, renamed',
      phone: '+1 555 0100',
      address: {line_1: '1 Main Street', city: 'Springfield', country: 'Canada', zip_code: 'H0H 0H0'},
    },
  };
  out = await runScenario(input);
  finishedAt = Date.now();
});

after(async () => {
  await d?.stop();
});

/** What an SDK call resolved with; fails the test if it rejected. */
function value(step: string): any {
  const result = out[step];
  assert.ok(result, `no result for ${step}`);
  if (!result.ok) assert.fail(`${step} rejected: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** What an SDK call rejected with; fails the test if it resolved. */
function rejection(step: string) {
  const result = out[step];
  assert.ok(result, `no result for ${step}`);
  if (result.ok) assert.fail(`${step} resolved: ${JSON.stringify(result.value)}`);
  return result.error;
}

/** The requests the daemon received for a step, as "METHOD path status". */
function requestsOf(step: string): Received[] {
  return received.filter((r) => r.step === step);
}
function summary(step: string): string[] {
  return requestsOf(step).map((r) => `${r.method} ${r.url} ${r.status}`);
}

function basicBytes(request: Received): Buffer {
  const header = String(request.headers.authorization ?? '');
  assert.match(header, /^Basic /);
  return Buffer.from(header.slice('Basic '.length), 'base64');
}

/** A session expiring `seconds` after the scenario ran (which took a few seconds at most). */
function assertExpiresIn(session: any, seconds: number) {
  const inSeconds = (Date.parse(session.expiresAt) - finishedAt) / 1000;
  assert.ok(Math.abs(inSeconds - seconds) < 60, `expires in ${inSeconds} s, expected about ${seconds} s`);
  assert.equal(session.hasExpired, false);
}

test('logIn: POST /token with Basic credentials gives the user a session', () => {
  const session = value('alice.logIn');
  assert.match(session.token, UUID);
  assert.equal(session.uuid, input.alice.uuid);
  assert.equal(session.tenantUuid, input.tenantUuid);
  assert.deepEqual(session.acl, ['confd.users.me.read', 'auth.users.me.#']);
  assert.match(session.sessionUuid, UUID);
  assert.match(session.stackUuid, UUID);
  assert.equal(session.refreshToken, null);
  assert.equal(session.metadata.uuid, input.alice.uuid);
  assertExpiresIn(session, 600);

  const [request, ...more] = requestsOf('alice.logIn');
  assert.equal(more.length, 0);
  assert.equal(`${request!.method} ${request!.url} ${request!.status}`, `POST ${API}/token 200`);
  assert.equal(basicBytes(request!).toString('latin1'), 'alice:s3cre7');
  assert.equal(request!.headers['content-type'], 'application/json');
  assert.equal(request!.headers['x-auth-token'], undefined);
});

test('logIn: an expiration of 0 becomes the SDK default 3600; mobile sessions log in', () => {
  assertExpiresIn(value('alice.logIn.defaultExpiration'), 3600);
  const mobile = value('alice.logIn.mobile');
  assert.equal(mobile.uuid, input.alice.uuid);
  const [request] = requestsOf('alice.logIn.mobile');
  assert.equal(request!.headers['wazo-session-type'], 'mobile');
});

test('logIn with a wrong password rejects with 401 (the SDK retries it once, as against upstream)', () => {
  const error = rejection('alice.logIn.wrongPassword');
  assert.equal(error.class, 'BadResponse');
  assert.equal(error.status, 401);
  assert.match(error.message, /Authentication Failed/);
  assert.deepEqual(summary('alice.logIn.wrongPassword'), [`POST ${API}/token 401`, `POST ${API}/token 401`]);
});

test('checkToken: true for a live token, from a bare HEAD', () => {
  assert.equal(value('alice.checkToken.live'), true);
  const [request] = requestsOf('alice.checkToken.live');
  assert.equal(`${request!.method} ${request!.status}`, 'HEAD 204');
  assert.equal(request!.headers['x-auth-token'], undefined);
});

test('authenticate(token) returns the session of the token', () => {
  const login = value('alice.logIn');
  const session = value('alice.authenticate');
  assert.equal(session.token, login.token);
  assert.equal(session.uuid, input.alice.uuid);
  assert.equal(session.tenantUuid, input.tenantUuid);
  assert.equal(session.sessionUuid, login.sessionUuid);
  assert.equal(session.stackUuid, login.stackUuid);
  assert.deepEqual(session.acl, login.acl);
  // Kept in whole seconds, as upstream's database does.
  assert.ok(Math.abs(Date.parse(session.expiresAt) - Date.parse(login.expiresAt)) < 1000);
  assert.deepEqual(summary('alice.authenticate'), [`GET ${API}/token/${login.token} 200`]);
});

test('getRestrictionPolicies checks scopes against the client token', () => {
  const token = value('alice.logIn').token;
  assert.deepEqual(value('alice.getRestrictionPolicies'), {scopes: {'confd.users.me.read': true, 'confd.users.read': false}});
  const [request] = requestsOf('alice.getRestrictionPolicies');
  assert.equal(`${request!.method} ${request!.url} ${request!.status}`, `POST ${API}/token/${token}/scopes/check 200`);
  assert.equal(request!.headers['x-auth-token'], token);
});

test('a missing permission rejects with 401 (the SDK tries a refresh, finds no refresh token, replays)', () => {
  const error = rejection('alice.listUsers.forbidden');
  assert.equal(error.class, 'BadResponse');
  assert.equal(error.status, 401);
  assert.equal(error.errorId, 'unauthorized');
  assert.deepEqual(summary('alice.listUsers.forbidden'), [`GET ${API}/users 401`, `GET ${API}/users 401`]);
});

test('logOut revokes the token: checkToken then says false, as for an unknown token', () => {
  const token = value('alice.logIn').token;
  assert.equal(value('alice.logOut'), true);
  assert.deepEqual(summary('alice.logOut'), [`DELETE ${API}/token/${token} 200`]);
  assert.equal(value('alice.checkToken.afterLogOut'), false);
  assert.deepEqual(summary('alice.checkToken.afterLogOut'), [`HEAD ${API}/token/${token} 404`]);
  assert.equal(value('checkToken.unknown'), false);
  assert.equal(requestsOf('checkToken.unknown')[0]!.status, 404);

  // "No such token" makes the SDK try a refresh and replay once, then give up.
  const error = rejection('alice.authenticate.afterLogOut');
  assert.equal(error.class, 'BadResponse');
  assert.equal(error.status, 404);
  assert.deepEqual(JSON.parse(error.message).reason, ['No such token']);
  assert.deepEqual(summary('alice.authenticate.afterLogOut'), [`GET ${API}/token/${token} 404`, `GET ${API}/token/${token} 404`]);
});

test('a client with a clientId gets a refresh token, and refreshToken() makes a new session from it', () => {
  const login = value('offline.logIn');
  assert.equal(login.uuid, input.alice.uuid);
  assert.equal(typeof login.refreshToken, 'string');
  assert.ok(login.refreshToken.length >= 32);

  const refreshed = value('offline.refreshToken');
  assert.match(refreshed.token, UUID);
  assert.notEqual(refreshed.token, login.token);
  assert.equal(refreshed.uuid, input.alice.uuid);
  assert.equal(refreshed.tenantUuid, input.tenantUuid);
  assert.deepEqual(refreshed.acl, login.acl);
  assertExpiresIn(refreshed, 300);
  const [request] = requestsOf('offline.refreshToken');
  assert.equal(`${request!.method} ${request!.url} ${request!.status}`, `POST ${API}/token 200`);
  assert.equal(request!.headers.authorization, undefined);

  assert.equal(value('offline.checkToken.refreshed'), true);
});

test('credentials btoa() sends as Latin-1 log in, and so do UTF-8 ones it cannot encode', () => {
  assert.equal(value('latin.logIn').uuid, input.latin.uuid);
  const [latin] = requestsOf('latin.logIn');
  assert.deepEqual(basicBytes(latin!), Buffer.from('latin:café-crème', 'latin1'), 'the SDK sent é as the byte 0xE9');
  assert.equal(latin!.status, 200);

  assert.equal(value('euro.logIn').uuid, input.euro.uuid);
  const [euro] = requestsOf('euro.logIn');
  assert.deepEqual(basicBytes(euro!), Buffer.from('euro:cost€5', 'utf8'));
  assert.equal(euro!.status, 200);
});

test('admin: listUsers, createUser, getUser (and Wazo-Tenant after setTenant)', () => {
  const admin = value('admin.logIn');
  assert.equal(admin.uuid, input.admin.uuid);
  assert.deepEqual(admin.acl, ['#']);

  const list = value('admin.listUsers');
  assert.equal(list.total, 4);
  assert.deepEqual(list.items.map((u: any) => [u.username, u.uuid]).sort(), [
    ['admin', input.admin.uuid],
    ['alice', input.alice.uuid],
    ['euro', input.euro.uuid],
    ['latin', input.latin.uuid],
  ]);
  const [listing] = requestsOf('admin.listUsers');
  assert.equal(listing!.headers['x-auth-token'], admin.token);
  assert.equal(listing!.headers.accept, 'application/json');
  assert.equal(listing!.headers['content-type'], 'application/json');

  const bob = value('admin.createUser');
  assert.match(bob.uuid, UUID);
  assert.equal(bob.username, 'bob');
  assert.equal(bob.firstname, 'Bob');
  assert.equal(bob.lastname, 'Builder');
  assert.equal(bob.tenant_uuid, input.tenantUuid);
  assert.deepEqual(summary('admin.createUser'), [`POST ${API}/users 200`]);

  const shown = value('admin.getUser');
  assert.equal(shown.uuid, bob.uuid);
  assert.equal(shown.username, 'bob');

  const withTenant = value('admin.listUsers.withTenant');
  assert.equal(withTenant.total, 5);
  assert.ok(withTenant.items.some((u: any) => u.uuid === bob.uuid));
  assert.equal(requestsOf('admin.listUsers.withTenant')[0]!.headers['wazo-tenant'], input.tenantUuid);
});

test('admin: createPolicy (acl sent twice, also as acl_templates) and listPolicies', () => {
  const policy = value('admin.createPolicy');
  assert.match(policy.uuid, UUID);
  assert.equal(policy.name, input.policy.name);
  assert.equal(policy.description, input.policy.description);
  assert.deepEqual(policy.acl, input.policy.acl);
  assert.equal(policy.tenant_uuid, input.tenantUuid);
  assert.deepEqual(summary('admin.createPolicy'), [`POST ${API}/policies 200`]);

  const list = value('admin.listPolicies');
  const listed = list.items.find((p: any) => p.uuid === policy.uuid);
  assert.deepEqual(listed?.acl, input.policy.acl);
  assert.equal(list.total, list.items.length);
});

test('admin: addUserPolicy applies the policy; the SDK rejects the 204 as upstream', () => {
  const bob = value('admin.createUser');
  const policy = value('admin.createPolicy');
  // Upstream's contract: 204 with no body, which the SDK parses as JSON.
  const error = rejection('admin.addUserPolicy');
  assert.equal(error.class, 'SyntaxError');
  assert.match(error.message, /JSON/);
  const [request, ...more] = requestsOf('admin.addUserPolicy');
  assert.equal(more.length, 0);
  assert.equal(`${request!.method} ${request!.url} ${request!.status}`, `PUT ${API}/users/${bob.uuid}/policies/${policy.uuid} 204`);
  assert.equal(request!.headers['content-type'], 'application/json', 'a bodiless PUT declaring JSON is accepted');

  // ...but the change is applied: bob's next session carries the policy's ACL.
  const session = value('bob.logIn.withPolicy');
  assert.equal(session.uuid, bob.uuid);
  assert.deepEqual(session.acl, input.policy.acl);

  assert.equal(value('admin.deleteUserPolicy'), true);
  assert.deepEqual(summary('admin.deleteUserPolicy'), [`DELETE ${API}/users/${bob.uuid}/policies/${policy.uuid} 204`]);
  assert.deepEqual(value('bob.logIn.withoutPolicy').acl, []);
});

test('updatePassword changes the password', () => {
  const bob = value('admin.createUser');
  assert.equal(value('admin.updatePassword'), true);
  assert.deepEqual(summary('admin.updatePassword'), [`PUT ${API}/users/${bob.uuid}/password 204`]);
  assert.equal(value('bob.logIn.newPassword').uuid, bob.uuid);
  assert.equal(rejection('bob.logIn.oldPassword').status, 401);
});

test('admin: listTenants and getTenant', () => {
  const list = value('admin.listTenants');
  assert.equal(list.total, 1);
  assert.deepEqual(
    list.items.map((t: any) => t.uuid),
    [input.tenantUuid],
  );
  const tenant = value('admin.getTenant');
  assert.equal(tenant.uuid, input.tenantUuid);
  assert.equal(tenant.name, list.items[0].name);
  assert.deepEqual(summary('admin.getTenant'), [`GET ${API}/tenants/${input.tenantUuid} 200`]);
});

test('an unknown token on a protected route is 401, so the SDK renews it with its refresh token and replays', () => {
  const {answer, renewedToken, clientToken, staleToken} = value('admin.listUsers.renewed');
  assert.equal(answer.total, 5);
  assert.match(renewedToken, UUID);
  assert.equal(clientToken, renewedToken);
  assert.deepEqual(summary('admin.listUsers.renewed'), [`GET ${API}/users 401`, `POST ${API}/token 200`, `GET ${API}/users 200`]);
  const [first, , replay] = requestsOf('admin.listUsers.renewed');
  assert.equal(first!.headers['x-auth-token'], staleToken);
  assert.equal(replay!.headers['x-auth-token'], renewedToken);
});

test('admin: deletePolicy, deleteUser, then getUser rejects with 404', () => {
  const bob = value('admin.createUser');
  const policy = value('admin.createPolicy');
  assert.equal(value('admin.deletePolicy'), true);
  assert.deepEqual(summary('admin.deletePolicy'), [`DELETE ${API}/policies/${policy.uuid} 204`]);
  assert.equal(value('admin.deleteUser'), true);
  assert.deepEqual(summary('admin.deleteUser'), [`DELETE ${API}/users/${bob.uuid} 204`]);
  const error = rejection('admin.getUser.deleted');
  assert.equal(error.class, 'BadResponse');
  assert.equal(error.status, 404);
  assert.equal(error.errorId, 'unknown-user');
  assert.equal(value('admin.logOut'), true);
});

test('every request reached the daemon under /api/auth/0.1 over HTTPS', () => {
  assert.ok(received.length > 40);
  for (const r of received) {
    assert.ok(r.url.startsWith(`${API}/`), r.url);
    assert.ok(r.step, `untagged request ${r.method} ${r.url}`);
    assert.notEqual(r.status, undefined, `no answer to ${r.method} ${r.url}`);
  }
  assert.match(d.daemon.url, /^https:\/\/127\.0\.0\.1:\d+\/api\/auth$/);
});

test('deleteRefreshToken withdraws the refresh token: refreshToken() then fails, the token it made stays valid', () => {
  const login = value('offline.logIn');
  const refreshed = value('offline.refreshToken');
  assert.equal(value('offline.deleteRefreshToken'), true);
  const [request, ...more] = requestsOf('offline.deleteRefreshToken');
  assert.equal(more.length, 0);
  assert.equal(`${request!.method} ${request!.url} ${request!.status}`, `DELETE ${API}/users/me/tokens/wazo-sdk-compat 204`);
  assert.equal(request!.headers['x-auth-token'], login.token);

  // The grant fails as for any unknown refresh token; the SDK never replays a refresh grant.
  const error = rejection('offline.refreshToken.afterDelete');
  assert.equal(error.class, 'BadResponse');
  assert.equal(error.status, 401);
  assert.deepEqual(JSON.parse(error.message).reason, ['Authentication Failed']);
  assert.deepEqual(summary('offline.refreshToken.afterDelete'), [`POST ${API}/token 401`]);
  const [grant] = requestsOf('offline.refreshToken.afterDelete');
  assert.equal(grant!.headers.authorization, undefined);

  // The access token the refresh token produced is left alone.
  assert.equal(value('offline.checkToken.refreshedAfterDelete'), true);
  assert.deepEqual(summary('offline.checkToken.refreshedAfterDelete'), [`HEAD ${API}/token/${refreshed.token} 204`]);

  const again = rejection('offline.deleteRefreshToken.again');
  assert.equal(again.class, 'BadResponse');
  assert.equal(again.status, 404);
  assert.equal(again.errorId, 'cannot-find-refresh-token-matching-client-id');
  assert.deepEqual(summary('offline.deleteRefreshToken.again'), [`DELETE ${API}/users/me/tokens/wazo-sdk-compat 404`]);
});

test('after deleteRefreshToken the SDK can no longer renew a stale token: grant refused, replay rejected', () => {
  const sessions = `${API}/users/${input.alice.uuid}/sessions`;
  const error = rejection('offline.renewal.afterDelete');
  assert.equal(error.class, 'BadResponse');
  assert.equal(error.status, 401);
  assert.equal(error.errorId, 'unauthorized');
  assert.deepEqual(summary('offline.renewal.afterDelete'), [`GET ${sessions} 401`, `POST ${API}/token 401`, `GET ${sessions} 401`]);
  const [, grant] = requestsOf('offline.renewal.afterDelete');
  assert.equal(grant!.headers.authorization, undefined);
  assert.deepEqual(value('offline.renewal.afterDelete.refreshError'), {class: 'BadResponse', status: 401});
});

test("addUserEmail replaces the addresses and resolves with upstream's list, spread by the SDK", () => {
  const bob = value('admin.createUser');
  const answer = value('admin.addUserEmail');
  // The JSON list becomes an object keyed "0", "1", ... (its `_headers` left out here).
  assert.deepEqual(Object.keys(answer), ['0']);
  const {uuid, ...email} = answer['0'];
  assert.match(uuid, UUID);
  assert.deepEqual(email, {address: input.bob.email, main: true, confirmed: false});
  const [request, ...more] = requestsOf('admin.addUserEmail');
  assert.equal(more.length, 0);
  assert.equal(`${request!.method} ${request!.url} ${request!.status}`, `PUT ${API}/users/${bob.uuid}/emails 200`);
  assert.equal(request!.headers['content-type'], 'application/json');

  // The SDK's `main` is optional; without it the list has no main address, refused as upstream.
  const error = rejection('admin.addUserEmail.noMain');
  assert.equal(error.class, 'BadResponse');
  assert.equal(error.status, 400);
  assert.equal(error.errorId, 'invalid-data');
  assert.match(error.message, /main/);
  assert.deepEqual(summary('admin.addUserEmail.noMain'), [`PUT ${API}/users/${bob.uuid}/emails 400`]);

  // The user shows the new address; the refused list changed nothing.
  assert.deepEqual(value('admin.getUser.withEmail').emails, [answer['0']]);
});

test('getUserSession / deleteUserSession: a user ends her other session, whose token fails checkToken at once', () => {
  const kept = value('alice.logIn.defaultExpiration');
  const mobile = value('alice.logIn.mobile');
  const path = `${API}/users/${input.alice.uuid}/sessions`;

  // alice.logIn's session ended with logOut: the two sessions left are listed.
  const list = value('alice.getUserSession');
  assert.equal(list.total, 2);
  assert.equal(list.filtered, 2);
  assert.deepEqual(list.items.map((s: any) => s.uuid).sort(), [kept.sessionUuid, mobile.sessionUuid].sort());
  const listed = list.items.find((s: any) => s.uuid === mobile.sessionUuid);
  assert.equal(listed.mobile, true);
  assert.equal(listed.user_uuid, input.alice.uuid);
  assert.equal(listed.tenant_uuid, input.tenantUuid);
  assert.equal(listed.remote_addr, '127.0.0.1');
  assert.equal(listed.user_agent, 'node');
  assert.ok(Math.abs(Date.parse(listed.expires_at) - Date.parse(mobile.expiresAt)) < 1000);
  assert.equal(list.items.find((s: any) => s.uuid === kept.sessionUuid).mobile, false);
  const [listing] = requestsOf('alice.getUserSession');
  assert.equal(`${listing!.method} ${listing!.url} ${listing!.status}`, `GET ${path} 200`);
  assert.equal(listing!.headers['x-auth-token'], kept.token);

  assert.equal(value('alice.deleteUserSession'), true);
  assert.deepEqual(summary('alice.deleteUserSession'), [`DELETE ${path}/${mobile.sessionUuid} 204`]);
  assert.equal(value('alice.checkToken.deletedSession'), false);
  assert.deepEqual(summary('alice.checkToken.deletedSession'), [`HEAD ${API}/token/${mobile.token} 404`]);
  assert.equal(value('alice.checkToken.keptSession'), true);
  assert.deepEqual(
    value('alice.getUserSession.afterDelete').items.map((s: any) => s.uuid),
    [kept.sessionUuid],
  );
});

test("getUserSession / deleteUserSession: an administrator ends another user's session", () => {
  const latin = value('latin.logIn');
  const path = `${API}/users/${input.latin.uuid}/sessions`;
  const list = value('admin.getUserSession');
  assert.equal(list.total, 1);
  assert.deepEqual(
    list.items.map((s: any) => [s.uuid, s.user_uuid, s.mobile]),
    [[latin.sessionUuid, input.latin.uuid, false]],
  );
  assert.deepEqual(summary('admin.getUserSession'), [`GET ${path} 200`]);

  assert.equal(value('admin.deleteUserSession'), true);
  assert.deepEqual(summary('admin.deleteUserSession'), [`DELETE ${path}/${latin.sessionUuid} 204`]);
  assert.equal(value('latin.checkToken.deletedSession'), false);
  assert.deepEqual(summary('latin.checkToken.deletedSession'), [`HEAD ${API}/token/${latin.token} 404`]);
  assert.deepEqual(value('admin.getUserSession.afterDelete'), {filtered: 0, total: 0, items: []});
});

test('createGroup / listGroups / addUserGroup / listUsersGroup / deleteUserGroup / deleteGroup', () => {
  const bob = value('admin.createUser');
  const group = value('admin.createGroup');
  assert.match(group.uuid, UUID);
  assert.equal(group.name, input.group.name);
  assert.equal(group.tenant_uuid, input.tenantUuid);
  assert.equal(group.read_only, false);
  assert.deepEqual(summary('admin.createGroup'), [`POST ${API}/groups 200`]);

  const list = value('admin.listGroups');
  assert.equal(list.total, list.items.length);
  assert.equal(list.items.find((g: any) => g.uuid === group.uuid)?.name, input.group.name);
  assert.deepEqual(summary('admin.listGroups'), [`GET ${API}/groups 200`]);

  // Upstream's contract: 204 with no body, which the SDK parses as JSON...
  const error = rejection('admin.addUserGroup');
  assert.equal(error.class, 'SyntaxError');
  assert.match(error.message, /JSON/);
  const [request, ...more] = requestsOf('admin.addUserGroup');
  assert.equal(more.length, 0);
  assert.equal(`${request!.method} ${request!.url} ${request!.status}`, `PUT ${API}/groups/${group.uuid}/users/${bob.uuid} 204`);
  assert.equal(request!.headers['content-type'], 'application/json', 'a bodiless PUT declaring JSON is accepted');

  // ...but the change is applied: bob is a member.
  const members = value('admin.listUsersGroup');
  assert.equal(members.total, 1);
  assert.deepEqual(
    members.items.map((u: any) => [u.uuid, u.username]),
    [[bob.uuid, 'bob']],
  );
  assert.deepEqual(summary('admin.listUsersGroup'), [`GET ${API}/groups/${group.uuid}/users 200`]);

  assert.equal(value('admin.deleteUserGroup'), true);
  assert.deepEqual(summary('admin.deleteUserGroup'), [`DELETE ${API}/groups/${group.uuid}/users/${bob.uuid} 204`]);
  assert.deepEqual(value('admin.listUsersGroup.afterDelete'), {items: [], total: 0, filtered: 0});

  assert.equal(value('admin.deleteGroup'), true);
  assert.deepEqual(summary('admin.deleteGroup'), [`DELETE ${API}/groups/${group.uuid} 204`]);
  const after = value('admin.listGroups.afterDelete');
  assert.equal(after.total, list.total - 1);
  assert.ok(!after.items.some((g: any) => g.uuid === group.uuid));
});

test('createTenant / updateTenant (address as an object, then as the SDK types it: an array) / deleteTenant', () => {
  const bob = value('admin.createUser');
  const tenant = value('admin.createTenant');
  assert.match(tenant.uuid, UUID);
  assert.equal(tenant.name, input.tenant.name);
  assert.equal(tenant.parent_uuid, input.tenantUuid);
  assert.deepEqual(summary('admin.createTenant'), [`POST ${API}/tenants 200`]);

  const noAddress = {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null};
  const updated = value('admin.updateTenant');
  assert.deepEqual(updated, {
    ...tenant,
    name: input.tenant.newName,
    contact: bob.uuid,
    phone: input.tenant.phone,
    address: {...noAddress, ...input.tenant.address},
  });
  assert.deepEqual(summary('admin.updateTenant'), [`PUT ${API}/tenants/${tenant.uuid} 200`]);
  assert.deepEqual(value('admin.getTenant.updated'), updated);

  // `[]`, as the SDK's type has it, is taken as no address (as upstream): the PUT clears it.
  assert.deepEqual(value('admin.updateTenant.arrayAddress'), {...updated, address: noAddress});
  assert.deepEqual(summary('admin.updateTenant.arrayAddress'), [`PUT ${API}/tenants/${tenant.uuid} 200`]);

  const list = value('admin.listTenants.withChild');
  assert.equal(list.total, 2);
  assert.deepEqual(list.items.map((t: any) => t.uuid).sort(), [input.tenantUuid, tenant.uuid].sort());

  assert.equal(value('admin.deleteTenant'), true);
  assert.deepEqual(summary('admin.deleteTenant'), [`DELETE ${API}/tenants/${tenant.uuid} 204`]);
  const error = rejection('admin.getTenant.deleted');
  assert.equal(error.class, 'BadResponse');
  assert.equal(error.status, 404);
  assert.equal(error.errorId, 'unknown-tenant');
  assert.deepEqual(
    value('admin.listTenants.afterDelete').items.map((t: any) => t.uuid),
    [input.tenantUuid],
  );
});

// client.tokens against a real daemon: logins, reads, checks and revocation.

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {ApiError, AuthClient} from '../../src/client/index.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;
let client: AuthClient;
/** A user of the top tenant whose ACL is `confd.users.read` only. */
const reader = {username: 'reader', password: 'reader-pass', uuid: ''};

before(async () => {
  td = await startTestDaemon();
  client = new AuthClient({url: td.url, token: td.admin.token});
  reader.uuid = (await client.users.create({username: reader.username, password: reader.password})).uuid;
  await client.policies.create({name: 'reading', slug: 'reading', acl: ['confd.users.read']});
  await client.users.addPolicy(reader.uuid, 'reading');
});

after(async () => {
  await client.close();
  await td.stop();
});

const login = (options = {}) => client.tokens.create({username: reader.username, password: reader.password}, options);

/** A token of a user of a tenant below the top one. */
async function branchLogin() {
  const branch = await client.tenants.create({name: 'branch'});
  const inBranch = new AuthClient({url: td.url, token: td.admin.token, tenant: branch.uuid});
  try {
    const username = `branch-user-${branch.slug}`;
    await inBranch.users.create({username, password: 'branch-pass'});
    return await client.tokens.create({username, password: 'branch-pass'});
  } finally {
    await inBranch.close();
  }
}

describe('create', () => {
  test('logs in with Basic credentials and answers the token data', async () => {
    const token = await login({expiration: 60});
    assert.match(token.token, /^[0-9a-f-]{36}$/);
    assert.equal(token.auth_id, reader.uuid);
    assert.deepEqual(token.acl, ['confd.users.read']);
    assert.equal(token.metadata.tenant_uuid, (await client.users.get(reader.uuid)).tenant_uuid);
    assert.equal(Date.parse(token.utc_expires_at) - Date.parse(token.utc_issued_at), 60_000);
    assert.equal(token.refresh_token, undefined);
  });

  test('credentials outside ASCII are sent as UTF-8', async () => {
    await client.users.create({username: 'josé', password: 'pässwörd €'});
    const token = await client.tokens.create({username: 'josé', password: 'pässwörd €'});
    assert.match(token.token, /^[0-9a-f-]{36}$/);
  });

  test('a wrong password is ApiError 401 with the daemon message', async () => {
    await assert.rejects(
      client.tokens.create({username: reader.username, password: 'wrong'}),
      (error: unknown) => error instanceof ApiError && error.status === 401 && error.message === 'Authentication Failed' && !error.message.includes('wrong'),
    );
  });

  test('an offline login returns a refresh token, which then logs in by itself', async () => {
    const offline = await login({accessType: 'offline', clientId: 'client-tests'});
    assert.match(offline.refresh_token!, /\S{20,}/);
    const refreshed = await client.tokens.createFromRefreshToken(offline.refresh_token!, 'client-tests', {expiration: 30});
    assert.equal(refreshed.auth_id, reader.uuid);
    assert.notEqual(refreshed.token, offline.token);
    assert.equal(refreshed.refresh_token, undefined);
    assert.equal(Date.parse(refreshed.utc_expires_at) - Date.parse(refreshed.utc_issued_at), 30_000);
  });

  test('an offline login without a client id is ApiError 400', async () => {
    await assert.rejects(
      login({accessType: 'offline'}),
      (error: unknown) => error instanceof ApiError && error.status === 400 && /client_id/.test(error.message),
    );
  });

  test('the mobile session type marks the session', async () => {
    const mobile = await login({sessionType: 'mobile'});
    const plain = await login();
    const sessions = (await client.users.listSessions(reader.uuid)).items;
    assert.equal(sessions.find((s) => s.uuid === mobile.session_uuid)?.mobile, true);
    assert.equal(sessions.find((s) => s.uuid === plain.session_uuid)?.mobile, false);
  });
});

describe('get', () => {
  test('reads the token, and checks a scope and a tenant on the way', async () => {
    const token = await login();
    const read = await client.tokens.get(token.token);
    assert.equal(read.token, token.token);
    assert.equal(read.session_uuid, token.session_uuid);
    assert.equal((await client.tokens.get(token.token, {scope: 'confd.users.read', tenant: token.metadata.tenant_uuid})).auth_id, reader.uuid);
    await assert.rejects(
      client.tokens.get(token.token, {scope: 'confd.users.delete'}),
      (error: unknown) => error instanceof ApiError && error.status === 403 && error.message === 'Unauthorized for confd.users.delete',
    );
  });

  test('an unknown token is ApiError 404, and the error does not repeat the token', async () => {
    const unknown = '5f8d9b1e-0000-4000-8000-000000000000';
    await assert.rejects(client.tokens.get(unknown), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.status, 404);
      assert.equal(error.message, 'No such token');
      assert.ok(!error.message.includes(unknown));
      return true;
    });
  });
});

describe('check', () => {
  test('true for a valid token and a granted scope, false otherwise', async () => {
    const token = await login();
    assert.equal(await client.tokens.check(token.token), true);
    assert.equal(await client.tokens.check(token.token, {scope: 'confd.users.read'}), true);
    assert.equal(await client.tokens.check(token.token, {scope: 'confd.users.delete'}), false);
    assert.equal(await client.tokens.check('5f8d9b1e-0000-4000-8000-000000000000'), false);
  });

  test('a tenant the token does not cover is false', async () => {
    const branch = await branchLogin();
    const top = (await login()).metadata.tenant_uuid;
    assert.equal(await client.tokens.check(branch.token, {tenant: branch.metadata.tenant_uuid}), true);
    assert.equal(await client.tokens.check(branch.token, {tenant: top}), false);
  });

  test('checkScopes tells each access', async () => {
    const token = await login();
    assert.deepEqual(await client.tokens.checkScopes(token.token, ['confd.users.read', 'confd.users.delete']), {
      'confd.users.read': true,
      'confd.users.delete': false,
    });
  });

  test('checkScopes: an unknown token is ApiError 404, a tenant not covered ApiError 403', async () => {
    const branch = await branchLogin();
    const top = (await login()).metadata.tenant_uuid;
    await assert.rejects(client.tokens.checkScopes('5f8d9b1e-0000-4000-8000-000000000000', ['a']), (e: unknown) => e instanceof ApiError && e.status === 404);
    await assert.rejects(
      client.tokens.checkScopes(branch.token, ['confd.users.read'], top),
      (e: unknown) => e instanceof ApiError && e.status === 403 && e.message === `Unauthorized for tenant ${top}`,
    );
  });
});

describe('revoke', () => {
  test('the token stops being valid; revoking an unknown token succeeds', async () => {
    const token = await login();
    await client.tokens.revoke(token.token);
    assert.equal(await client.tokens.check(token.token), false);
    await client.tokens.revoke(token.token);
  });
});

test('the token routes work without a token of the client', async () => {
  const anonymous = new AuthClient({url: td.url});
  try {
    const token = await anonymous.tokens.create({username: reader.username, password: reader.password});
    assert.equal(await anonymous.tokens.check(token.token, {scope: 'confd.users.read'}), true);
    await anonymous.tokens.revoke(token.token);
  } finally {
    await anonymous.close();
  }
});

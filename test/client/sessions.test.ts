// client.sessions and client.refreshTokens against a real daemon.

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {ApiError, AuthClient} from '../../src/client/index.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;
let client: AuthClient;
const alice = {username: 'alice', password: 'alice-pass', uuid: ''};

before(async () => {
  td = await startTestDaemon();
  client = new AuthClient({url: td.url, token: td.admin.token});
  alice.uuid = (await client.users.create({username: alice.username, password: alice.password})).uuid;
  // Alice may read and withdraw her own refresh tokens.
  await client.policies.create({name: 'own-tokens', slug: 'own-tokens', acl: ['auth.users.me.tokens.#']});
  await client.users.addPolicy(alice.uuid, 'own-tokens');
});

after(async () => {
  await client.close();
  await td.stop();
});

describe('sessions', () => {
  test('list shows each login; delete ends it and revokes its token', async () => {
    const token = await client.tokens.create({username: alice.username, password: alice.password}, {sessionType: 'mobile'});
    const listed = await client.sessions.list();
    const session = listed.items.find((s) => s.uuid === token.session_uuid);
    assert.ok(session);
    assert.equal(session.user_uuid, alice.uuid);
    assert.equal(session.mobile, true);
    assert.equal(listed.total, listed.items.length);
    assert.deepEqual(
      (await client.sessions.list({order: 'mobile', direction: 'desc', limit: 1})).items.map((s) => s.uuid),
      [token.session_uuid],
    );

    await client.sessions.delete(token.session_uuid);
    assert.equal(await client.tokens.check(token.token), false);
    await client.sessions.delete(token.session_uuid);
  });

  test('recurse includes the sessions of the tenants below', async () => {
    const branch = await client.tenants.create({name: 'session-branch'});
    const inBranch = new AuthClient({url: td.url, token: td.admin.token, tenant: branch.uuid});
    try {
      await inBranch.users.create({username: 'branch-sessions', password: 'branch-pass'});
      const token = await client.tokens.create({username: 'branch-sessions', password: 'branch-pass'});
      assert.ok(!(await client.sessions.list()).items.some((s) => s.uuid === token.session_uuid));
      assert.ok((await client.sessions.list({recurse: true})).items.some((s) => s.uuid === token.session_uuid));
    } finally {
      await inBranch.close();
    }
  });
});

describe('refresh tokens', () => {
  test('list, listOfUser (by uuid and as me), filter by client_id, delete', async () => {
    const offline = await client.tokens.create({username: alice.username, password: alice.password}, {accessType: 'offline', clientId: 'laptop'});
    await client.tokens.create({username: alice.username, password: alice.password}, {accessType: 'offline', clientId: 'phone', sessionType: 'mobile'});

    const all = await client.refreshTokens.list({order: 'client_id'});
    assert.deepEqual(
      all.items.map((t) => [t.client_id, t.mobile, t.user_uuid]),
      [
        ['laptop', false, alice.uuid],
        ['phone', true, alice.uuid],
      ],
    );
    assert.deepEqual(
      (await client.refreshTokens.listOfUser(alice.uuid, {client_id: 'phone'})).items.map((t) => t.client_id),
      ['phone'],
    );
    assert.deepEqual(
      (await client.refreshTokens.list({mobile: true})).items.map((t) => t.client_id),
      ['phone'],
    );

    const asAlice = new AuthClient({url: td.url, token: offline.token});
    try {
      assert.equal((await asAlice.refreshTokens.listOfUser('me')).total, 2);
      await asAlice.refreshTokens.delete('me', 'phone');
    } finally {
      await asAlice.close();
    }
    await client.refreshTokens.delete(alice.uuid, 'laptop');
    assert.equal((await client.refreshTokens.list()).total, 0);
    await assert.rejects(client.tokens.createFromRefreshToken(offline.refresh_token!, 'laptop'), (e: unknown) => e instanceof ApiError && e.status === 401);
    await assert.rejects(
      client.refreshTokens.delete(alice.uuid, 'laptop'),
      (e: unknown) => e instanceof ApiError && e.status === 404 && e.errorId === 'cannot-find-refresh-token-matching-client-id',
    );
  });
});

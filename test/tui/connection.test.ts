// The dashboard's link to a real daemon: the token renewed before it expires, and a 401 that
// refuses an operation rather than the token left alone.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {ApiError, type Token} from '../../src/client/index.js';
import {Connection} from '../../src/tui/connection.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';
import {testClient} from './harness.js';

let td: TestDaemon;

before(async () => {
  td = await startTestDaemon();
  await createUser(td.daemon.services.store, {username: 'editor', password: 'editor-pass', acl: ['auth.policies.#']});
});
after(() => td.stop());

async function connect(username: string, password: string, expiration: number) {
  const client = testClient(td.url);
  const homeClient = testClient(td.url);
  const issued: Token[] = [];
  const login = async () => {
    const token = await client.tokens.create({username, password}, {expiration});
    client.token = token.token;
    issued.push(token);
    return token;
  };
  const first = await login();
  const connection = new Connection({client, homeClient, token: first, renew: login});
  return {
    connection,
    issued,
    async close() {
      connection.close();
      await Promise.all([client.close(), homeClient.close()]);
    },
  };
}

test('the token is renewed halfway through its life, for both clients', async () => {
  const {connection, issued, close} = await connect('admin', td.admin.password, 4);
  try {
    const deadline = Date.now() + 15_000;
    while (issued.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(issued.length >= 2, true, 'renewed');
    assert.notEqual(connection.client.token, issued[0]!.token);
    const tenants = await connection.runHome((c) => c.tenants.list());
    assert.ok(tenants.total >= 1);
    assert.equal(connection.link.kind, 'up');
  } finally {
    await close();
  }
});

test('a 401 refusing an operation, not the token, goes to the caller without a renewal', async () => {
  const {connection, issued, close} = await connect('editor', 'editor-pass', 3600);
  try {
    const policy = await connection.run((c) => c.policies.create({name: 'editable'}));
    await assert.rejects(
      connection.run((c) => c.policies.addAccess(policy.uuid, 'confd.users.read')),
      (error: unknown) => error instanceof ApiError && error.status === 401,
    );
    assert.equal(issued.length, 1);
    assert.equal(connection.link.kind, 'up');
  } finally {
    await close();
  }
});

test('once closed, a call refused for a revoked token gets no new token: the command revoked the last one', async () => {
  const {connection, issued, close} = await connect('admin', td.admin.password, 3600);
  try {
    connection.close();
    await connection.client.tokens.revoke(connection.client.token!);
    await assert.rejects(
      connection.run((c) => c.tenants.list()),
      (error: unknown) => error instanceof ApiError && error.status === 401,
    );
    assert.equal(issued.length, 1);
  } finally {
    await close();
  }
});

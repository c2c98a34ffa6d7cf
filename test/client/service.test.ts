// client.status, client.backends and client.config against a real daemon.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
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

test('status resolves on a working daemon, without a token, with its version', async () => {
  const anonymous = new AuthClient({url: td.url});
  try {
    assert.match((await anonymous.status.check()).version ?? '', /^\d+\.\d+\.\d+/);
    assert.deepEqual(await anonymous.backends.list(), ['ldap_user', 'wazo_user']);
  } finally {
    await anonymous.close();
  }
});

test('config: get, and patch switches debug on and off', async () => {
  const config = await client.config.get();
  assert.equal((config.rest_api as {listen: string}).listen, '127.0.0.1');
  assert.equal(config.debug, false);
  assert.equal((await client.config.patch([{op: 'replace', path: '/debug', value: true}])).debug, true);
  assert.equal((await client.config.get()).debug, true);
  assert.equal((await client.config.patch([{op: 'replace', path: '/debug', value: false}])).debug, false);
});

test('config is for tokens of the top tenant only: ApiError 401', async () => {
  const branch = await client.tenants.create({name: 'config-branch'});
  const inBranch = new AuthClient({url: td.url, token: td.admin.token, tenant: branch.uuid});
  try {
    const user = await inBranch.users.create({username: 'branch-admin', password: 'branch-pass'});
    await inBranch.policies.create({name: 'everything', slug: 'everything', acl: ['#']});
    await inBranch.users.addPolicy(user.uuid, 'everything');
  } finally {
    await inBranch.close();
  }
  const token = await client.tokens.create({username: 'branch-admin', password: 'branch-pass'});
  const branchAdmin = new AuthClient({url: td.url, token: token.token});
  try {
    await assert.rejects(branchAdmin.config.get(), (e: unknown) => e instanceof ApiError && e.status === 401 && e.errorId === 'unauthorized');
  } finally {
    await branchAdmin.close();
  }
});

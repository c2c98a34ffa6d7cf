// `wazo-auth bootstrap` as wazo-auth-bootstrap: its variables, its credentials file for
// wazo-auth-cli, and what a daemon then serves: the master policy read-only, a user made at start.

import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {parse} from 'yaml';
import {runBootstrap, type BootstrapRequest} from '../../src/daemon/bootstrap.js';
import {MASTER_POLICY_SLUG} from '../../src/services/bootstrap.js';
import {basic, startTestDaemon, testStore} from '../helpers/daemon.js';

let dir: string;
let dbUri: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wazo-auth-bootstrap-cmd-'));
  dbUri = `sqlite://${join(dir, 'auth.db')}`;
});
after(() => rmSync(dir, {recursive: true, force: true}));

const noPrompt = async () => undefined;
const request = (extra: Partial<BootstrapRequest>): BootstrapRequest => ({
  env: {WAZO_AUTH_BOOTSTRAP_URI: dbUri},
  passwordFromStdin: false,
  readPassword: noPrompt,
  ...extra,
});

describe('bootstrap', () => {
  test('WAZO_AUTH_BOOTSTRAP_USERNAME, _PASSWORD, _PURPOSE and _URI stand for the flags and db_uri', async () => {
    const env = {
      WAZO_AUTH_BOOTSTRAP_URI: dbUri,
      WAZO_AUTH_BOOTSTRAP_USERNAME: 'env-admin',
      WAZO_AUTH_BOOTSTRAP_PASSWORD: 'env-pass',
      WAZO_AUTH_BOOTSTRAP_PURPOSE: 'user',
    };
    const result = await runBootstrap(request({env}));
    assert.equal(result.username, 'env-admin');
    assert.equal(result.wrote, undefined);
    // --username wins over the variable; a bad purpose is a usage error.
    assert.equal((await runBootstrap(request({env, username: 'flag-admin'}))).username, 'flag-admin');
    await assert.rejects(runBootstrap(request({env: {...env, WAZO_AUTH_BOOTSTRAP_PURPOSE: 'boss'}})), {oclif: {exit: 2}});
  });

  test('without a password source it is a usage error naming the ways to give one', async () => {
    await assert.rejects(runBootstrap(request({username: 'x'})), (error: Error & {oclif?: {exit: number}}) => {
      assert.equal(error.oclif?.exit, 2);
      assert.match(error.message, /WAZO_AUTH_BOOTSTRAP_PASSWORD/);
      return true;
    });
  });

  test("--complete writes upstream's credentials file (mode 0600, auth.username/password/backend), then reuses it", async () => {
    const file = join(dir, 'cli', '050-credentials.yml');
    const first = await runBootstrap(request({complete: true, credentialsFile: file}));
    assert.equal(first.username, 'wazo-auth-cli');
    assert.equal(first.wrote, file);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const written = parse(readFileSync(file, 'utf8'));
    assert.deepEqual(Object.keys(written.auth), ['username', 'password', 'backend']);
    assert.equal(written.auth.username, 'wazo-auth-cli');
    assert.equal(written.auth.backend, 'wazo_user');
    assert.match(written.auth.password, /^[0-9a-zA-Z]{28}$/);
    const second = await runBootstrap(request({complete: true, credentialsFile: file}));
    assert.deepEqual([second.uuid, second.wrote], [first.uuid, undefined]);
    assert.equal(readFileSync(file, 'utf8'), `auth:\n  username: wazo-auth-cli\n  password: ${written.auth.password}\n  backend: wazo_user\n`);
  });

  test('a credentials file without a password is refused, nothing changed', async () => {
    const file = join(dir, 'broken.yml');
    writeFileSync(file, 'auth:\n  username: someone\n');
    await assert.rejects(runBootstrap(request({complete: true, credentialsFile: file})), /auth\.username and auth\.password must be set/);
  });
});

describe('a daemon on the bootstrapped database', {skip: testStore() === 'postgresql' && 'SQLite only: bootstrap names its file'}, () => {
  test('the administrator logs in; the master policy is read-only through the API; the start-up user is made', async () => {
    const file = join(dir, 'daemon-cli.yml');
    await runBootstrap(request({complete: true, credentialsFile: file}));
    const {password} = parse(readFileSync(file, 'utf8')).auth;
    const td = await startTestDaemon({
      config: {db_uri: dbUri, bootstrap_user_on_startup: true, bootstrap_user_username: 'on-start', bootstrap_user_password: 'start-secret'},
    });
    try {
      const token = (await td.login('wazo-auth-cli', password)).token;
      const {items} = (await td.call('GET', `/0.1/policies?slug=${MASTER_POLICY_SLUG}`, {token})).json;
      assert.equal(items.length, 1);
      assert.equal(items[0].read_only, true);
      const edit = await td.call('PUT', `/0.1/policies/${items[0].uuid}`, {token, body: {name: MASTER_POLICY_SLUG, acl: []}});
      assert.equal(edit.status, 403, edit.text);
      assert.equal((await td.call('DELETE', `/0.1/policies/${items[0].uuid}/acl/${encodeURIComponent('#')}`, {token})).status, 403);
      // Seen by the top tenant only, as upstream's: a sub-tenant's lists do not show it.
      const sub = (await td.call('POST', '/0.1/tenants', {token, body: {name: 'below'}})).json.uuid;
      const seenBelow = await td.call('GET', `/0.1/policies?slug=${MASTER_POLICY_SLUG}`, {token, headers: {'Wazo-Tenant': sub}});
      assert.deepEqual(seenBelow.json.items, []);
      assert.equal((await td.call('GET', `/0.1/policies/${items[0].uuid}`, {token, headers: {'Wazo-Tenant': sub}})).status, 404);
      const adminUuid = (await td.call('GET', `/0.1/token/${token}`)).json.data.metadata.uuid;
      const held = await td.call('GET', `/0.1/users/${adminUuid}/policies`, {token});
      assert.deepEqual(
        held.json.items.map((p: {slug: string; read_only: boolean}) => [p.slug, p.read_only]),
        [[MASTER_POLICY_SLUG, true]],
      );
      const startUser = await td.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic('on-start', 'start-secret')}});
      assert.equal(startUser.status, 200, startUser.text);
      const config = (await td.call('GET', '/0.1/config', {token})).json;
      assert.equal(config.bootstrap_user_password, '********');
    } finally {
      await td.stop();
    }
  });
});

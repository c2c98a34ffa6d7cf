// Upstream's plugin switches: a disabled http plugin's routes are not served and not documented,
// conf.d overlays a switch key by key, and a bad switch is a configuration error.

import assert from 'node:assert/strict';
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {parse} from 'yaml';
import {loadConfig} from '../../src/config/index.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

const documented = async (td: TestDaemon): Promise<Record<string, Record<string, unknown>>> => parse((await td.call('GET', '/0.1/api/api.yml')).text).paths;

describe('users and login_throttle disabled', () => {
  let td: TestDaemon;
  before(async () => {
    td = await startTestDaemon({config: {enabled_http_plugins: {users: false, login_throttle: false}}});
  });
  after(() => td.stop());

  test("their routes answer werkzeug's 404, as an unknown path does", async () => {
    const unknown = await td.call('GET', '/0.1/no-such-thing', {token: td.admin.token});
    for (const [method, path] of [
      ['GET', '/0.1/users'],
      ['POST', '/0.1/users'],
      ['GET', `/0.1/users/${td.admin.uuid}`],
      ['PUT', `/0.1/users/${td.admin.uuid}/password`],
      ['GET', '/0.1/throttle'],
      ['DELETE', `/0.1/users/${td.admin.uuid}/throttle`],
    ] as const) {
      const r = await td.call(method, path, {token: td.admin.token, body: {}});
      assert.equal(r.status, 404, `${method} ${path}`);
      assert.equal(r.headers['content-type'], unknown.headers['content-type'], `${method} ${path}`);
      assert.equal(r.text, unknown.text, `${method} ${path}`);
    }
  });

  test('the other plugins, user_policy and user_group among them, still serve their routes under /users', async () => {
    assert.equal((await td.call('GET', `/0.1/users/${td.admin.uuid}/policies`, {token: td.admin.token})).status, 200);
    assert.equal((await td.call('GET', `/0.1/users/${td.admin.uuid}/groups`, {token: td.admin.token})).status, 200);
    assert.equal((await td.call('GET', '/0.1/tenants', {token: td.admin.token})).status, 200);
  });

  test('api.yml documents neither', async () => {
    const paths = await documented(td);
    for (const gone of ['/users', '/users/{user_uuid}', '/users/{user_uuid}/password', '/throttle', '/users/{user_uuid}/throttle']) {
      assert.equal(paths[gone], undefined, gone);
    }
    assert.ok(paths['/users/{user_uuid}/policies']?.get);
    assert.ok(paths['/token']?.post);
  });
});

test('with api disabled there is no API document; with backends disabled no GET /backends', async () => {
  const td = await startTestDaemon({config: {enabled_http_plugins: {api: false, backends: false}}});
  try {
    assert.equal((await td.call('GET', '/0.1/api/api.yml')).status, 404);
    assert.equal((await td.call('GET', '/0.1/backends')).status, 404);
    assert.equal((await td.call('HEAD', '/0.1/status')).status, 200);
  } finally {
    await td.stop();
  }
});

describe('conf.d overlays a switch map key by key', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wazo-auth-switches-'));
    await mkdir(join(dir, 'conf.d'));
    await writeFile(
      join(dir, 'config.yml'),
      [`extra_config_files: ${join(dir, 'conf.d')}`, 'enabled_http_plugins:', '  tenants: false', '  sessions: false', ''].join('\n'),
    );
    await writeFile(join(dir, 'conf.d', '10-groups.yml'), 'enabled_http_plugins:\n  tenants: true\n  groups: false\n');
  });
  after(() => rm(dir, {recursive: true, force: true}));

  test('the loaded switches: conf.d wins, the main file fills in, the defaults do the rest', () => {
    const {enabled_http_plugins: http} = loadConfig({configFile: join(dir, 'config.yml'), env: {}});
    assert.equal(http.tenants, true);
    assert.equal(http.groups, false);
    assert.equal(http.sessions, false);
    assert.equal(http.users, true);
    assert.equal(http.user_registration, false);
  });

  test('the daemon serves accordingly', async () => {
    const td = await startTestDaemon({configFile: join(dir, 'config.yml')});
    try {
      assert.equal((await td.call('GET', '/0.1/tenants', {token: td.admin.token})).status, 200);
      assert.equal((await td.call('GET', '/0.1/groups', {token: td.admin.token})).status, 404);
      assert.equal((await td.call('GET', '/0.1/sessions', {token: td.admin.token})).status, 404);
      assert.equal((await td.call('GET', `/0.1/users/${td.admin.uuid}/sessions`, {token: td.admin.token})).status, 200, 'user_session is its own plugin');
    } finally {
      await td.stop();
    }
  });
});

describe('the switches are checked', () => {
  const load = (overrides: Record<string, unknown>) => () => loadConfig({overrides, env: {}});

  test("upstream's defaults", () => {
    const config = loadConfig({env: {}});
    assert.deepEqual(config.enabled_backend_plugins, {ldap_user: true, wazo_user: true});
    assert.deepEqual(config.enabled_metadata_plugins, {default_user: true, default_internal: true, default_external_api: true});
    assert.deepEqual(config.purpose_metadata_mapping, {user: [], internal: [], external_api: []});
    assert.deepEqual(config.enabled_external_auth_plugins, {google: true, microsoft: true, mobile: true});
    assert.deepEqual(config.idp_plugins, {saml: {enabled: true, priority: 1}, ldap: {enabled: true, priority: 2}});
    assert.equal(Object.keys(config.enabled_http_plugins).length, 24);
    assert.deepEqual(config.plugin_packages, {});
  });

  test('an idp switch without enabled is off, without priority is 100, as upstream', () => {
    assert.deepEqual(loadConfig({overrides: {idp_plugins: {extra: {priority: 3}, other: {enabled: true}}}, env: {}}).idp_plugins.extra, {
      enabled: false,
      priority: 3,
    });
    assert.deepEqual(loadConfig({overrides: {idp_plugins: {other: {enabled: true}}}, env: {}}).idp_plugins.other, {enabled: true, priority: 100});
  });

  test('wrong values name their key', () => {
    assert.throws(load({enabled_http_plugins: {users: 'no'}}), /enabled_http_plugins\.users must be true or false/);
    assert.throws(load({enabled_backend_plugins: ['wazo_user']}), /enabled_backend_plugins must be a mapping/);
    assert.throws(load({purpose_metadata_mapping: {user: 'user_admin_status'}}), /purpose_metadata_mapping\.user must be a list/);
    assert.throws(load({idp_plugins: {ldap: {priority: 'high'}}}), /idp_plugins\.ldap\.priority must be an integer/);
    assert.throws(load({idp_plugins: {ldap: true}}), /idp_plugins\.ldap must be a mapping/);
    assert.throws(
      load({plugin_packages: {'./relative/plugin': true}}),
      /plugin_packages: ".\/relative\/plugin" is neither an npm package name nor an absolute folder/,
    );
  });
});

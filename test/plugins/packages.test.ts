// Third-party plugin packages: the example under examples/ loaded into a real daemon and called,
// and a package that cannot load stopping the start with an error that names it.

import assert from 'node:assert/strict';
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {parse} from 'yaml';
import {ConfigError} from '../../src/config/index.js';
import {capture} from '../cli/binary.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {BIN, writeDaemonConfig} from '../helpers/daemon-process.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'wazo-auth-plugin-example');

describe('examples/wazo-auth-plugin-example', () => {
  let td: TestDaemon;
  let alice: string;
  before(async () => {
    td = await startTestDaemon({
      config: {
        plugin_packages: {[EXAMPLE]: true},
        enabled_http_plugins: {example: true},
        enabled_metadata_plugins: {example_display_name: true},
        purpose_metadata_mapping: {user: ['example_display_name']},
      },
    });
    const policy = await td.call('POST', '/0.1/policies', {token: td.admin.token, body: {name: 'greeted', acl: ['example.greeting.read']}});
    const user = await td.call('POST', '/0.1/users', {
      token: td.admin.token,
      body: {username: 'alice', firstname: 'Alice', lastname: 'Liddell', password: 'pw'},
    });
    assert.equal(user.status, 200, user.text);
    assert.equal((await td.call('PUT', `/0.1/users/${user.json.uuid}/policies/${policy.json.uuid}`, {token: td.admin.token})).status, 204);
    alice = (await td.login('alice', 'pw')).token;
  });
  after(() => td.stop());

  test('its metadata plugin adds display_name after the default fields', async () => {
    const {metadata} = await td.login('alice', 'pw');
    assert.deepEqual(Object.keys(metadata), ['uuid', 'tenant_uuid', 'auth_id', 'pbx_user_uuid', 'xivo_uuid', 'purpose', 'display_name']);
    assert.equal(metadata.display_name, 'Alice Liddell');
  });

  test('its route answers a token with its access, and is guarded like any other', async () => {
    const r = await td.call('GET', '/0.1/example/greeting', {token: alice});
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, {greeting: 'Hello, Alice Liddell!'});
    assert.equal((await td.call('GET', '/0.1/example/greeting')).status, 401);
    const other = await td.call('POST', '/0.1/users', {token: td.admin.token, body: {username: 'bob', password: 'pw'}});
    assert.equal(other.status, 200);
    assert.equal((await td.call('GET', '/0.1/example/greeting', {token: (await td.login('bob', 'pw')).token})).status, 401);
  });

  test('api.yml documents it', async () => {
    const paths = parse((await td.call('GET', '/0.1/api/api.yml')).text).paths;
    assert.equal(paths['/example/greeting'].get.summary, 'Greets the owner of the token by name');
  });

  test('loaded but not enabled, it serves nothing', async () => {
    const off = await startTestDaemon({config: {plugin_packages: {[EXAMPLE]: true}}});
    try {
      assert.equal((await off.call('GET', '/0.1/example/greeting', {token: off.admin.token})).status, 404);
      assert.equal('display_name' in (await off.login(off.admin.username, off.admin.password)).metadata, false);
    } finally {
      await off.stop();
    }
  });
});

test("an external auth plugin's routes are served while upstream's switch of its name is on", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wazo-auth-external-'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({name: 'foo-link', type: 'module'}));
  const route = `{method: 'GET', path: '/users/{user_uuid:uuid}/external/foo', tag: 'external', summary: 'The foo link',
    access: 'auth.users.{user_uuid}.external.foo.read', responses: {200: 'The link'},
    handle: (ctx) => ({status: 200, body: {user_uuid: ctx.params.user_uuid}})}`;
  await writeFile(join(dir, 'index.js'), `export default {external_auth: [{name: 'foo', load: () => ({routes: [${route}], pluginInfo: {foo: 'bar'}})}]};`);
  const on = await startTestDaemon({config: {plugin_packages: {[dir]: true}, enabled_external_auth_plugins: {foo: true}}});
  const off = await startTestDaemon({config: {plugin_packages: {[dir]: true}, enabled_external_auth_plugins: {foo: false}}});
  try {
    const path = (td: TestDaemon) => `/0.1/users/${td.admin.uuid}/external/foo`;
    const r = await on.call('GET', path(on), {token: on.admin.token});
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, {user_uuid: on.admin.uuid});
    assert.equal((await off.call('GET', path(off), {token: off.admin.token})).status, 404);
    // Listed with the built-in types, its plugin_info with it; not when switched off.
    const listed = await on.call('GET', `/0.1/users/${on.admin.uuid}/external?type=foo`, {token: on.admin.token});
    assert.deepEqual(listed.json.items, [{type: 'foo', data: {}, plugin_info: {foo: 'bar'}, enabled: false}]);
    const unlisted = await off.call('GET', `/0.1/users/${off.admin.uuid}/external`, {token: off.admin.token});
    assert.deepEqual(
      unlisted.json.items.map((item: {type: string}) => item.type),
      ['google', 'microsoft', 'mobile'],
    );
  } finally {
    await on.stop();
    await off.stop();
    await rm(dir, {recursive: true, force: true});
  }
});

describe('a package that cannot load stops the start, naming it', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wazo-auth-packages-'));
  });
  after(() => rm(dir, {recursive: true, force: true}));

  /** A package folder whose index.js is `source`. */
  async function pkg(name: string, source: string): Promise<string> {
    const folder = join(dir, name);
    await mkdir(folder);
    await writeFile(join(folder, 'package.json'), JSON.stringify({name, type: 'module'}));
    await writeFile(join(folder, 'index.js'), source);
    return folder;
  }

  async function refused(packages: Record<string, boolean>, pattern: RegExp, config: Record<string, unknown> = {}): Promise<void> {
    await assert.rejects(startTestDaemon({config: {plugin_packages: packages, ...config}}), (error: Error) => {
      assert.ok(error instanceof ConfigError, `${error.name}: ${error.message}`);
      assert.match(error.message, pattern);
      return true;
    });
  }

  test('a package name the daemon cannot find', () =>
    refused(
      {'wazo-auth-plugin-nowhere': true},
      /plugin_packages: cannot load package "wazo-auth-plugin-nowhere": .*Cannot find package 'wazo-auth-plugin-nowhere'/,
    ));

  test('a folder that does not exist', () => refused({[join(dir, 'absent')]: true}, /cannot load package ".*absent": ENOENT/));

  test('a package that is no plugin package', () => refused({yaml: true}, /package "yaml": "\w+" is no plugin kind/));

  test('a package without a default export', async () =>
    refused({[await pkg('no-default', 'export const http = [];')]: true}, /package ".*no-default" has no default export/));

  test('a module that throws while imported', async () =>
    refused({[await pkg('throws', "throw new Error('broken on purpose');")]: true}, /cannot load package ".*throws": broken on purpose/));

  test('a plugin without a load()', async () =>
    refused(
      {[await pkg('no-load', "export default {http: [{name: 'x'}]};")]: true},
      /package ".*no-load": http\[0\] must be an object with a name and a load\(\) function/,
    ));

  test('a plugin named as a built-in of its kind', async () =>
    refused(
      {[await pkg('twin', "export default {http: [{name: 'users', load: () => []}]};")]: true},
      /package ".*twin": the http plugin "users" is already registered \(built-in\)/,
    ));

  test('an enabled plugin whose load() throws', async () => {
    const folder = await pkg('bad-load', "export default {metadata: [{name: 'bad', load() { throw new Error('no database'); }}]};");
    await refused({[folder]: true}, /the metadata plugin "bad" \(package ".*bad-load"\) cannot load: no database/, {enabled_metadata_plugins: {bad: true}});
  });

  test('an enabled plugin that returns something else than its kind asks', async () => {
    const folder = await pkg('wrong-shape', "export default {backends: [{name: 'odd', load: () => ({verifyPassword() {}})}]};");
    await refused({[folder]: true}, /the backends plugin "odd" \(package ".*wrong-shape"\) must return a backend/, {enabled_backend_plugins: {odd: true}});
  });

  test('an enabled http plugin declaring a route another one serves, whatever it names the parameters', async () => {
    const route = "{method: 'GET', path: '/users/{someone:uuid}', tag: 't', summary: 's', responses: {200: 'ok'}, handle: () => ({status: 200})}";
    const folder = await pkg('clash', `export default {http: [{name: 'clash', load: () => [${route}]}]};`);
    await refused({[folder]: true}, /the http plugin "(users|clash)" and the http plugin "(clash|users)" both declare the route GET \/users\/\{\w+:uuid\}$/, {
      enabled_http_plugins: {clash: true},
    });
  });

  test('disabling the wazo_user backend leaves native without its backend', () =>
    refused({}, /the idp plugin "native" \(built-in\) cannot load: it needs the backend wazo_user/, {enabled_backend_plugins: {wazo_user: false}}));

  test('`wazo-auth daemon` exits with 2 and the message', async () => {
    const {path} = await writeDaemonConfig(join(dir, 'config.yml'), join(dir, 'data'), ['plugin_packages:', '  wazo-auth-plugin-nowhere: true']);
    const r = await capture(process.execPath, [BIN, 'daemon', '-c', path], {...process.env, WAZO_AUTH_TOKEN: ''});
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /cannot load package "wazo-auth-plugin-nowhere"/);
  });
});

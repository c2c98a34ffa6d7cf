// The warnings of a configuration read from real files: each unknown key with the nearest known
// one, none for names inside maps (plugins, policies), plugins' own sections or upstream's keys
// this daemon ignores, and a missing extra_config_files folder. Then the daemon logging them.

import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {readConfig} from '../../src/config/index.js';
import {spawnDaemon, writeDaemonConfig} from '../helpers/daemon-process.js';

const ENV = {HOME: '/home/tester'};

function tempDir(t: {after: (fn: () => void) => void}): string {
  const dir = mkdtempSync(join(tmpdir(), 'wazo-auth-unknown-keys-'));
  t.after(() => rmSync(dir, {recursive: true, force: true}));
  return dir;
}

test('each unknown key of each file, with the nearest known key when one is near', (t) => {
  const dir = tempDir(t);
  const main = join(dir, 'config.yml');
  mkdirSync(join(dir, 'conf.d'));
  writeFileSync(
    main,
    [
      `extra_config_files: ${join(dir, 'conf.d')}`,
      'rest_api:',
      '  certifcate: /etc/ssl/cert.pem',
      '  cors: {enabeld: true}',
      'log_levle: debug',
      'completely_unrelated: 1',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'conf.d', '10-mail.yml'), 'smtp:\n  hostnmae: mail.example.com\n');
  const {warnings} = readConfig({configFile: main, env: ENV});
  assert.deepEqual(warnings, [
    `${main}: rest_api.certifcate: unknown key, did you mean rest_api.certificate?`,
    `${main}: rest_api.cors.enabeld: unknown key, did you mean rest_api.cors.enabled?`,
    `${main}: log_levle: unknown key, did you mean log_level?`,
    `${main}: completely_unrelated: unknown key`,
    `${join(dir, 'conf.d', '10-mail.yml')}: smtp.hostnmae: unknown key, did you mean smtp.hostname?`,
  ]);
});

test("no warning for names in maps, plugins' own sections, upstream's ignored keys or the file locations", (t) => {
  const dir = tempDir(t);
  const main = join(dir, 'config.yml');
  writeFileSync(
    main,
    [
      'db_uri: sqlite:///tmp/x.db',
      'enabled_http_plugins: {my_plugin: true}',
      'enabled_external_auth_plugins: {google: true}',
      'google: {scope: [openid]}',
      'idp_plugins: {my_idp: {enabled: true, priority: 5}}',
      'default_policies: {custom: {acl: [confd.users.read]}}',
      'tenant_default_groups: {helpers: {policies: {custom: true}}}',
      'plugin_packages: {wazo-auth-extra: false}',
      'saml: {domains: {example.com: {entityid: x, anything: {nested: 1}}}}',
      'rest_api: {max_threads: 25, num_threads: 4}',
      'consul: {scheme: http, port: 8500}',
      'service_discovery: {enabled: false}',
      'update_policy_on_startup: true',
      'profiling_enabled: false',
      'confd_db_uri: postgresql://x@localhost/asterisk',
    ].join('\n'),
  );
  assert.deepEqual(readConfig({configFile: main, env: ENV}).warnings, []);
});

test('an extra_config_files folder that does not exist is said', (t) => {
  const dir = tempDir(t);
  const main = join(dir, 'config.yml');
  writeFileSync(main, `extra_config_files: ${join(dir, 'missing')}\n`);
  assert.deepEqual(readConfig({configFile: main, env: ENV}).warnings, [
    `extra_config_files: the folder ${join(dir, 'missing')} does not exist: no file read from it`,
  ]);
});

test('the daemon logs each warning at start, and starts', async (t) => {
  const dir = tempDir(t);
  const {path, url} = await writeDaemonConfig(join(dir, 'config.yml'), join(dir, 'data'), [
    'token_cleanup_intervall: 5',
    `extra_config_files: ${join(dir, 'nowhere')}`,
  ]);
  const d = await spawnDaemon(path, url);
  try {
    assert.match(d.stderr(), /config: .*config\.yml: token_cleanup_intervall: unknown key, did you mean token_cleanup_interval\?/);
    assert.match(d.stderr(), /config: extra_config_files: the folder .*nowhere does not exist/);
  } finally {
    await d.stop();
  }
});

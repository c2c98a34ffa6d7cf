// The keys of a Wazo stack and of observability: upstream's defaults where upstream has the key,
// and a ConfigError naming the key when a value is wrong.

import assert from 'node:assert/strict';
import {join} from 'node:path';
import {test} from 'node:test';
import {ConfigError, loadConfig} from '../../src/config/index.js';

const load = (overrides: Record<string, unknown>) => loadConfig({overrides: {data_dir: '/tmp/wazo-auth-keys', ...overrides}, env: {}});
const refused = (overrides: Record<string, unknown>, message: RegExp) =>
  assert.throws(
    () => load(overrides),
    (error: Error) => error instanceof ConfigError && message.test(error.message),
  );

test('defaults: upstream retry time and bootstrap switch, our schema upgrade, audit and metrics off', () => {
  const config = load({});
  assert.equal(config.db_connect_retry_timeout_seconds, 300);
  assert.equal(config.db_upgrade_on_startup, true);
  assert.equal(config.bootstrap_user_on_startup, false);
  assert.equal(config.bootstrap_user_username, null);
  assert.deepEqual(config.audit, {file: null});
  assert.deepEqual(config.metrics, {enabled: false, listen: '127.0.0.1', port: 9597});
});

test('values are checked, each error naming its key', () => {
  refused({db_connect_retry_timeout_seconds: -1}, /db_connect_retry_timeout_seconds must be a number of seconds >= 0/);
  refused({db_upgrade_on_startup: 'yes'}, /db_upgrade_on_startup/);
  refused(
    {bootstrap_user_on_startup: true, bootstrap_user_username: 'admin'},
    /bootstrap_user_on_startup needs bootstrap_user_username and bootstrap_user_password/,
  );
  refused({bootstrap_user_purpose: 'boss'}, /bootstrap_user_purpose/);
  refused({metrics: {port: 0}}, /metrics\.port/);
  refused({metrics: {enabled: 'on'}}, /metrics\.enabled/);
  refused({audit: {file: 3}}, /audit\.file/);
});

test('an audit file is made absolute against the start folder', () => {
  assert.equal(load({audit: {file: 'audit.jsonl'}}).audit.file, join(process.cwd(), 'audit.jsonl'));
  assert.equal(load({bootstrap_user_on_startup: true, bootstrap_user_username: 'a', bootstrap_user_password: 'p'}).bootstrap_user_password, 'p');
});

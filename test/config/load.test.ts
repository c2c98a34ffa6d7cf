// Configuration loading against real files: precedence of the layers, conf.d
// order, validation errors and upstream-style files.

import {test} from 'node:test';
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

import {ConfigError, defaultDataDir, loadConfig, sqlitePath} from '../../src/config/index.js';

const ENV = {HOME: '/home/tester', XDG_DATA_HOME: '/home/tester/.data'};

function tempDir(t: {after: (fn: () => void) => void}): string {
  const dir = mkdtempSync(join(tmpdir(), 'wazo-auth-config-'));
  t.after(() => rmSync(dir, {recursive: true, force: true}));
  return dir;
}

function write(dir: string, name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** Asserts a ConfigError whose message contains every fragment. */
function assertConfigError(fn: () => unknown, ...fragments: string[]): string {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
  for (const fragment of fragments) {
    assert.ok(caught.message.includes(fragment), `"${caught.message}" should mention "${fragment}"`);
  }
  return caught.message;
}

test('defaults without any file', () => {
  const config = loadConfig({env: ENV});
  assert.equal(config.config_file, null);
  assert.equal(config.extra_config_files, null);
  assert.equal(config.debug, false);
  assert.equal(config.log_level, 'info');
  assert.equal(config.log_filename, null);
  assert.equal(config.log_format, 'text');
  assert.equal(config.user, null);
  assert.equal(config.uuid, null);
  assert.equal(config.rest_api.listen, '127.0.0.1');
  assert.equal(config.rest_api.port, 9497);
  assert.equal(config.rest_api.prefix, '');
  assert.equal(config.rest_api.certificate, null);
  assert.equal(config.rest_api.private_key, null);
  assert.deepEqual(config.rest_api.cors, {
    enabled: true,
    allow_headers: ['Content-Type', 'Authorization', 'X-Auth-Token', 'Wazo-Tenant', 'Wazo-Session-Type'],
  });
  assert.equal(config.rest_api.max_body_bytes, 1024 * 1024);
  assert.ok(config.rest_api.headers_timeout_ms <= config.rest_api.request_timeout_ms);
  assert.equal(config.default_token_lifetime, 7200);
  assert.equal(config.max_user_concurrent_sessions, 100);
  assert.equal(config.token_cleanup_interval, 60);
  assert.equal(config.token_cleanup_batch_size, 5000);
  assert.equal(config.password_reset_expiration, 172800);
  assert.deepEqual(config.default_policies, {});
});

test('default data dir and database follow the environment', () => {
  const config = loadConfig({env: ENV});
  const expected = process.getuid?.() === 0 ? '/var/lib/wazo-auth' : '/home/tester/.data/wazo-auth';
  assert.equal(config.data_dir, expected);
  assert.equal(config.db_uri, `sqlite://${expected}/wazo-auth.db`);
  assert.equal(sqlitePath(config.db_uri), `${expected}/wazo-auth.db`);

  assert.equal(defaultDataDir(ENV, 0), '/var/lib/wazo-auth');
  assert.equal(defaultDataDir(ENV, 1000), '/home/tester/.data/wazo-auth');
  assert.equal(defaultDataDir({HOME: '/home/tester'}, 1000), '/home/tester/.local/share/wazo-auth');
  // A relative XDG_DATA_HOME is invalid per the XDG spec.
  assert.equal(defaultDataDir({HOME: '/home/tester', XDG_DATA_HOME: 'rel'}, 1000), '/home/tester/.local/share/wazo-auth');
});

test('a data_dir setting moves the default database', () => {
  const config = loadConfig({env: ENV, overrides: {data_dir: '/srv/auth'}});
  assert.equal(config.data_dir, '/srv/auth');
  assert.equal(config.db_uri, 'sqlite:///srv/auth/wazo-auth.db');
  assertConfigError(() => loadConfig({env: ENV, overrides: {data_dir: 'relative/dir'}}), 'data_dir', 'absolute');
});

test('uuid comes from the config, else from XIVO_UUID', () => {
  const id = '5a6c0c40-b481-41bb-a41a-7d4da4d2d1b3';
  assert.equal(loadConfig({env: {...ENV, XIVO_UUID: id}}).uuid, id);
  assert.equal(loadConfig({env: {...ENV, XIVO_UUID: ''}}).uuid, null);
  assert.equal(loadConfig({env: {...ENV, XIVO_UUID: id}, overrides: {uuid: 'from-config'}}).uuid, 'from-config');
});

test('log_format: text or json, in any case, as log_level', () => {
  assert.equal(loadConfig({env: ENV, overrides: {log_format: 'JSON'}}).log_format, 'json');
  assert.equal(loadConfig({env: ENV, overrides: {log_format: 'text'}}).log_format, 'text');
});

test('the main file overrides defaults, key by key in nested mappings', (t) => {
  const dir = tempDir(t);
  const file = write(
    dir,
    'config.yml',
    ['log_level: WARNING', 'rest_api:', '  port: 9500', '  cors:', '    enabled: false', 'default_token_lifetime: 60'].join('\n'),
  );
  const config = loadConfig({configFile: file, env: ENV});
  assert.equal(config.config_file, file);
  assert.equal(config.log_level, 'warning');
  assert.equal(config.rest_api.port, 9500);
  assert.equal(config.rest_api.listen, '127.0.0.1');
  assert.equal(config.rest_api.cors.enabled, false);
  assert.equal(config.rest_api.cors.allow_headers.length, 5);
  assert.equal(config.default_token_lifetime, 60);
});

test('an empty main file means defaults', (t) => {
  const dir = tempDir(t);
  const config = loadConfig({configFile: write(dir, 'config.yml', '# nothing here\n'), env: ENV});
  assert.equal(config.rest_api.port, 9497);
});

test('conf.d: alphabetically first file wins, mappings merge deeply, files beat the main file', (t) => {
  const dir = tempDir(t);
  const confd = join(dir, 'conf.d');
  mkdirSync(confd);
  const main = write(
    dir,
    'config.yml',
    [`extra_config_files: ${confd}`, 'log_level: error', 'default_token_lifetime: 100', 'rest_api:', '  listen: 0.0.0.0', '  port: 9001'].join('\n'),
  );
  write(confd, '10-first.yml', ['rest_api:', '  port: 9010', 'default_token_lifetime: 10'].join('\n'));
  write(confd, '20-second.yml', ['rest_api:', '  port: 9020', '  prefix: /api/auth', 'log_level: debug', 'default_token_lifetime: 20'].join('\n'));
  // Ignored: hidden, and not ending in .yml (upstream reads .yml only).
  write(confd, '.00-hidden.yml', 'default_token_lifetime: 1\n');
  write(confd, '00-other.yaml', 'default_token_lifetime: 2\n');
  write(confd, '00-notes.txt', 'not yaml at all: [\n');

  const config = loadConfig({configFile: main, env: ENV});
  assert.equal(config.extra_config_files, confd);
  assert.equal(config.default_token_lifetime, 10);
  assert.equal(config.rest_api.port, 9010);
  assert.equal(config.rest_api.prefix, '/api/auth');
  assert.equal(config.rest_api.listen, '0.0.0.0');
  assert.equal(config.log_level, 'debug');
});

test('conf.d: lists accumulate across files, as upstream does', (t) => {
  const dir = tempDir(t);
  const confd = join(dir, 'conf.d');
  mkdirSync(confd);
  const main = write(dir, 'config.yml', [`extra_config_files: ${confd}`, 'rest_api:', '  cors:', '    allow_headers: [X-Main]'].join('\n'));
  write(
    confd,
    '50-default.yml',
    [
      'default_policies:',
      '  wazo_default_user_policy:',
      '    description: From the package',
      '    acl: [confd.users.me.read]',
      '  wazo_default_admin_policy:',
      '    acl: ["#"]',
    ].join('\n'),
  );
  write(
    confd,
    '90-local.yml',
    [
      'rest_api:',
      '  cors:',
      '    allow_headers: [X-Local]',
      'default_policies:',
      '  wazo_default_user_policy:',
      '    description: Local wording',
      '    acl: [calld.users.me.#]',
    ].join('\n'),
  );
  const config = loadConfig({configFile: main, env: ENV});
  // Files' lists concatenate; they replace the default list.
  assert.deepEqual(config.rest_api.cors.allow_headers, ['X-Local', 'X-Main']);
  assert.deepEqual(config.default_policies['wazo_default_user_policy'], {
    description: 'From the package',
    acl: ['confd.users.me.read', 'calld.users.me.#'],
  });
  assert.deepEqual(config.default_policies['wazo_default_admin_policy'], {acl: ['#']});
});

test('conf.d: a description-only file completes a policy from another file; null withdraws one', (t) => {
  const dir = tempDir(t);
  const confd = join(dir, 'conf.d');
  mkdirSync(confd);
  const main = write(dir, 'config.yml', `extra_config_files: ${confd}\n`);
  write(confd, 'a.yml', ['default_policies:', '  admin:', '    description: Admins', '  gone: null'].join('\n'));
  write(confd, 'b.yml', ['default_policies:', '  admin:', '    acl: [auth.#]', '    shared: true', '  gone:', '    acl: [x]'].join('\n'));
  const config = loadConfig({configFile: main, env: ENV});
  assert.deepEqual(config.default_policies, {
    admin: {acl: ['auth.#'], description: 'Admins', shared: true},
    gone: null,
  });
});

test('conf.d: a missing folder counts as empty', (t) => {
  const dir = tempDir(t);
  const main = write(dir, 'config.yml', `extra_config_files: ${join(dir, 'nowhere')}\nrest_api: {port: 9100}\n`);
  const config = loadConfig({configFile: main, env: ENV});
  assert.equal(config.rest_api.port, 9100);
  assert.equal(config.extra_config_files, join(dir, 'nowhere'));
});

test('conf.d: a file that is not valid YAML is an error naming it', (t) => {
  const dir = tempDir(t);
  const confd = join(dir, 'conf.d');
  mkdirSync(confd);
  const main = write(dir, 'config.yml', `extra_config_files: ${confd}\n`);
  const broken = write(confd, '20-broken.yml', 'rest_api:\n  port: [9000\n  password: hunter2\n');
  const message = assertConfigError(() => loadConfig({configFile: main, env: ENV}), broken);
  assert.ok(!message.includes('hunter2'), 'the source text must not be quoted');
});

test('conf.d: a file that is not a mapping is an error naming it', (t) => {
  const dir = tempDir(t);
  const confd = join(dir, 'conf.d');
  mkdirSync(confd);
  const main = write(dir, 'config.yml', `extra_config_files: ${confd}\n`);
  const list = write(confd, 'list.yml', '- a\n- b\n');
  assertConfigError(() => loadConfig({configFile: main, env: ENV}), list, 'mapping');
});

test('conf.d: an unreadable entry is an error naming it', (t) => {
  const dir = tempDir(t);
  const confd = join(dir, 'conf.d');
  mkdirSync(join(confd, 'folder.yml'), {recursive: true});
  const main = write(dir, 'config.yml', `extra_config_files: ${confd}\n`);
  assertConfigError(() => loadConfig({configFile: main, env: ENV}), join(confd, 'folder.yml'));
});

test('command line overrides win over every file', (t) => {
  const dir = tempDir(t);
  const confd = join(dir, 'conf.d');
  mkdirSync(confd);
  const main = write(dir, 'config.yml', `extra_config_files: ${confd}\nuser: from-file\nlog_level: error\n`);
  write(confd, 'a.yml', 'rest_api: {port: 9010, listen: 10.0.0.1}\nuser: from-confd\n');
  const config = loadConfig({
    configFile: main,
    env: ENV,
    overrides: {user: 'wazo-auth', log_level: 'info', rest_api: {port: 9999}, log_filename: undefined},
  });
  assert.equal(config.user, 'wazo-auth');
  assert.equal(config.log_level, 'info');
  assert.equal(config.rest_api.port, 9999);
  assert.equal(config.rest_api.listen, '10.0.0.1');
  assert.equal(config.log_filename, null);
});

test('command line can point at a conf.d folder', (t) => {
  const dir = tempDir(t);
  write(dir, 'a.yml', 'default_token_lifetime: 42\n');
  const config = loadConfig({env: ENV, overrides: {extra_config_files: dir}});
  assert.equal(config.default_token_lifetime, 42);
});

test('debug implies the debug log level', () => {
  const config = loadConfig({env: ENV, overrides: {debug: true, log_level: 'error'}});
  assert.equal(config.debug, true);
  assert.equal(config.log_level, 'debug');
});

test('log levels: upstream names, any case; nothing else', () => {
  for (const [given, expected] of [
    ['CRITICAL', 'critical'],
    ['Error', 'error'],
    ['warning', 'warning'],
    ['INFO', 'info'],
    ['debug', 'debug'],
  ] as const) {
    assert.equal(loadConfig({env: ENV, overrides: {log_level: given}}).log_level, expected);
  }
  assertConfigError(() => loadConfig({env: ENV, overrides: {log_level: 'warn'}}), 'log_level', '"warn"');
  assertConfigError(() => loadConfig({env: ENV, overrides: {log_level: 10}}), 'log_level');
});

test('prefix normalisation', () => {
  const prefixOf = (prefix: unknown) => loadConfig({env: ENV, overrides: {rest_api: {prefix}}}).rest_api.prefix;
  assert.equal(prefixOf(''), '');
  assert.equal(prefixOf('/'), '');
  assert.equal(prefixOf('api/auth'), '/api/auth');
  assert.equal(prefixOf('/api/auth/'), '/api/auth');
  assert.equal(prefixOf('/api/auth//'), '/api/auth');
  for (const bad of ['/api//auth', '/api/../x', '/a b', '/a?b', 7]) {
    assertConfigError(() => prefixOf(bad), 'rest_api.prefix');
  }
});

test('the main file must be readable when given', (t) => {
  const dir = tempDir(t);
  const missing = join(dir, 'missing.yml');
  assertConfigError(() => loadConfig({configFile: missing, env: ENV}), missing);
  const broken = write(dir, 'broken.yml', 'a: b: c\n');
  assertConfigError(() => loadConfig({configFile: broken, env: ENV}), broken);
});

test('type errors name the key', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{rest_api: {port: 'abc'}}, 'config: rest_api.port must be an integer between 1 and 65535 (got "abc")'],
    [{rest_api: {port: 0}}, 'rest_api.port'],
    [{rest_api: {port: 70000}}, 'rest_api.port'],
    [{rest_api: {port: 80.5}}, 'rest_api.port'],
    [{rest_api: 'everywhere'}, 'config: rest_api must be a mapping'],
    [{rest_api: {listen: ''}}, 'rest_api.listen'],
    [{rest_api: {cors: {enabled: 'yes please'}}}, 'rest_api.cors.enabled'],
    [{rest_api: {cors: {allow_headers: 'Content-Type'}}}, 'rest_api.cors.allow_headers'],
    [{rest_api: {cors: {allow_headers: ['ok', 3]}}}, 'rest_api.cors.allow_headers[1]'],
    [{rest_api: {max_body_bytes: 0}}, 'rest_api.max_body_bytes'],
    [{rest_api: {headers_timeout_ms: 50_000, request_timeout_ms: 10_000}}, 'rest_api.headers_timeout_ms'],
    [{debug: 'true'}, 'config: debug must be true or false'],
    [{user: 12}, 'config: user'],
    [{log_filename: ['a']}, 'log_filename'],
    [{log_format: 'xml'}, 'config: log_format must be one of text, json (got "xml")'],
    [{log_format: null}, 'log_format'],
    [{default_token_lifetime: -1}, 'default_token_lifetime'],
    [{max_user_concurrent_sessions: 'many'}, 'max_user_concurrent_sessions'],
    [{token_cleanup_interval: 'often'}, 'token_cleanup_interval'],
    [{token_cleanup_batch_size: 0}, 'token_cleanup_batch_size'],
    [{password_reset_expiration: null}, 'password_reset_expiration'],
    [{default_policies: ['a']}, 'default_policies'],
    [{default_policies: {p: 'acl'}}, 'default_policies.p'],
    [{default_policies: {p: {description: 'no acl'}}}, 'default_policies.p.acl'],
    [{default_policies: {p: {acl: ['a', '']}}}, 'default_policies.p.acl[1]'],
    [{default_policies: {p: {acl: [], shared: 'no'}}}, 'default_policies.p.shared'],
    [{default_policies: {p: {acl: [], description: 5}}}, 'default_policies.p.description'],
    [{uuid: 5}, 'config: uuid'],
    [{extra_config_files: 5}, 'extra_config_files'],
  ];
  for (const [overrides, fragment] of cases) {
    assertConfigError(() => loadConfig({env: ENV, overrides}), fragment);
  }
});

test('db_uri: absolute sqlite and postgresql pass, others fail without echoing the value', () => {
  const dbOf = (db_uri: unknown) => loadConfig({env: ENV, overrides: {db_uri}}).db_uri;
  assert.equal(dbOf('sqlite:///var/lib/x/auth.db'), 'sqlite:///var/lib/x/auth.db');
  assert.equal(dbOf('postgresql://asterisk:secret@localhost/asterisk'), 'postgresql://asterisk:secret@localhost/asterisk');
  assert.equal(dbOf('postgres://u@h/db'), 'postgres://u@h/db');
  assertConfigError(() => dbOf('sqlite://relative.db'), 'db_uri', 'absolute');
  assertConfigError(() => dbOf('sqlite://'), 'db_uri');
  const message = assertConfigError(() => dbOf('mysql://root:hunter2@db/auth'), 'db_uri', '"mysql:"');
  assert.ok(!message.includes('hunter2'));
  const other = assertConfigError(() => dbOf('hunter2'), 'db_uri');
  assert.ok(!other.includes('hunter2'));
  assertConfigError(() => dbOf(42), 'db_uri');
  const broken = assertConfigError(() => dbOf('postgresql://u:hunter2@host:port/db'), 'db_uri', 'valid URI');
  assert.ok(!broken.includes('hunter2'));
});

test('db_pool_size and db_statement_timeout_ms: 10 and 5000 by default, positive integers', () => {
  const config = loadConfig({env: ENV});
  assert.equal(config.db_pool_size, 10);
  assert.equal(config.db_statement_timeout_ms, 5000);
  const set = loadConfig({env: ENV, overrides: {db_pool_size: 3, db_statement_timeout_ms: 250}});
  assert.deepEqual([set.db_pool_size, set.db_statement_timeout_ms], [3, 250]);
  assertConfigError(() => loadConfig({env: ENV, overrides: {db_pool_size: 0}}), 'db_pool_size');
  assertConfigError(() => loadConfig({env: ENV, overrides: {db_pool_size: 'ten'}}), 'db_pool_size');
  assertConfigError(() => loadConfig({env: ENV, overrides: {db_statement_timeout_ms: 10}}), 'db_statement_timeout_ms');
});

test('certificate and private key: both or neither, and readable', (t) => {
  const dir = tempDir(t);
  const cert = write(dir, 'cert.pem', 'not really a certificate\n');
  const key = write(dir, 'key.pem', 'not really a key\n');
  const withTls = (rest_api: Record<string, unknown>) => loadConfig({env: ENV, overrides: {rest_api}});
  const config = withTls({certificate: cert, private_key: key});
  assert.equal(config.rest_api.certificate, cert);
  assert.equal(config.rest_api.private_key, key);
  assertConfigError(() => withTls({certificate: cert}), 'rest_api.private_key', 'rest_api.certificate');
  assertConfigError(() => withTls({private_key: key}), 'rest_api.certificate');
  const missing = join(dir, 'missing-key.pem');
  const message = assertConfigError(() => withTls({certificate: cert, private_key: missing}), 'rest_api.private_key', missing);
  assert.ok(!message.includes('not really'));
});

test('exposure keys: defaults, and what each takes', (t) => {
  const {rest_api: api} = loadConfig({env: ENV});
  assert.equal(api.send_timeout_ms, 30_000);
  assert.equal(api.max_connections, null);
  assert.equal(api.max_connections_per_address, 64);
  assert.deepEqual(api.trusted_proxies, ['127.0.0.0/8', '::1/128']);
  assert.equal(api.num_proxies, null);
  assert.equal(api.tls_min_version, 'TLSv1.2');
  for (const suite of api.ciphers.split(':')) assert.match(suite, /^TLS_|^ECDHE-.*(GCM|CHACHA20)/);
  const set = (rest_api: Record<string, unknown>) => loadConfig({env: ENV, overrides: {rest_api}}).rest_api;
  assert.deepEqual(set({trusted_proxies: [' 10.0.0.0/8', 'fd00::/8', '192.0.2.1']}).trusted_proxies, ['10.0.0.0/8', 'fd00::/8', '192.0.2.1']);
  assert.deepEqual(set({trusted_proxies: []}).trusted_proxies, []);
  assert.equal(set({num_proxies: 1}).num_proxies, 1);
  assert.equal(set({max_connections: 500}).max_connections, 500);
  assertConfigError(() => set({trusted_proxies: ['nginx.local']}), 'rest_api.trusted_proxies[0]', 'CIDR');
  assertConfigError(() => set({trusted_proxies: '127.0.0.1'}), 'rest_api.trusted_proxies');
  assertConfigError(() => set({trusted_proxies: ['10.0.0.0/40']}), 'rest_api.trusted_proxies[0]');
  assertConfigError(() => set({num_proxies: -1}), 'rest_api.num_proxies');
  assertConfigError(() => set({max_connections: 0}), 'rest_api.max_connections');
  assertConfigError(() => set({max_connections_per_address: 0}), 'rest_api.max_connections_per_address');
  assertConfigError(() => set({send_timeout_ms: -1}), 'rest_api.send_timeout_ms');
  assertConfigError(() => set({ciphers: 'NO-SUCH-SUITE'}), 'rest_api.ciphers');
  assertConfigError(() => set({tls_min_version: 'TLSv1'}), 'rest_api.tls_min_version');
  // An upstream file setting num_proxies under rest_api still loads.
  const dir = tempDir(t);
  const file = write(dir, 'config.yml', 'rest_api:\n  max_threads: 25\n  num_proxies: 1\n');
  assert.equal(loadConfig({configFile: file, env: ENV}).rest_api.num_proxies, 1);
});

test('unknown keys are ignored', () => {
  const config = loadConfig({
    env: ENV,
    overrides: {amqp: {uri: 'amqp://x', exchange_kwargs: {}}, consul: 3, rest_api: {max_threads: 'many', num_proxies: 1}, whatever: [1]},
  });
  assert.equal(config.rest_api.port, 9497);
  assert.ok(!('consul' in config));
  assert.ok(!('exchange_kwargs' in config.amqp));
});

test('an upstream-style installation loads: main file plus a packaged conf.d', (t) => {
  const dir = tempDir(t);
  const confd = join(dir, 'conf.d');
  mkdirSync(confd);
  // Shaped like upstream's /etc/wazo-auth/config.yml: YAML 1.1 booleans, keys for
  // features this daemon does not have, and a stray quote in a key name.
  const main = write(
    dir,
    'config.yml',
    `# main file of a packaged install
extra_config_files: ${confd}/
update_policy_on_startup: True
log_filename: ${join(dir, 'wazo-auth.log')}
debug: False
default_token_lifetime: 7200
password_reset_expiration: 172800
password_reset_from_name: 'wazo-auth'
email_confirmation_get_mimetype': 'text/html'
rest_api:
  max_threads: 25
  listen: 127.0.0.1
  port: 9497
  cors:
    enabled: True
    allow_headers: [Content-Type, Authorization, X-Auth-Token, Wazo-Tenant, Wazo-Session-Type]
enabled_http_plugins:
  user_registration: false
enabled_external_auth_plugins: {google: true, microsoft: true, mobile: true}
idp_plugins:
  saml: {enabled: true, priority: 1}
  ldap: {enabled: true, priority: 2}
google:
  scope: ['https://www.googleapis.com/auth/userinfo.profile']
amqp:
  uri: amqp://guest:guest@localhost:5672/
  exchange_name: xivo
  exchange_type: topic
smtp: {hostname: localhost, port: 25}
db_uri: postgresql://asterisk:proformatique@localhost/asterisk?application_name=wazo-auth
service_discovery:
  enabled: false
`,
  );
  write(
    confd,
    '050-wazo-default-policies.yml',
    `default_user_policy: 'wazo_default_user_policy'
default_policies:
  wazo_default_user_policy:
    description: 'Policy of every user'
    acl:
      - 'auth.users.me.password.update'
      - 'confd.users.me.read'
  wazo_default_admin_policy:
    description: 'Policy of administrators'
    acl: ['#']
tenant_default_groups:
  wazo_default_admin_group:
    policies:
      wazo_default_admin_policy: true
`,
  );
  write(confd, '999-local.yml', 'debug: yes\nrest_api:\n  listen: 0.0.0.0\n');
  const config = loadConfig({configFile: main, env: ENV});
  assert.equal(config.debug, true);
  assert.equal(config.log_level, 'debug');
  assert.equal(config.log_filename, join(dir, 'wazo-auth.log'));
  assert.equal(config.rest_api.listen, '0.0.0.0');
  assert.equal(config.db_uri.startsWith('postgresql://'), true);
  // The main file's list and the default list are not concatenated.
  assert.equal(config.rest_api.cors.allow_headers.length, 5);
  assert.deepEqual(Object.keys(config.default_policies).sort(), ['wazo_default_admin_policy', 'wazo_default_user_policy']);
  assert.deepEqual(config.default_policies['wazo_default_admin_policy'], {
    description: 'Policy of administrators',
    acl: ['#'],
  });
});

test('a YAML key named __proto__ stays a plain key', (t) => {
  const dir = tempDir(t);
  const file = write(dir, 'config.yml', '__proto__:\n  debug: true\ndefault_policies:\n  __proto__: {acl: [a]}\n');
  const config = loadConfig({configFile: file, env: ENV});
  assert.equal(config.debug, false);
  assert.deepEqual(Object.keys(config.default_policies), ['__proto__']);
  assert.equal(Object.getPrototypeOf(config.default_policies), Object.prototype);
});

test('password_hash_workers: unset by default, a positive integer when set', () => {
  assert.equal(loadConfig({env: ENV}).password_hash_workers, null);
  assert.equal(loadConfig({env: ENV, overrides: {password_hash_workers: 3}}).password_hash_workers, 3);
  assertConfigError(() => loadConfig({env: ENV, overrides: {password_hash_workers: 0}}), 'password_hash_workers');
  assertConfigError(() => loadConfig({env: ENV, overrides: {password_hash_workers: 'many'}}), 'password_hash_workers');
});

test('max_pending_password_hashes: unset by default (4 × the workers), a positive integer when set', () => {
  assert.equal(loadConfig({env: ENV}).max_pending_password_hashes, null);
  assert.equal(loadConfig({env: ENV, overrides: {max_pending_password_hashes: 12}}).max_pending_password_hashes, 12);
  assertConfigError(() => loadConfig({env: ENV, overrides: {max_pending_password_hashes: 0}}), 'max_pending_password_hashes');
});

test('login_throttle: documented defaults, each key checked, a file may set one key alone', (t) => {
  assert.deepEqual(loadConfig({env: ENV}).login_throttle, {
    enabled: true,
    max_failures: 5,
    per_address_max_failures: 50,
    window_seconds: 900,
    first_delay_seconds: 60,
    max_delay_seconds: 900,
  });
  const dir = tempDir(t);
  const file = write(dir, 'config.yml', 'login_throttle:\n  max_failures: 3\n  per_address_max_failures: 0\n');
  const set = loadConfig({configFile: file, env: ENV}).login_throttle;
  assert.equal(set.max_failures, 3);
  assert.equal(set.per_address_max_failures, 0);
  assert.equal(set.window_seconds, 900);
  assertConfigError(() => loadConfig({env: ENV, overrides: {login_throttle: {enabled: 'yes'}}}), 'login_throttle.enabled');
  assertConfigError(() => loadConfig({env: ENV, overrides: {login_throttle: {max_failures: 0}}}), 'login_throttle.max_failures');
  assertConfigError(() => loadConfig({env: ENV, overrides: {login_throttle: {window_seconds: 1.5}}}), 'login_throttle.window_seconds');
  assertConfigError(
    () => loadConfig({env: ENV, overrides: {login_throttle: {first_delay_seconds: 600, max_delay_seconds: 60}}}),
    'login_throttle.max_delay_seconds must not be below first_delay_seconds',
  );
});

test('default_user_policy and backend_policies: policy names', () => {
  const defaults = loadConfig({env: ENV});
  assert.equal(defaults.default_user_policy, null);
  assert.deepEqual(defaults.backend_policies, {});
  const set = loadConfig({env: ENV, overrides: {default_user_policy: 'p', backend_policies: {wazo_user: 'q'}}});
  assert.equal(set.default_user_policy, 'p');
  assert.deepEqual(set.backend_policies, {wazo_user: 'q'});
  assertConfigError(() => loadConfig({env: ENV, overrides: {backend_policies: {wazo_user: 3}}}), 'backend_policies.wazo_user');
});

test('ACL limits: upstream-sized defaults, and configured policies must fit them', () => {
  const defaults = loadConfig({env: ENV});
  assert.equal(defaults.max_acl_access_length, 256);
  assert.equal(defaults.max_policy_acl_entries, 500);
  assert.equal(defaults.max_token_acl_entries, 1000);
  // The daemon's own routes ask for accesses of up to about 100 characters.
  assertConfigError(() => loadConfig({env: ENV, overrides: {max_acl_access_length: 100}}), 'max_acl_access_length', '>= 128');
  assertConfigError(() => loadConfig({env: ENV, overrides: {max_policy_acl_entries: 0}}), 'max_policy_acl_entries');
  assertConfigError(() => loadConfig({env: ENV, overrides: {max_token_acl_entries: 'many'}}), 'max_token_acl_entries');

  const limits = {max_acl_access_length: 128, max_policy_acl_entries: 3};
  const policies = (acl: string[]) => ({...limits, default_policies: {big: {acl}}});
  assertConfigError(() => loadConfig({env: ENV, overrides: policies(['a', 'b', 'c', 'd'])}), 'default_policies.big.acl', 'max_policy_acl_entries (3)');
  assertConfigError(() => loadConfig({env: ENV, overrides: policies(['x'.repeat(129)])}), 'default_policies.big.acl', 'max_acl_access_length (128)');
  // Repeated accesses are kept once, so they count once.
  assert.deepEqual(loadConfig({env: ENV, overrides: policies(['a', 'b', 'c', 'a'])}).default_policies.big?.acl, ['a', 'b', 'c', 'a']);
});

// `wazo-auth config list|get|set` through the built binary, and what profiles and the
// WAZO_AUTH_* variables change in other commands.

import assert from 'node:assert/strict';
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {startHttpsDaemon, type HttpsDaemon} from '../compat/https-daemon.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {newOperator, type Operator} from '../cli/binary.js';

let td: TestDaemon;
const operators: Operator[] = [];

before(async () => {
  td = await startTestDaemon();
});
after(async () => {
  for (const operator of operators) operator.remove();
  await td.stop();
});

function operator(): Operator {
  const created = newOperator();
  operators.push(created);
  return created;
}

describe('config set, get and list', () => {
  test('set keeps a value in its normal form, get prints it bare, list shows every profile', async () => {
    const op = operator();
    for (const [key, value] of [
      ['url', `${td.url}/0.1/`],
      ['username', 'admin'],
      ['verify', 'off'],
    ]) {
      const r = await op.run(['config', 'set', key!, value!]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, '');
    }
    assert.equal((await op.run(['config', 'set', 'url', 'https://lab.example.com:9497', '--profile', 'lab'])).status, 0);

    assert.equal((await op.run(['config', 'get', 'url'])).stdout, `${td.url}\n`);
    assert.equal((await op.run(['config', 'get', 'verify'])).stdout, 'false\n');
    assert.deepEqual(JSON.parse((await op.run(['config', 'get', 'username', '--json'])).stdout), {profile: 'default', key: 'username', value: 'admin'});
    assert.equal((await op.run(['config', 'set', 'format', 'yaml'])).status, 0);
    assert.equal((await op.run(['config', 'get', 'username'])).stdout, 'profile: default\nkey: username\nvalue: admin\n');

    const table = await op.run(['config', 'list', '--format', 'table']);
    assert.equal(table.status, 0, table.stderr);
    assert.ok(!table.stdout.includes('\x1b'));
    assert.match(table.stdout, /^PROFILE\tURL\tUSERNAME\tVERIFY\tCA_FILE\tFORMAT\tCREDENTIALS\n/);
    assert.match(table.stdout, new RegExp(`^default\t${td.url}\tadmin\tfalse\t\tyaml\t$`, 'm'));
    assert.match(table.stdout, /^lab\thttps:\/\/lab\.example\.com:9497\t/m);
    // the profile's format (yaml) is the default output of every command
    assert.equal((await op.run(['config', 'list'])).stdout.split('\n')[0], '- profile: default');
    assert.equal((await op.run(['config', 'list', '--format', 'plain'])).stdout, 'default\nlab\n');
    assert.deepEqual(JSON.parse((await op.run(['config', 'list', '--json'])).stdout), [
      {profile: 'default', url: td.url, username: 'admin', verify: false, format: 'yaml'},
      {profile: 'lab', url: 'https://lab.example.com:9497'},
    ]);
  });

  test('an empty value removes the setting; getting an unset one is a negative answer', async () => {
    const op = operator();
    await op.run(['config', 'set', 'username', 'alice']);
    assert.equal((await op.run(['config', 'set', 'username', ''])).status, 0);
    const r = await op.run(['config', 'get', 'username']);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'Error: profile default does not set username\n');
    assert.equal(JSON.parse((await op.run(['config', 'get', 'username', '--json'])).stdout).error.exit_code, 1);
  });

  test('bad keys, values and profile names are usage errors, and change nothing', async () => {
    const op = operator();
    const cases: [string[], RegExp][] = [
      [['config', 'set', 'password', 'x'], /Expected password to be one of: url, username, verify, ca_file/],
      [['config', 'set', 'client_id', 'x'], /Expected client_id to be one of/],
      [['config', 'set', 'verify', 'maybe'], /verify is on or off/],
      [['config', 'set', 'format', 'xml'], /format must be one of table, wide, json, yaml, plain, name/],
      [['config', 'set', 'url', 'ftp://x'], /http:\/\/ or https:\/\//],
      [['config', 'set', 'url', 'https://admin:secret@x'], /must not hold credentials/],
      [['config', 'set', 'ca_file', join(op.home, 'missing.pem')], /ca_file: cannot read/],
      [['config', 'get', 'url', '--profile', '../x'], /a profile name is letters/],
    ];
    for (const [args, message] of cases) {
      const r = await op.run(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
    assert.equal((await op.run(['config', 'list', '--format', 'plain'])).stdout, '');
  });

  test('a damaged configuration file is named, with exit 2', async () => {
    const op = operator();
    mkdirSync(op.configDir, {recursive: true});
    writeFileSync(join(op.configDir, 'config.json'), '{"profiles": ');
    const r = await op.run(['config', 'list']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /config\.json is not valid JSON/);
  });
});

describe('environment variables', () => {
  test('WAZO_AUTH_PROFILE chooses the profile; --profile wins over it', async () => {
    const op = operator();
    await op.run(['config', 'set', 'username', 'in-lab'], {env: {WAZO_AUTH_PROFILE: 'lab'}});
    assert.equal((await op.run(['config', 'get', 'username', '--profile', 'lab'])).stdout, 'in-lab\n');
    assert.equal((await op.run(['config', 'get', 'username'])).status, 1);
    await op.run(['config', 'set', 'username', 'in-default']);
    assert.equal((await op.run(['config', 'get', 'username', '--profile', 'default'], {env: {WAZO_AUTH_PROFILE: 'lab'}})).stdout, 'in-default\n');
  });

  test("WAZO_AUTH_FORMAT wins over the profile's format; --format and --json win over it", async () => {
    const op = operator();
    await op.run(['config', 'set', 'url', td.url]);
    await op.run(['config', 'set', 'format', 'json']);
    assert.equal(JSON.parse((await op.run(['status'])).stdout).status, 'ok');
    assert.equal((await op.run(['status'], {env: {WAZO_AUTH_FORMAT: 'plain'}})).stdout, 'ok\n');
    assert.match((await op.run(['status', '--format', 'yaml'], {env: {WAZO_AUTH_FORMAT: 'plain'}})).stdout, /^url: /);
    assert.equal(JSON.parse((await op.run(['status', '--json'], {env: {WAZO_AUTH_FORMAT: 'plain'}})).stdout).status, 'ok');
    const bad = await op.run(['status'], {env: {WAZO_AUTH_FORMAT: 'xml'}});
    assert.equal(bad.status, 2);
  });

  test("WAZO_AUTH_URL wins over the profile's URL", async () => {
    const op = operator();
    await op.run(['config', 'set', 'url', 'http://127.0.0.1:1']);
    assert.equal((await op.run(['status'])).status, 3);
    assert.equal((await op.run(['status'], {env: {WAZO_AUTH_URL: td.url}})).status, 0);
  });
});

describe("a profile's TLS settings", () => {
  let https: HttpsDaemon;
  before(async () => {
    https = await startHttpsDaemon();
  });
  after(() => https.stop());

  test('a self-signed certificate is refused (exit 3) until the profile trusts its CA or stops verifying', async () => {
    const op = operator();
    await op.run(['config', 'set', 'url', https.base]);
    const refused = await op.run(['status']);
    assert.equal(refused.status, 3);
    assert.match(refused.stderr, /TLS certificate is not trusted/);

    assert.equal((await op.run(['status', '--insecure', '--format', 'plain'])).stdout, 'ok\n');

    await op.run(['config', 'set', 'ca_file', join(https.dir, 'cert.pem')]);
    assert.equal((await op.run(['config', 'get', 'ca_file'])).stdout, `${join(https.dir, 'cert.pem')}\n`);
    const trusted = await op.run(['status', '--format', 'plain']);
    assert.equal(trusted.status, 0, trusted.stderr);

    const other = operator();
    await other.run(['config', 'set', 'url', https.base]);
    await other.run(['config', 'set', 'verify', 'off']);
    assert.equal((await other.run(['status', '--format', 'plain'])).status, 0);
  });

  test('login --insecure keeps verify off in the profile, for the commands after it', async () => {
    const op = operator();
    const r = await op.run(['login', '--url', https.base, '--username', 'admin', '--password-stdin', '--insecure-storage', '--insecure'], {
      input: https.admin.password,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(readFileSync(join(op.configDir, 'config.json'), 'utf8')).profiles.default.verify, false);
    assert.equal((await op.run(['whoami', '--format', 'plain'])).stdout, `${https.admin.uuid}\n`);
  });
});

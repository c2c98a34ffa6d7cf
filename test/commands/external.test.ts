// `wazo-auth user external list|delete` and `wazo-auth external config show|set|delete`, in-process
// against a real daemon: a tenant's push settings set from a file and from stdin (never argv),
// shown with their secrets masked unless --reveal, and a user's linked accounts listed and unlinked.

import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {AuthClient} from '../../src/client/index.js';
import {adminCli, type AdminCli} from '../helpers/admin-cli.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

const MOBILE = {
  fcm_sender_id: 'sender-77',
  fcm_service_account_info: '{"type": "service_account", "private_key": "sa-key-3c3c"}',
  ios_apn_private: 'apns-key-4d4d',
  use_sandbox: false,
};

describe('wazo-auth user external, external config', () => {
  let td: TestDaemon;
  let client: AuthClient;
  let cli: AdminCli;
  let dir: string;
  let alice: string;

  before(async () => {
    td = await startTestDaemon();
    client = new AuthClient({url: td.url, token: td.admin.token});
    cli = adminCli(td.url, td.admin.token);
    dir = mkdtempSync(join(tmpdir(), 'wazo-auth-external-cli-'));
    await client.tenants.create({name: 'Acme', slug: 'acme'});
    client.tenant = (await client.tenants.list({search: 'acme'})).items[0]!.uuid;
    alice = (await client.users.create({username: 'alice', password: 'pw-alice'})).uuid;
    client.tenant = undefined;
  });
  after(async () => {
    cli?.remove();
    rmSync(dir, {recursive: true, force: true});
    await client?.close();
    await td?.stop();
  });

  test('external config show without settings: not found, exit 1', async () => {
    const r = await cli.run(['external', 'config', 'show', 'mobile', '--tenant', 'acme']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /No config found for this external auth type: "mobile"/);
  });

  test('external config set from a file creates, from stdin replaces; nothing on stdout', async () => {
    const file = join(dir, 'mobile.json');
    writeFileSync(file, JSON.stringify(MOBILE));
    const created = await cli.run(['external', 'config', 'set', 'mobile', '--tenant', 'acme', '--file', file]);
    assert.equal(created.status, 0, created.stderr);
    assert.equal(created.stdout, '');
    const replaced = await cli.run(['external', 'config', 'set', 'mobile', '--tenant', 'acme', '--file', '-'], JSON.stringify({...MOBILE, use_sandbox: true}));
    assert.equal(replaced.status, 0, replaced.stderr);
    client.tenant = (await client.tenants.list({search: 'acme'})).items[0]!.uuid;
    assert.deepEqual(await client.external.config('mobile'), {...MOBILE, use_sandbox: true});
    client.tenant = undefined;
  });

  test('external config set refuses what is not a JSON object, and needs --file: exit 2', async () => {
    assert.equal((await cli.run(['external', 'config', 'set', 'mobile', '--file', '-'], '[1, 2]')).status, 2);
    assert.equal((await cli.run(['external', 'config', 'set', 'mobile', '--file', '-'], 'fcm_api_key=x')).status, 2);
    assert.equal((await cli.run(['external', 'config', 'set', 'mobile'])).status, 2);
    assert.equal((await cli.run(['external', 'config', 'set', 'mobile', '--file', join(dir, 'missing.json')])).status, 2);
  });

  test('external config show: secrets masked, --reveal shows them; the top tenant has none', async () => {
    const masked = await cli.run(['external', 'config', 'show', 'mobile', '--tenant', 'acme', '--json']);
    assert.equal(masked.status, 0, masked.stderr);
    assert.deepEqual(JSON.parse(masked.stdout), {
      fcm_sender_id: 'sender-77',
      fcm_service_account_info: `(set, ${MOBILE.fcm_service_account_info.length} characters)`,
      ios_apn_private: '(set, 13 characters)',
      use_sandbox: true,
    });
    const table = await cli.run(['external', 'config', 'show', 'mobile', '--tenant', 'acme']);
    assert.equal(table.stdout.includes('sa-key-3c3c') || table.stdout.includes('apns-key-4d4d'), false);
    const revealed = await cli.run(['external', 'config', 'show', 'mobile', '--tenant', 'acme', '--reveal', '--json']);
    assert.deepEqual(JSON.parse(revealed.stdout), {...MOBILE, use_sandbox: true});
    assert.equal((await cli.run(['external', 'config', 'show', 'mobile'])).status, 1);
  });

  test('user external list: every type, the linked ones enabled; --format plain, the types', async () => {
    await td.call('POST', `/0.1/users/${alice}/external/mobile`, {token: td.admin.token, body: {token: 'device-token-5f5f'}});
    const r = await cli.run(['user', 'external', 'list', alice, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const listed = JSON.parse(r.stdout);
    assert.deepEqual(
      listed.items.map((i: {type: string; enabled: boolean}) => [i.type, i.enabled]),
      [
        ['google', false],
        ['microsoft', false],
        ['mobile', true],
      ],
    );
    assert.equal(r.stdout.includes('device-token-5f5f'), false);
    const plain = await cli.run(['user', 'external', 'list', alice, '--format', 'plain']);
    assert.equal(plain.stdout, 'google\nmicrosoft\nmobile\n');
  });

  test('user external delete unlinks; a second time is not found (exit 1)', async () => {
    const r = await cli.run(['user', 'external', 'delete', alice, 'mobile']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    const listed = JSON.parse((await cli.run(['user', 'external', 'list', alice, '--json'])).stdout);
    assert.equal(listed.items.find((i: {type: string}) => i.type === 'mobile').enabled, false);
    const again = await cli.run(['user', 'external', 'delete', alice, 'mobile']);
    assert.equal(again.status, 1);
    assert.match(again.stderr, /No such external auth: "mobile"/);
  });

  test('external config delete removes; a second time is not found (exit 1)', async () => {
    assert.equal((await cli.run(['external', 'config', 'delete', 'mobile', '--tenant', 'acme'])).status, 0);
    assert.equal((await cli.run(['external', 'config', 'delete', 'mobile', '--tenant', 'acme'])).status, 1);
  });
});

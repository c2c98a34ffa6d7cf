// Token metadata from the metadata plugins of the user's purpose: upstream's defaults unchanged,
// user_admin_status as Wazo's stock conf.d enables it, and purpose_metadata_mapping.

import assert from 'node:assert/strict';
import {mkdir, mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

async function newUser(td: TestDaemon, username: string, purpose = 'user'): Promise<string> {
  const r = await td.call('POST', '/0.1/users', {token: td.admin.token, body: {username, password: 'pw', purpose}});
  assert.equal(r.status, 200, r.text);
  return r.json.uuid;
}

describe('the default configuration', () => {
  let td: TestDaemon;
  before(async () => {
    td = await startTestDaemon();
  });
  after(() => td.stop());

  test("each purpose's token metadata is upstream's, field for field and in its order", async () => {
    const top = (await td.call('GET', '/0.1/tenants', {token: td.admin.token})).json.items[0].uuid;
    for (const purpose of ['user', 'internal', 'external_api']) {
      const uuid = await newUser(td, `default-${purpose}`, purpose);
      const token = await td.login(`default-${purpose}`, 'pw');
      const expected = {
        uuid,
        tenant_uuid: top,
        auth_id: uuid,
        pbx_user_uuid: purpose === 'user' ? uuid : null,
        xivo_uuid: token.xivo_uuid,
        purpose,
      };
      assert.equal(JSON.stringify(token.metadata), JSON.stringify(expected), purpose);
      const shown = await td.call('GET', `/0.1/token/${token.token}`, {token: td.admin.token});
      assert.equal(JSON.stringify(shown.json.data.metadata), JSON.stringify(expected), purpose);
      assert.equal(shown.json.data.xivo_user_uuid, expected.pbx_user_uuid);
    }
  });
});

// Wazo's conf.d file (wazo-auth-keys 50-wazo-default.yml), reduced to what the plugin reads.
const STOCK_CONF_D = `
default_policies:
  wazo_default_admin_policy:
    acl: ['confd.#']
tenant_default_groups:
  wazo_default_admin_group:
    policies:
      wazo_default_admin_policy: true
enabled_metadata_plugins:
  user_admin_status: true
purpose_metadata_mapping:
  user: [user_admin_status]
`;

describe('user_admin_status, enabled by the stock conf.d for the `user` purpose', () => {
  let dir: string;
  let td: TestDaemon;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wazo-auth-metadata-'));
    await mkdir(join(dir, 'conf.d'));
    await writeFile(join(dir, 'config.yml'), `extra_config_files: ${join(dir, 'conf.d')}\n`);
    await writeFile(join(dir, 'conf.d', '50-wazo-default.yml'), STOCK_CONF_D);
    td = await startTestDaemon({configFile: join(dir, 'config.yml')});
  });
  after(async () => {
    await td.stop();
    await rm(dir, {recursive: true, force: true});
  });

  const adminGroup = async () => (await td.call('GET', '/0.1/groups?slug=wazo_default_admin_group', {token: td.admin.token})).json.items[0].uuid as string;

  test('a user with neither the policy nor the group: admin false, after the default fields', async () => {
    await newUser(td, 'nobody');
    const {metadata} = await td.login('nobody', 'pw');
    assert.deepEqual(Object.keys(metadata), ['uuid', 'tenant_uuid', 'auth_id', 'pbx_user_uuid', 'xivo_uuid', 'purpose', 'admin']);
    assert.equal(metadata.admin, false);
  });

  test('a user holding wazo_default_admin_policy itself: admin true', async () => {
    const uuid = await newUser(td, 'holder');
    const granted = await td.call('PUT', `/0.1/users/${uuid}/policies/wazo_default_admin_policy`, {token: td.admin.token});
    assert.equal(granted.status, 204, granted.text);
    assert.equal((await td.login('holder', 'pw')).metadata.admin, true);
  });

  test('a member of wazo_default_admin_group: admin true, and false again once out of it', async () => {
    const uuid = await newUser(td, 'member');
    const group = await adminGroup();
    assert.equal((await td.call('PUT', `/0.1/groups/${group}/users/${uuid}`, {token: td.admin.token})).status, 204);
    assert.equal((await td.login('member', 'pw')).metadata.admin, true);
    assert.equal((await td.call('DELETE', `/0.1/groups/${group}/users/${uuid}`, {token: td.admin.token})).status, 204);
    assert.equal((await td.login('member', 'pw')).metadata.admin, false);
  });

  test('a group whose name only resembles the admin group does not count', async () => {
    const uuid = await newUser(td, 'lookalike');
    const group = await td.call('POST', '/0.1/groups', {token: td.admin.token, body: {name: 'wazo_default_admin_group copy'}});
    assert.equal(group.status, 200, group.text);
    assert.equal((await td.call('PUT', `/0.1/groups/${group.json.uuid}/users/${uuid}`, {token: td.admin.token})).status, 204);
    assert.equal((await td.login('lookalike', 'pw')).metadata.admin, false);
  });

  test('an internal user gets no admin field: the mapping names the user purpose only', async () => {
    await newUser(td, 'service', 'internal');
    assert.equal('admin' in (await td.login('service', 'pw')).metadata, false);
  });

  test('enabled but mapped to no purpose, or mapped but disabled, it adds nothing', async () => {
    const unmapped = await startTestDaemon({config: {enabled_metadata_plugins: {user_admin_status: true}}});
    const disabled = await startTestDaemon({config: {purpose_metadata_mapping: {user: ['user_admin_status']}}});
    try {
      for (const d of [unmapped, disabled]) {
        await newUser(d, 'someone');
        assert.equal('admin' in (await d.login('someone', 'pw')).metadata, false);
      }
    } finally {
      await unmapped.stop();
      await disabled.stop();
    }
  });
});

test('purpose_metadata_mapping gives a plugin to the purposes it names only', async () => {
  const td = await startTestDaemon({
    config: {enabled_metadata_plugins: {user_admin_status: true}, purpose_metadata_mapping: {internal: ['user_admin_status'], nonsense: ['x']}},
  });
  try {
    await newUser(td, 'person');
    await newUser(td, 'robot', 'internal');
    assert.equal('admin' in (await td.login('person', 'pw')).metadata, false);
    const robot = await td.login('robot', 'pw');
    assert.deepEqual(Object.keys(robot.metadata), ['uuid', 'tenant_uuid', 'auth_id', 'pbx_user_uuid', 'xivo_uuid', 'purpose', 'admin']);
    assert.equal(robot.metadata.purpose, 'internal');
    assert.equal(robot.metadata.admin, false);
  } finally {
    await td.stop();
  }
});

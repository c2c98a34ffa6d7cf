// What the configuration gives every tenant, as upstream's test asset configures it:
// `all_users_policies` (policies of each all-users group) and `tenant_default_groups`
// (ordinary groups made in each tenant), both set up for new tenants and again at each start.

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {ConfigError, loadConfig, type DaemonConfig} from '../../src/config/index.js';
import {createLogger, type Logger} from '../../src/log.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';
import {allUsersGroupName} from './group-fixtures.js';

const ALL_USERS_POLICY = 'wazo-all-users-policy';
const ADMIN_GROUP = 'wazo_default_admin_group';
const ADMIN_POLICY = 'wazo_default_admin_policy';

const CONFIG = {
  default_policies: {
    [ALL_USERS_POLICY]: {acl: ['integration_tests.access', 'integration_tests.another_access']},
    [ADMIN_POLICY]: {acl: ['default.admin.policy']},
    wazo_default_user_policy: {acl: ['default.user.policy']},
  },
  all_users_policies: {[ALL_USERS_POLICY]: true},
  tenant_default_groups: {[ADMIN_GROUP]: {policies: {[ADMIN_POLICY]: true}}},
};

describe('all_users_policies and tenant_default_groups in the configuration', () => {
  const load = (config: Record<string, unknown>) => loadConfig({overrides: config, env: {}});

  test('are empty by default and read as upstream writes them', () => {
    const none = load({});
    assert.deepEqual([none.all_users_policies, none.tenant_default_groups], [{}, {}]);
    const asset = load(CONFIG);
    assert.deepEqual(asset.all_users_policies, {[ALL_USERS_POLICY]: true});
    assert.deepEqual(asset.tenant_default_groups, {[ADMIN_GROUP]: {policies: {[ADMIN_POLICY]: true}}});
    assert.deepEqual(load({tenant_default_groups: {bare: {}, gone: null}}).tenant_default_groups, {bare: {policies: {}}, gone: null});
  });

  test('a value of the wrong type names its key', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{all_users_policies: ['p']}, 'all_users_policies'],
      [{all_users_policies: {p: 'yes'}}, 'all_users_policies.p'],
      [{tenant_default_groups: {g: 'admins'}}, 'tenant_default_groups.g'],
      [{tenant_default_groups: {g: {policies: ['p']}}}, 'tenant_default_groups.g.policies'],
      [{tenant_default_groups: {g: {policies: {p: 1}}}}, 'tenant_default_groups.g.policies.p'],
    ];
    for (const [config, key] of cases) {
      assert.throws(
        () => load(config),
        (error: unknown) => error instanceof ConfigError && error.message.includes(`${key} must`),
        key,
      );
    }
  });
});

describe('what every tenant gets from the configuration', () => {
  let td: TestDaemon;
  let top: string;
  let sub: string;
  const admin = () => td.admin.token;
  const get = async (path: string, tenant?: string) =>
    (await td.call('GET', `/0.1${path}`, {token: admin(), headers: tenant ? {'wazo-tenant': tenant} : {}})).json;
  const groupBySlug = async (tenant: string, slug: string) => (await get(`/groups?slug=${slug}`, tenant)).items[0];
  const policySlugsOf = async (groupUuid: string, tenant: string) => (await get(`/groups/${groupUuid}/policies`, tenant)).items.map((p: any) => p.slug);

  before(async () => {
    td = await startTestDaemon({config: CONFIG});
    top = (await td.daemon.services.store.tenants.top())!.uuid;
    sub = (await td.call('POST', '/0.1/tenants', {token: admin(), body: {name: 'provisioned'}})).json.uuid;
  });
  after(() => td.stop());

  test('each tenant, the top one and a new one, has its all-users group and the default group', async () => {
    for (const tenant of [top, sub]) {
      const groups = await get('/groups', tenant);
      assert.equal(groups.total, 2);
      const bySlug = Object.fromEntries(groups.items.map((g: any) => [g.slug, g]));
      assert.deepEqual(Object.keys(bySlug).sort(), [allUsersGroupName(tenant), ADMIN_GROUP]);
      assert.deepEqual(
        {...bySlug[ADMIN_GROUP], uuid: undefined},
        {
          uuid: undefined,
          name: ADMIN_GROUP,
          slug: ADMIN_GROUP,
          tenant_uuid: tenant,
          system_managed: false,
          read_only: false,
        },
      );
      assert.deepEqual(await policySlugsOf(bySlug[ADMIN_GROUP].uuid, tenant), [ADMIN_POLICY]);
      assert.deepEqual(await policySlugsOf(bySlug[allUsersGroupName(tenant)].uuid, tenant), [ALL_USERS_POLICY]);
      assert.deepEqual(
        (await get('/groups?read_only=false', tenant)).items.map((g: any) => g.slug),
        [ADMIN_GROUP],
      );
    }
  });

  test("the all-users policies reach the tokens of a new tenant's users", async () => {
    await createUser(td.daemon.services.store, {username: 'provisioned-user', password: 'pw', tenantUuid: sub});
    const {acl} = await td.login('provisioned-user', 'pw');
    assert.deepEqual(acl, ['integration_tests.access', 'integration_tests.another_access']);
  });

  describe('at the next start', () => {
    const restart = (config: Partial<DaemonConfig> = {}, log?: Logger) => td.restart(config, {log});

    test('a default group gets back its name and its policies, and comes back when deleted', async () => {
      const group = await groupBySlug(sub, ADMIN_GROUP);
      await td.call('PUT', `/0.1/groups/${group.uuid}`, {token: admin(), body: {name: 'renamed'}});
      await td.call('DELETE', `/0.1/groups/${group.uuid}/policies/${ADMIN_POLICY}`, {token: admin(), headers: {'wazo-tenant': sub}});
      const topGroup = await groupBySlug(top, ADMIN_GROUP);
      await td.call('DELETE', `/0.1/groups/${topGroup.uuid}`, {token: admin()});
      await restart();
      const again = await groupBySlug(sub, ADMIN_GROUP);
      assert.deepEqual([again.uuid, again.name], [group.uuid, ADMIN_GROUP]);
      assert.deepEqual(await policySlugsOf(group.uuid, sub), [ADMIN_POLICY]);
      const recreated = await groupBySlug(top, ADMIN_GROUP);
      assert.deepEqual(await policySlugsOf(recreated.uuid, top), [ADMIN_POLICY]);
    });

    test('a policy set to false is taken from the default groups', async () => {
      await restart({tenant_default_groups: {[ADMIN_GROUP]: {policies: {[ADMIN_POLICY]: false}}}});
      for (const tenant of [top, sub]) assert.deepEqual(await policySlugsOf((await groupBySlug(tenant, ADMIN_GROUP)).uuid, tenant), []);
      await restart();
      assert.deepEqual(await policySlugsOf((await groupBySlug(sub, ADMIN_GROUP)).uuid, sub), [ADMIN_POLICY]);
    });

    test('an all-users group gets back its configured policy', async () => {
      const allUsers = await groupBySlug(top, allUsersGroupName(top));
      await td.call('DELETE', `/0.1/groups/${allUsers.uuid}/policies/${ALL_USERS_POLICY}`, {token: admin()});
      assert.deepEqual(await policySlugsOf(allUsers.uuid, top), []);
      await restart();
      assert.deepEqual(await policySlugsOf(allUsers.uuid, top), [ALL_USERS_POLICY]);
    });

    test('a withdrawn default policy leaves the all-users groups and goes, unless another group holds it', async () => {
      const withExtra = {
        default_policies: {...CONFIG.default_policies, 'to-be-removed': {acl: ['removed']}, 'kept-by-a-group': {acl: ['kept']}},
        all_users_policies: {[ALL_USERS_POLICY]: true, 'to-be-removed': true},
      };
      await restart(withExtra);
      const allUsers = await groupBySlug(sub, allUsersGroupName(sub));
      assert.deepEqual((await policySlugsOf(allUsers.uuid, sub)).sort(), ['to-be-removed', ALL_USERS_POLICY]);
      const keeper = (await td.call('POST', '/0.1/groups', {token: admin(), body: {name: 'keeper'}})).json;
      await td.call('PUT', `/0.1/groups/${keeper.uuid}/policies/kept-by-a-group`, {token: admin()});
      const removed = (await get('/policies?slug=to-be-removed')).items[0];

      await restart();
      assert.deepEqual(await policySlugsOf(allUsers.uuid, sub), [ALL_USERS_POLICY]);
      assert.equal((await td.call('GET', `/0.1/policies/${removed.uuid}`, {token: admin()})).status, 404);
      assert.deepEqual(await policySlugsOf(keeper.uuid, top), ['kept-by-a-group']);
    });

    test('a configured policy that does not exist is logged and skipped', async () => {
      const errors: string[] = [];
      const log = {...createLogger({level: 'critical'}), error: (message: string) => errors.push(message)};
      await restart({all_users_policies: {nowhere: true}, tenant_default_groups: {[ADMIN_GROUP]: {policies: {nowhere: true}}}}, log);
      assert.ok(errors.some((message) => message.includes('all_users_policies') && message.includes('"nowhere"')));
      assert.ok(errors.some((message) => message.includes(`tenant_default_groups.${ADMIN_GROUP}`)));
      await restart();
    });
  });
});

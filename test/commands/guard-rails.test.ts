// The CLI's guard rails against a real daemon: destructive commands ask on a terminal and need
// --yes without one; malformed ACL patterns are refused before anything is sent; a policy change
// that would lock the caller's own login out is refused unless --force.

import assert from 'node:assert/strict';
import {rmSync, writeFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {AuthClient} from '../../src/client/index.js';
import {adminCli, type AdminCli} from '../helpers/admin-cli.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;
let client: AuthClient;
let cli: AdminCli;
const terminal = {columns: 80};

before(async () => {
  td = await startTestDaemon();
  client = new AuthClient({url: td.url, token: td.admin.token});
  cli = adminCli(td.url, td.admin.token);
});

after(async () => {
  cli.remove();
  await client.close();
  await td.stop();
});

const exists = async (username: string) => (await client.users.list({username})).items.length === 1;

describe('destructive commands', () => {
  test('on a terminal: asks on stderr, and "y" deletes', async () => {
    await client.users.create({username: 'asked-yes'});
    const r = await cli.run(['user', 'delete', 'asked-yes'], 'y\n', {}, terminal);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, 'Delete user asked-yes? [y/N] Deleted user asked-yes.\n');
    assert.equal(await exists('asked-yes'), false);
  });

  test('on a terminal: any other answer, or none, changes nothing (exit 1)', async () => {
    await client.users.create({username: 'asked-no'});
    for (const answer of ['n\n', '\n', 'maybe\n', '']) {
      const r = await cli.run(['user', 'delete', 'asked-no'], answer, {}, terminal);
      assert.equal(r.status, 1, answer);
      assert.match(r.stderr, /^Delete user asked-no\? \[y\/N\] Error: Not confirmed: nothing changed\.\n$/);
    }
    assert.equal(await exists('asked-no'), true);
  });

  test('--yes (or -y) does not ask', async () => {
    await client.users.create({username: 'unasked'});
    const r = await cli.run(['user', 'delete', '-y', 'unasked'], undefined, {}, terminal);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, 'Deleted user unasked.\n');
  });

  test('without a terminal, --yes is required: exit 2, one line, nothing changed', async () => {
    const group = await client.groups.create({name: 'kept-group'});
    const policy = await client.policies.create({name: 'kept-policy', acl: []});
    const user = await client.users.create({username: 'kept-user'});
    await client.groups.addUser(group.uuid, user.uuid);
    const {session_uuid: session} = await td.login('admin', td.admin.password);
    const refusals: [string[], RegExp][] = [
      [['user', 'delete', 'kept-user'], /^Error: to delete user kept-user, pass --yes: there is no terminal to ask on\n$/],
      [['group', 'delete', 'kept-group'], /to delete group kept-group, pass --yes/],
      [['policy', 'delete', 'kept-policy'], /to delete policy kept-policy, pass --yes/],
      [['group', 'member', 'remove', 'kept-group', 'kept-user'], /to remove user kept-user from group kept-group, pass --yes/],
      [['tenant', 'delete', 'master'], /to delete tenant master and everything in them, pass --yes/],
      [['session', 'revoke', session], new RegExp(`to end session ${session}, pass --yes`)],
      [['token', 'revoke', td.admin.token], /to revoke the token, pass --yes/],
    ];
    for (const [args, message] of refusals) {
      const r = await cli.run(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, message);
    }
    assert.equal(await exists('kept-user'), true);
    assert.equal((await client.groups.listUsers(group.uuid)).items.length, 1);
    assert.equal((await client.policies.get(policy.uuid)).slug, 'kept-policy');
    assert.ok((await client.sessions.list()).items.some((item) => item.uuid === session));
    const json = await cli.run(['user', 'delete', 'kept-user', '--json']);
    assert.equal(json.status, 2);
    assert.match(JSON.parse(json.stdout).error.message, /pass --yes/);
  });
});

describe('malformed ACL patterns', () => {
  test('create, update, acl add and apply refuse them with exit 2, sending nothing', async () => {
    const dir = td.dir;
    const file = join(dir, 'bad.yml');
    writeFileSync(file, '- name: Bad\n  acl: ["confd.users.read", "bad access"]\n');
    await client.policies.create({name: 'shaped', slug: 'shaped', acl: ['confd.users.read']});
    const cases: [string[], RegExp][] = [
      [['policy', 'create', 'Broken', '--acl', 'a..b'], /"a\.\.b" is no ACL pattern: empty segment between two dots/],
      [['policy', 'update', 'shaped', '--acl', 'bad access'], /"bad access" is no ACL pattern: no spaces/],
      [['policy', 'acl', 'add', 'shaped', 'confd.', 'calld.#'], /"confd\." is no ACL pattern: ends with a dot/],
      [['policy', 'apply', '-f', file], /bad\.yml.*acl "bad access" is no ACL pattern: no spaces/],
    ];
    for (const [args, message] of cases) {
      const r = await cli.run(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, message);
    }
    assert.deepEqual((await client.policies.get('shaped')).acl, ['confd.users.read']);
    assert.equal((await client.policies.list({name: 'Broken'})).items.length + (await client.policies.list({name: 'Bad'})).items.length, 0);
  });

  test('a malformed pattern already stored may still be removed', async () => {
    const policy = await client.policies.create({name: 'legacy', slug: 'legacy', acl: ['a..b', 'confd.users.read']});
    const r = await cli.run(['policy', 'acl', 'remove', 'legacy', 'a..b']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual((await client.policies.get(policy.uuid)).acl, ['confd.users.read']);
  });
});

describe('lock-out', () => {
  let keeper: string;
  let policyUuid: string;
  const apply = (yaml: string, extra: string[] = []) => {
    const file = join(td.dir, 'keeper.yml');
    writeFileSync(file, yaml);
    return cli.run(['policy', 'apply', '-f', file, ...extra], undefined, {WAZO_AUTH_TOKEN: keeper});
  };

  before(async () => {
    policyUuid = (await client.policies.create({name: 'Keeper', slug: 'keeper', acl: ['auth.#', 'confd.users.read']})).uuid;
    const user = await client.users.create({username: 'keeper', password: 'keeper password'});
    await client.users.addPolicy(user.uuid, policyUuid);
    keeper = (await td.login('keeper', 'keeper password')).token;
  });

  test('edit: a lock-out is refused before anything is sent, the edited text kept for a later apply --force', async () => {
    const r = await cli.run(['policy', 'edit', 'keeper'], undefined, {WAZO_AUTH_TOKEN: keeper, VISUAL: "sed -i -e 's/auth[.]#/calld.#/'"});
    assert.equal(r.status, 2, r.stderr + r.stdout);
    assert.match(r.stderr, /would lock you out: your login would no longer grant auth\.policies\.[0-9a-f-]+\.read/);
    const kept = /Your text is kept in (\S+keeper\.yml); once fixed: \S+ policy apply -f /.exec(r.stderr)?.[1];
    assert.ok(kept, r.stderr);
    rmSync(dirname(kept), {recursive: true});
    assert.deepEqual((await client.policies.get(policyUuid)).acl, ['auth.#', 'confd.users.read']);
  });

  test('acl remove of the pattern that lets the caller change its own policy: refused, exit 2, unchanged', async () => {
    const r = await cli.run(['policy', 'acl', 'remove', 'keeper', 'auth.#'], undefined, {WAZO_AUTH_TOKEN: keeper});
    assert.equal(r.status, 2);
    assert.equal(
      r.stderr,
      `Error: this change to policy keeper would lock you out: your login would no longer grant auth.policies.${policyUuid}.read (it holds this policy); --force to apply it anyway\n`,
    );
    assert.deepEqual((await client.policies.get(policyUuid)).acl, ['auth.#', 'confd.users.read']);
  });

  test('a change that keeps the access passes: another pattern removed, or one that still covers it', async () => {
    const r = await cli.run(['policy', 'acl', 'remove', 'keeper', 'confd.users.read'], undefined, {WAZO_AUTH_TOKEN: keeper});
    assert.equal(r.status, 0, r.stderr);
    const narrower = await apply(`- name: Keeper\n  slug: keeper\n  acl: ["auth.policies.#"]\n`);
    assert.equal(narrower.status, 0, narrower.stderr);
    assert.deepEqual((await client.policies.get(policyUuid)).acl, ['auth.policies.#']);
  });

  test('apply: a denial added to a held policy counts too', async () => {
    const r = await apply(`- name: Keeper\n  slug: keeper\n  acl: ["auth.policies.#", "!auth.policies.*.update"]\n`);
    assert.equal(r.status, 2);
    assert.match(r.stderr, new RegExp(`no longer grant auth\\.policies\\.${policyUuid}\\.update`));
    assert.deepEqual((await client.policies.get(policyUuid)).acl, ['auth.policies.#']);
  });

  test("someone who does not hold the policy cannot lock themselves out with it: the admin's change passes", async () => {
    const held = await client.policies.create({name: 'Other', slug: 'other', acl: ['#']});
    const r = await cli.run(['policy', 'acl', 'remove', 'other', '#']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual((await client.policies.get(held.uuid)).acl, []);
  });

  test('--force applies it', async () => {
    const r = await cli.run(['policy', 'acl', 'remove', 'keeper', 'auth.policies.#', '--force'], undefined, {WAZO_AUTH_TOKEN: keeper});
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual((await client.policies.get(policyUuid)).acl, []);
  });
});

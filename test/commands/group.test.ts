// `wazo-auth group ...` through the built binary, against a real daemon: stdout, stderr and exit
// codes, in each format, in pipelines, and each error path.

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {parse as parseYaml} from 'yaml';
import {AuthClient, type Group} from '../../src/client/index.js';
import {adminCli, type AdminCli} from '../helpers/admin-cli.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;
let client: AuthClient;
let cli: AdminCli;
/** A tenant below the top one, and a client acting in it. */
let branch: {uuid: string; client: AuthClient};

before(async () => {
  td = await startTestDaemon();
  client = new AuthClient({url: td.url, token: td.admin.token});
  cli = adminCli(td.url, td.admin.token);
  const {uuid} = await client.tenants.create({name: 'Branch', slug: 'branch'});
  branch = {uuid, client: new AuthClient({url: td.url, token: td.admin.token, tenant: uuid})};
});

after(async () => {
  cli.remove();
  await branch.client.close();
  await client.close();
  await td.stop();
});

const byName = async (name: string) => (await client.groups.list({name, recurse: true})).items[0];

describe('group create, show, update, delete', () => {
  test('create: a table of the group; --slug; --format plain the uuid; --tenant', async () => {
    const r = await cli.run(['group', 'create', 'support', '--slug', 'help']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^name: support$/m);
    assert.match(r.stdout, /^slug: help$/m);
    const plain = await cli.run(['group', 'create', 'sales', '--tenant', 'branch', '--format', 'plain']);
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal((await client.groups.get(plain.stdout.trim())).tenant_uuid, branch.uuid);
  });

  test('create: a name the tenant has already exits 1; no NAME exits 2', async () => {
    await client.groups.create({name: 'twice'});
    const r = await cli.run(['group', 'create', 'twice']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^Error: conflict: Group "twice" already exists\n$/);
    assert.equal((await cli.run(['group', 'create'])).status, 2);
  });

  test('show: by name or uuid, as a table, JSON, YAML; unknown: exit 1', async () => {
    const group = await client.groups.create({name: 'shown'});
    for (const name of ['shown', group.uuid]) {
      const r = await cli.run(['group', 'show', name]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^uuid: ${group.uuid}$`, 'm'));
    }
    assert.deepEqual(JSON.parse((await cli.run(['group', 'show', 'shown', '--json'])).stdout), group);
    assert.deepEqual(parseYaml((await cli.run(['group', 'show', 'shown', '--format', 'yaml'])).stdout), group);
    const unknown = await cli.run(['group', 'show', 'nosuch']);
    assert.equal(unknown.status, 1);
    assert.equal(unknown.stderr, 'Error: no group with name nosuch\n');
  });

  test('a name two tenants use: exit 1, asking for the uuid; --tenant does not narrow a name below', async () => {
    await client.groups.create({name: 'everywhere'});
    const there = await branch.client.groups.create({name: 'everywhere'});
    const r = await cli.run(['group', 'show', 'everywhere']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /2 groups have name everywhere: name it by uuid/);
    assert.equal((await cli.run(['group', 'show', there.uuid, '--format', 'plain'])).stdout, `${there.uuid}\n`);
  });

  test('update: renames, the slug stays; an all-users group is read-only (403: exit 4); no --name: exit 2', async () => {
    const group = await client.groups.create({name: 'before', slug: 'kept'});
    const r = await cli.run(['group', 'update', 'before', '--name', 'after', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {...group, name: 'after'});
    const allUsers = (await client.groups.list({read_only: true})).items[0]!;
    const readOnly = await cli.run(['group', 'update', allUsers.uuid, '--name', 'mine']);
    assert.equal(readOnly.status, 4);
    assert.match(readOnly.stderr, /403: Forbidden group modification/);
    assert.equal((await cli.run(['group', 'update', 'after'])).status, 2);
  });

  test('delete: each group named; one unknown name: exit 1 and none deleted', async () => {
    await client.groups.create({name: 'doomed-1'});
    const two = await client.groups.create({name: 'doomed-2'});
    await client.groups.create({name: 'spared'});
    const unknown = await cli.run(['group', 'delete', '--yes', 'spared', 'nosuch']);
    assert.equal(unknown.status, 1);
    assert.ok(await byName('spared'));
    const r = await cli.run(['group', 'delete', '--yes', 'doomed-1', two.uuid]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `Deleted group doomed-1.\nDeleted group ${two.uuid}.\n`);
    assert.equal(await byName('doomed-1'), undefined);
    assert.equal(await byName('doomed-2'), undefined);
  });
});

describe('group list', () => {
  let listed: Group[];
  before(async () => {
    listed = [
      await client.groups.create({name: 'list-one'}),
      await client.groups.create({name: 'list-two'}),
      await branch.client.groups.create({name: 'list-far'}),
    ];
  });

  test("a table of the tenant's groups, all-users group included; --recurse adds those below; --tenant", async () => {
    const table = await cli.run(['group', 'list']);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^NAME\tTENANT\tREAD_ONLY\n/);
    assert.match(table.stdout, /^list-one\tmaster\tfalse$/m);
    // The group of all the tenant's users, by what it is rather than its generated name.
    assert.match(table.stdout, /^\(all users\)\tmaster\ttrue$/m);
    assert.doesNotMatch(table.stdout, /wazo-all-users-tenant/);
    const wide = await cli.run(['group', 'list', '-o', 'wide']);
    assert.match(wide.stdout, new RegExp(`^list-one\tmaster\tfalse\tlist-one\t${listed[0]!.uuid}\t${listed[0]!.tenant_uuid}$`, 'm'));
    assert.doesNotMatch(table.stdout, /list-far/);
    const recurse = await cli.run(['group', 'list', '--search', 'list-', '--recurse', '--format', 'plain']);
    assert.deepEqual(recurse.stdout.split('\n').filter(Boolean).sort(), listed.map((g) => g.uuid).sort());
    const there = await cli.run(['group', 'list', '--tenant', 'branch', '--search', 'list-', '--format', 'plain']);
    assert.equal(there.stdout, `${listed[2]!.uuid}\n`);
  });

  test('--json: the API answer; a page with its note', async () => {
    const json = JSON.parse((await cli.run(['group', 'list', '--search', 'list-', '--json'])).stdout);
    assert.deepEqual(json, {total: json.total, filtered: 2, items: listed.slice(0, 2)});
    const page = await cli.run(['group', 'list', '--search', 'list-', '--limit', '1', '--format', 'plain']);
    assert.equal(page.stdout, `${listed[0]!.uuid}\n`);
    assert.equal(page.stderr, '1 more: --offset 1 for the next page, --all for every one\n');
  });
});

describe('group member', () => {
  test('add several users, list them in each format, remove one', async () => {
    const group = await client.groups.create({name: 'crew'});
    const ann = await client.users.create({username: 'crew-ann', email_address: 'ann@example.com'});
    const bob = await client.users.create({username: 'crew-bob'});
    const add = await cli.run(['group', 'member', 'add', 'crew', 'crew-ann', bob.uuid]);
    assert.equal(add.status, 0, add.stderr);
    assert.equal(add.stdout, '');
    assert.equal(add.stderr, `crew-ann is a member of crew.\n${bob.uuid} is a member of crew.\n`);

    const table = await cli.run(['group', 'member', 'list', 'crew']);
    assert.match(table.stdout, /^USERNAME\tFIRSTNAME\tLASTNAME\tEMAILS\tPURPOSE\tENABLED\n/);
    assert.match(table.stdout, /^crew-ann\t\t\tann@example\.com \(main\)\tuser\ttrue$/m);
    assert.equal((await cli.run(['group', 'member', 'list', group.uuid, '--format', 'plain'])).stdout, `${ann.uuid}\n${bob.uuid}\n`);
    assert.deepEqual(JSON.parse((await cli.run(['group', 'member', 'list', 'crew', '--json'])).stdout).items, [ann, bob]);

    const remove = await cli.run(['group', 'member', 'remove', '--yes', 'crew', 'crew-ann']);
    assert.equal(remove.status, 0, remove.stderr);
    assert.equal(remove.stderr, 'crew-ann is not a member of crew.\n');
    assert.deepEqual((await client.groups.listUsers(group.uuid)).items, [bob]);
  });

  test('a user of another tenant: exit 1; an unknown user: exit 1 and nobody added', async () => {
    const group = await client.groups.create({name: 'local'});
    await branch.client.users.create({username: 'far-user'});
    await client.users.create({username: 'near-user'});
    const far = await cli.run(['group', 'member', 'add', 'local', 'far-user']);
    assert.equal(far.status, 1);
    assert.match(far.stderr, /^Error: the daemon refused: .*same tenant/);
    const unknown = await cli.run(['group', 'member', 'add', 'local', 'near-user', 'nobody']);
    assert.equal(unknown.status, 1);
    assert.deepEqual((await client.groups.listUsers(group.uuid)).items, []);
  });

  test('a pipeline: empty a group', async () => {
    const group = await client.groups.create({name: 'emptied'});
    for (const name of ['out-1', 'out-2', 'out-3']) await client.groups.addUser(group.uuid, (await client.users.create({username: name})).uuid);
    const r = await cli.shell('$BIN group member list emptied --all --format plain | xargs $BIN group member remove emptied --yes');
    assert.equal(r.status, 0, r.stderr);
    assert.equal((await client.groups.listUsers(group.uuid)).total, 0);
  });
});

describe('group policy', () => {
  test('add several, list them, remove one; members get them in their tokens', async () => {
    const group = await client.groups.create({name: 'callers'});
    const user = await client.users.create({username: 'caller', password: 'caller password'});
    await client.groups.addUser(group.uuid, user.uuid);
    const calls = await client.policies.create({name: 'calls', slug: 'calls', acl: ['calld.calls.read']});
    const users = await client.policies.create({name: 'users', slug: 'users_read', acl: ['confd.users.read']});
    const add = await cli.run(['group', 'policy', 'add', 'callers', 'calls', users.uuid]);
    assert.equal(add.status, 0, add.stderr);
    assert.equal(add.stderr, `callers holds policy calls.\ncallers holds policy ${users.uuid}.\n`);
    assert.deepEqual((await td.login('caller', 'caller password')).acl.sort(), ['calld.calls.read', 'confd.users.read']);

    const table = await cli.run(['group', 'policy', 'list', 'callers']);
    assert.match(table.stdout, /^calls\tcalls\t/m);
    assert.equal((await cli.run(['group', 'policy', 'list', 'callers', '--format', 'plain'])).stdout, `${calls.uuid}\n${users.uuid}\n`);

    const remove = await cli.run(['group', 'policy', 'remove', '--yes', 'callers', 'users_read']);
    assert.equal(remove.status, 0, remove.stderr);
    assert.deepEqual(
      (await client.groups.listPolicies(group.uuid)).items.map((p) => p.slug),
      ['calls'],
    );
  });

  test('a policy slug of a sub-tenant, with --tenant', async () => {
    const group = await branch.client.groups.create({name: 'branch crew'});
    await branch.client.policies.create({name: 'branch agents', slug: 'bagents', acl: ['calld.#']});
    const without = await cli.run(['group', 'policy', 'add', 'branch crew', 'bagents']);
    assert.equal(without.status, 1, "the slug is looked up in the token's own tenant");
    const r = await cli.run(['group', 'policy', 'add', 'branch crew', 'bagents', '--tenant', 'branch']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      (await client.groups.listPolicies(group.uuid)).items.map((p) => p.slug),
      ['bagents'],
    );
  });

  test('an unknown policy: exit 1; no POLICY: exit 2', async () => {
    await client.groups.create({name: 'no policies'});
    const r = await cli.run(['group', 'policy', 'add', 'no policies', 'nosuch', '--json']);
    assert.equal(r.status, 1);
    assert.equal(JSON.parse(r.stdout).error.status, 404);
    assert.equal((await cli.run(['group', 'policy', 'add', 'no policies'])).status, 2);
  });
});

test('--help shows examples and the exit codes', async () => {
  const r = await cli.run(['group', 'member', 'add', '--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /EXAMPLES/);
  assert.match(r.stdout, /Exit codes: 0 success,\s+1 a negative answer/);
});

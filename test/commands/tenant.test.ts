// `wazo-auth tenant ...` through the built binary, against a real daemon: stdout, stderr and exit
// codes, in each format, in a pipeline, and each error path.

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {parse as parseYaml} from 'yaml';
import {AuthClient, type Tenant} from '../../src/client/index.js';
import {adminCli, type AdminCli} from '../helpers/admin-cli.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;
let client: AuthClient;
let cli: AdminCli;
let top: Tenant;

before(async () => {
  td = await startTestDaemon();
  client = new AuthClient({url: td.url, token: td.admin.token});
  cli = adminCli(td.url, td.admin.token);
  top = (await client.tenants.list({slug: 'master'})).items[0]!;
});

after(async () => {
  cli.remove();
  await client.close();
  await td.stop();
});

const bySlug = async (slug: string) => (await client.tenants.list({slug})).items[0];

describe('tenant create', () => {
  test("with every field: a table of the new tenant, below the token's own", async () => {
    const contact = await client.users.create({username: 'tenant-contact'});
    const r = await cli.run([
      'tenant',
      'create',
      'ACME Corp',
      '--slug',
      'acme',
      '--domain',
      'acme.example.com',
      '--domain',
      'acme.example.org',
      '--contact',
      'tenant-contact',
      '--phone',
      '+1 555 0100',
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^name: ACME Corp$/m);
    assert.match(r.stdout, /^domain_names:\n {2}acme\.example\.com\n {2}acme\.example\.org\n/m);
    assert.doesNotMatch(r.stdout, /\x1b\[/);
    const acme = (await bySlug('acme'))!;
    assert.deepEqual(
      {parent: acme.parent_uuid, contact: acme.contact, phone: acme.phone, domains: acme.domain_names},
      {parent: top.uuid, contact: contact.uuid, phone: '+1 555 0100', domains: ['acme.example.com', 'acme.example.org']},
    );
  });

  test('--parent (a slug), --format plain prints the uuid; --json the API fields', async () => {
    await client.tenants.create({name: 'Parent', slug: 'parent'});
    const r = await cli.run(['tenant', 'create', 'Child', '--slug', 'child', '--parent', 'parent', '--format', 'plain']);
    assert.equal(r.status, 0, r.stderr);
    const child = await client.tenants.get(r.stdout.trim());
    assert.equal(child.parent_uuid, (await bySlug('parent'))!.uuid);
    const json = await cli.run(['tenant', 'create', 'Other', '--json']);
    const created = JSON.parse(json.stdout);
    assert.deepEqual(created, await client.tenants.get(created.uuid));
  });

  test('a taken slug or domain, an invalid slug: exit 1 with the daemon message; an unknown contact or parent: exit 1', async () => {
    await client.tenants.create({name: 'Taken', slug: 'taken', domain_names: ['taken.example.com']});
    const slug = await cli.run(['tenant', 'create', 'Again', '--slug', 'taken']);
    assert.equal(slug.status, 1);
    assert.equal(slug.stdout, '');
    assert.match(slug.stderr, /^Error: conflict: slug: /);
    assert.equal((await cli.run(['tenant', 'create', 'Again', '--domain', 'taken.example.com'])).status, 1);
    const invalid = await cli.run(['tenant', 'create', 'Again', '--slug', 'far-too-long-slug', '--json']);
    assert.equal(invalid.status, 1);
    assert.equal(JSON.parse(invalid.stdout).error.status, 400);
    assert.match((await cli.run(['tenant', 'create', 'Again', '--contact', 'nobody'])).stderr, /no user with username nobody/);
    assert.match((await cli.run(['tenant', 'create', 'Again', '--parent', 'nosuch'])).stderr, /no tenant with slug nosuch/);
    assert.equal((await client.tenants.list({name: 'Again'})).items.length, 0);
  });

  test('no NAME: exit 2', async () => {
    assert.equal((await cli.run(['tenant', 'create'])).status, 2);
  });
});

describe('tenant list and show', () => {
  before(async () => {
    const shop = await client.tenants.create({name: 'Shop', slug: 'shop'});
    const inShop = new AuthClient({url: td.url, token: td.admin.token, tenant: shop.uuid});
    await inShop.tenants.create({name: 'Shop branch', slug: 'shopbr'});
    await inShop.close();
  });

  test('list: a table of the tenants below, the top one included; plain uuids; a page and its note', async () => {
    const table = await cli.run(['tenant', 'list']);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^NAME\tSLUG\tPARENT\tDOMAIN_NAMES\n/);
    assert.match(table.stdout, /^master\tmaster\t\(top\)\t/m);
    const wide = await cli.run(['tenant', 'list', '-o', 'wide', '--columns', 'slug,uuid,parent_uuid', '--no-headers']);
    assert.match(wide.stdout, new RegExp(`^master\t${top.uuid}\t${top.uuid}$`, 'm'));
    const total = (await client.tenants.list()).total;
    const plain = await cli.run(['tenant', 'list', '--format', 'plain']);
    assert.equal(plain.stdout.split('\n').filter(Boolean).length, total);
    const page = await cli.run(['tenant', 'list', '--limit', '1', '--format', 'plain']);
    assert.equal(page.stdout.split('\n').filter(Boolean).length, 1);
    assert.equal(page.stderr, `${total - 1} more: --offset 1 for the next page, --all for every one\n`);
  });

  test('list --tenant: a subtree; --search; --json and YAML: the API answer', async () => {
    const shop = (await bySlug('shop'))!;
    const branch = (await bySlug('shopbr'))!;
    const subtree = await cli.run(['tenant', 'list', '--tenant', 'shop', '--format', 'plain']);
    assert.deepEqual(subtree.stdout.split('\n').filter(Boolean).sort(), [shop.uuid, branch.uuid].sort());
    const json = JSON.parse((await cli.run(['tenant', 'list', '--search', 'shop branch', '--json'])).stdout);
    assert.deepEqual(json.items, [branch]);
    assert.equal(json.filtered, 1);
    const yaml = parseYaml((await cli.run(['tenant', 'list', '--search', 'shop branch', '--format', 'yaml'])).stdout);
    assert.deepEqual(yaml, json);
  });

  test('show: by slug or uuid; plain prints the uuid; an unknown tenant exits 1', async () => {
    const shop = (await bySlug('shop'))!;
    for (const name of ['shop', shop.uuid]) {
      const r = await cli.run(['tenant', 'show', name]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^uuid: ${shop.uuid}$`, 'm'));
      assert.match(r.stdout, /^address:\n {2}line_1:\n/m);
    }
    assert.equal((await cli.run(['tenant', 'show', 'shop', '--format', 'plain'])).stdout, `${shop.uuid}\n`);
    const unknown = await cli.run(['tenant', 'show', 'nosuch']);
    assert.equal(unknown.status, 1);
    assert.equal(unknown.stderr, 'Error: no tenant with slug nosuch\n');
    const unknownUuid = await cli.run(['tenant', 'show', '3c2b1a09-8f7e-4d6c-b5a4-392817161514', '--json']);
    assert.equal(unknownUuid.status, 1);
    assert.equal(JSON.parse(unknownUuid.stdout).error.status, 404);
  });

  test('a pipeline: the slugs of a subtree, one show each', async () => {
    const r = await cli.shell('$BIN tenant list --tenant shop --format plain | xargs -n1 $BIN tenant show --json | jq -r .slug | sort');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'shop\nshopbr\n');
  });
});

describe('tenant update', () => {
  test('changes only the fields given, keeps the others', async () => {
    const before = await client.tenants.create({name: 'Keep', slug: 'keep', phone: '100', domain_names: ['keep.example.com'], address: {city: 'Lyon'}});
    const r = await cli.run(['tenant', 'update', 'keep', '--name', 'Kept', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const after = await client.tenants.get(before.uuid);
    assert.deepEqual(after, {...before, name: 'Kept'});
    assert.deepEqual(JSON.parse(r.stdout), after);
  });

  test("'' clears a field; --domain replaces the names, --domain '' removes them; --contact by username", async () => {
    const contact = await client.users.create({username: 'new-contact'});
    const tenant = await client.tenants.create({name: 'Change', slug: 'change', phone: '200', domain_names: ['old.example.com']});
    const r = await cli.run([
      'tenant',
      'update',
      'change',
      '--phone',
      '',
      '--domain',
      'a.example.com',
      '--domain',
      'b.example.com',
      '--contact',
      'new-contact',
      '--format',
      'plain',
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${tenant.uuid}\n`);
    const after = await client.tenants.get(tenant.uuid);
    assert.deepEqual(
      {phone: after.phone, domains: after.domain_names, contact: after.contact},
      {phone: null, domains: ['a.example.com', 'b.example.com'], contact: contact.uuid},
    );
    assert.equal((await cli.run(['tenant', 'update', tenant.uuid, '--domain', ''])).status, 0);
    assert.deepEqual((await client.tenants.get(tenant.uuid)).domain_names, []);
  });

  test('nothing to change: exit 2; an unknown tenant, an invalid domain: exit 1', async () => {
    await client.tenants.create({name: 'Still', slug: 'still'});
    const nothing = await cli.run(['tenant', 'update', 'still']);
    assert.equal(nothing.status, 2);
    assert.match(nothing.stderr, /nothing to change: give --name, --domain, --contact, --phone/);
    assert.equal((await cli.run(['tenant', 'update', 'nosuch', '--name', 'x'])).status, 1);
    const invalid = await cli.run(['tenant', 'update', 'still', '--domain', 'not a domain']);
    assert.equal(invalid.status, 1);
    assert.match(invalid.stderr, /^Error: invalid request: domain_names\.0: /);
  });
});

describe('tenant delete', () => {
  test('deletes each tenant named, children first; says so on stderr', async () => {
    const mother = await client.tenants.create({name: 'Mother', slug: 'mother'});
    const inMother = new AuthClient({url: td.url, token: td.admin.token, tenant: mother.uuid});
    const daughter = await inMother.tenants.create({name: 'Daughter', slug: 'daughter'});
    await inMother.close();
    const r = await cli.run(['tenant', 'delete', '--yes', daughter.uuid, 'mother']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `Deleted tenant ${daughter.uuid}.\nDeleted tenant mother.\n`);
    assert.equal(await bySlug('mother'), undefined);
  });

  test('a tenant with children: exit 1; an unknown name among several: exit 1 and none deleted', async () => {
    const elder = await client.tenants.create({name: 'Elder', slug: 'elder'});
    const inElder = new AuthClient({url: td.url, token: td.admin.token, tenant: elder.uuid});
    await inElder.tenants.create({name: 'Young', slug: 'young'});
    await inElder.close();
    const parent = await cli.run(['tenant', 'delete', '--yes', 'elder']);
    assert.equal(parent.status, 1);
    assert.match(parent.stderr, /^Error: the daemon refused: .*child\n$/);
    const unknown = await cli.run(['tenant', 'delete', '--yes', 'young', 'nosuch']);
    assert.equal(unknown.status, 1);
    assert.ok(await bySlug('young'));
    assert.ok(await bySlug('elder'));
  });
});

test('--help shows examples and the exit codes', async () => {
  const r = await cli.run(['tenant', 'update', '--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /EXAMPLES/);
  assert.match(r.stdout, /Exit codes: 0 success,\s+1 a negative answer/);
});

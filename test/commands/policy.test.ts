// `wazo-auth policy list|show|create|update|delete` and `policy acl add|remove` through the built
// binary, against a real daemon: stdout, stderr and exit codes, in each format, with a pipeline
// and each error path.

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {parse as parseYaml} from 'yaml';
import {AuthClient} from '../../src/client/index.js';
import {capture, newOperator, BIN, type Operator} from '../cli/binary.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';

let td: TestDaemon;
let client: AuthClient;
let op: Operator;
let branch: string;

/** `wazo-auth ...args` as the admin (WAZO_AUTH_TOKEN), or with the environment given. */
const cli = (args: string[], env: Record<string, string> = {}) => op.run(args, {env: {WAZO_AUTH_URL: td.url, WAZO_AUTH_TOKEN: td.admin.token, ...env}});

before(async () => {
  td = await startTestDaemon({config: {default_policies: {'from-config': {acl: ['config.access']}}}});
  client = new AuthClient({url: td.url, token: td.admin.token});
  op = newOperator();
  branch = (await client.tenants.create({name: 'Branch', slug: 'branch'})).uuid;
});

after(async () => {
  await client.close();
  op.remove();
  await td.stop();
});

describe('policy create', () => {
  test('a table of the new policy on stdout, nothing on stderr, no colour codes', async () => {
    const r = await cli([
      'policy',
      'create',
      'Operators',
      '--slug',
      'operators',
      '--description',
      'The operators',
      '--acl',
      'confd.users.read',
      '--acl',
      'calld.#',
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^slug: operators$/m);
    assert.match(r.stdout, /^acl:\n {2}confd\.users\.read\n {2}calld\.#\n/m);
    assert.doesNotMatch(r.stdout, /\x1b\[/);
    const made = await client.policies.get('operators');
    assert.deepEqual([made.name, made.description, made.acl, made.shared], ['Operators', 'The operators', ['confd.users.read', 'calld.#'], false]);
  });

  test('--json prints the API fields; --format plain the uuid; --shared', async () => {
    const json = await cli(['policy', 'create', 'Shared one', '--slug', 'shared-one', '--shared', '--json']);
    assert.equal(json.status, 0, json.stderr);
    const policy = JSON.parse(json.stdout);
    assert.deepEqual(Object.keys(policy), ['uuid', 'tenant_uuid', 'name', 'slug', 'description', 'acl', 'read_only', 'shared']);
    assert.equal(policy.shared, true);
    const plain = await cli(['policy', 'create', 'Plain one', '--format', 'plain']);
    assert.equal(plain.stdout, `${(await client.policies.list({name: 'Plain one'})).items[0]!.uuid}\n`);
  });

  test('a name taken exits 1 with the daemon message; --json gives its body', async () => {
    const r = await cli(['policy', 'create', 'Operators']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^Error: conflict: Policy "Operators" already exists\n$/);
    const json = await cli(['policy', 'create', 'Operators', '--json']);
    assert.equal(json.status, 1);
    const {error} = JSON.parse(json.stdout);
    assert.equal(error.status, 409);
    assert.deepEqual(error.response.reason, ['Policy "Operators" already exists']);
  });

  test('--or-show prints the existing policy unchanged and exits 0, by name or by slug', async () => {
    const uuid = (await client.policies.get('operators')).uuid;
    const byName = await cli(['policy', 'create', 'Operators', '--or-show', '--format', 'plain']);
    assert.equal(byName.status, 0, byName.stderr);
    assert.equal(byName.stdout, `${uuid}\n`);
    assert.equal(byName.stderr, 'Policy operators already exists: shown as it is, unchanged.\n');
    const bySlug = await cli(['policy', 'create', 'Another name', '--slug', 'operators', '--acl', 'x.y', '--or-show', '--json']);
    assert.equal(bySlug.status, 0, bySlug.stderr);
    assert.equal(JSON.parse(bySlug.stdout).uuid, uuid);
    assert.match(bySlug.stderr, /with an ACL other than the one given/);
    assert.deepEqual((await client.policies.get('operators')).acl, ['confd.users.read', 'calld.#']);
  });

  test('in another tenant with --tenant (its slug)', async () => {
    const r = await cli(['policy', 'create', 'Branch agents', '--slug', 'agents', '--tenant', 'branch', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).tenant_uuid, branch);
  });

  test('an ACL the caller may not grant exits 4', async () => {
    await createUser(td.daemon.services.store, {username: 'limited', password: 'limited-pass', acl: ['auth.policies.#']});
    const {token} = await td.login('limited', 'limited-pass');
    const r = await cli(['policy', 'create', 'Too much', '--acl', 'confd.#'], {WAZO_AUTH_TOKEN: token});
    assert.equal(r.status, 4);
    assert.match(r.stderr, /^Error: not allowed: the token does not grant confd\.#\n$/);
  });

  test('no NAME, or an invalid option, is a usage error', async () => {
    assert.equal((await cli(['policy', 'create'])).status, 2);
    assert.equal((await cli(['policy', 'create', 'x', '--bogus'])).status, 2);
  });
});

describe('policy list', () => {
  test('a table of the policies of the tenant, with the read-only ones from the configuration', async () => {
    const r = await cli(['policy', 'list']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^SLUG\tNAME\tDESCRIPTION\tSHARED\tREAD_ONLY\n/);
    assert.match(r.stdout, /^operators\tOperators\t[^\t]*\tfalse\tfalse$/m);
    assert.match(r.stdout, /^from-config\tfrom-config\t[^\t]*\tfalse\ttrue$/m);
    assert.doesNotMatch(r.stdout, /agents/, 'the policies of a tenant below are not listed');
  });

  test('--format plain prints the uuids; --json the API answer', async () => {
    const all = await client.policies.list();
    const plain = await cli(['policy', 'list', '--format', 'plain']);
    assert.equal(plain.stdout, all.items.map((p) => `${p.uuid}\n`).join(''));
    const json = JSON.parse((await cli(['policy', 'list', '--json'])).stdout);
    assert.deepEqual(json, all);
  });

  test('--recurse adds the tenants below; --tenant lists another one', async () => {
    const recurse = await cli(['policy', 'list', '--recurse', '--format', 'yaml']);
    assert.ok(parseYaml(recurse.stdout).some((p: {slug: string}) => p.slug === 'agents'));
    const inBranch = await cli(['policy', 'list', '--tenant', branch, '--json']);
    const slugs = JSON.parse(inBranch.stdout).items.map((p: {slug: string}) => p.slug);
    assert.ok(slugs.includes('agents'));
    assert.ok(slugs.includes('shared-one'), 'a shared policy of the tenant above');
    assert.ok(!slugs.includes('operators'));
  });

  test('filters: --search, --slug, --user, --no-read-only', async () => {
    const search = await cli(['policy', 'list', '--search', 'the operators', '--format', 'plain']);
    assert.equal(search.stdout, `${(await client.policies.get('operators')).uuid}\n`);
    assert.equal(search.stderr, '', 'a short page: no note on more');
    const slug = JSON.parse((await cli(['policy', 'list', '--slug', 'agents', '--recurse', '--json'])).stdout);
    assert.deepEqual(
      slug.items.map((p: {slug: string}) => p.slug),
      ['agents'],
    );
    const user = JSON.parse((await cli(['policy', 'list', '--user', 'limited', '--json'])).stdout);
    assert.deepEqual(
      user.items.map((p: {slug: string}) => p.slug),
      ['policy_of_limited'],
    );
    const changeable = JSON.parse((await cli(['policy', 'list', '--no-read-only', '--json'])).stdout);
    assert.ok(changeable.items.every((p: {read_only: boolean}) => !p.read_only));
    assert.ok(changeable.items.length > 0);
  });

  test('--limit: a page and a note on stderr; --all: every one', async () => {
    const total = (await client.policies.list()).total;
    const page = await cli(['policy', 'list', '--limit', '2', '--format', 'plain']);
    assert.equal(page.status, 0);
    assert.equal(page.stdout.split('\n').length - 1, 2);
    assert.equal(page.stderr, `up to ${total - 2} more: --offset 2 for the next page, --all for every one\n`);
    const all = await cli(['policy', 'list', '--all', '--format', 'plain']);
    assert.equal(all.stdout.split('\n').length - 1, total);
    assert.equal(all.stderr, '');
    assert.equal((await cli(['policy', 'list', '--all', '--limit', '2'])).status, 2);
  });

  test('an unknown user to filter by exits 1; an order the API refuses exits 1', async () => {
    const user = await cli(['policy', 'list', '--user', 'nobody']);
    assert.equal(user.status, 1);
    assert.match(user.stderr, /no user with username nobody/);
    assert.equal((await cli(['policy', 'list', '--order', 'acl'])).status, 1);
  });
});

describe('policy show', () => {
  test('by slug or uuid: a table; YAML; the uuid alone', async () => {
    const {uuid} = await client.policies.get('operators');
    for (const name of ['operators', uuid]) {
      const r = await cli(['policy', 'show', name]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^uuid: ${uuid}$`, 'm'));
    }
    assert.equal(parseYaml((await cli(['policy', 'show', 'operators', '--format', 'yaml'])).stdout).description, 'The operators');
    assert.equal((await cli(['policy', 'show', 'operators', '--format', 'plain'])).stdout, `${uuid}\n`);
  });

  test('a slug of another tenant with --tenant', async () => {
    assert.equal((await cli(['policy', 'show', 'agents'])).status, 1);
    assert.equal((await cli(['policy', 'show', 'agents', '--tenant', 'branch'])).status, 0);
  });

  test('an unknown policy exits 1, and an unknown tenant too', async () => {
    const r = await cli(['policy', 'show', 'nothing-here']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /No such policy nothing-here/);
    const tenant = await cli(['policy', 'show', 'operators', '--tenant', 'nowhere']);
    assert.equal(tenant.status, 1);
    assert.match(tenant.stderr, /no tenant with slug nowhere/);
  });
});

describe('policy update', () => {
  test('changes the fields given and keeps the others', async () => {
    await client.policies.create({name: 'To update', slug: 'to-update', description: 'kept', acl: ['a.b']});
    const r = await cli(['policy', 'update', 'to-update', '--name', 'Updated', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).acl, ['a.b']);
    const policy = await client.policies.get('to-update');
    assert.deepEqual([policy.name, policy.description, policy.acl], ['Updated', 'kept', ['a.b']]);

    assert.equal((await cli(['policy', 'update', 'to-update', '--acl', 'c.d', '--acl', 'e.#', '--description', ''])).status, 0);
    const replaced = await client.policies.get('to-update');
    assert.deepEqual([replaced.name, replaced.description, replaced.acl], ['Updated', '', ['c.d', 'e.#']]);
  });

  test('nothing to change is a usage error; a read-only policy exits 1, an unknown one too', async () => {
    const nothing = await cli(['policy', 'update', 'to-update']);
    assert.equal(nothing.status, 2);
    assert.match(nothing.stderr, /nothing to change/);
    const readOnly = await cli(['policy', 'update', 'from-config', '--name', 'x']);
    assert.equal(readOnly.status, 1);
    assert.match(readOnly.stderr, /policy from-config is read-only/);
    assert.equal((await cli(['policy', 'update', 'nothing-here', '--name', 'x'])).status, 1);
  });
});

describe('policy acl add|remove', () => {
  test('adds accesses and prints the policy; one already there is said on stderr', async () => {
    await client.policies.create({name: 'Acl', slug: 'acl', acl: ['a.b']});
    const r = await cli(['policy', 'acl', 'add', 'acl', 'c.#', '!a.b.c', 'a.b', '--format', 'plain']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${(await client.policies.get('acl')).uuid}\n`);
    assert.equal(r.stderr, 'acl already grants a.b.\n');
    assert.deepEqual((await client.policies.get('acl')).acl, ['a.b', 'c.#', '!a.b.c']);
  });

  test('removes accesses; one it lacks is said on stderr; --json shows the ACL left', async () => {
    const r = await cli(['policy', 'acl', 'remove', 'acl', 'a.b', 'x.y', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).acl, ['c.#', '!a.b.c']);
    assert.equal(r.stderr, 'acl has no x.y.\n');
  });

  test('no ACCESS is a usage error; a read-only policy exits 1', async () => {
    assert.equal((await cli(['policy', 'acl', 'add', 'acl'])).status, 2);
    const r = await cli(['policy', 'acl', 'add', 'from-config', 'x.y']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /read-only/);
  });
});

describe('policy delete', () => {
  test('deletes several, saying so on stderr; nothing on stdout', async () => {
    const one = await client.policies.create({name: 'Gone 1', slug: 'gone-1'});
    await client.policies.create({name: 'Gone 2', slug: 'gone-2'});
    const r = await cli(['policy', 'delete', '--yes', one.uuid, 'gone-2']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'Policy gone-1 deleted.\nPolicy gone-2 deleted.\n');
    assert.equal((await client.policies.list({slug: 'gone-2'})).items.length, 0);
  });

  test('stops at an unknown or read-only one (exit 1)', async () => {
    await client.policies.create({name: 'Stays', slug: 'stays'});
    const r = await cli(['policy', 'delete', '--yes', 'nothing-here', 'stays']);
    assert.equal(r.status, 1);
    assert.equal((await client.policies.list({slug: 'stays'})).items.length, 1);
    assert.equal((await cli(['policy', 'delete', '--yes', 'from-config'])).status, 1);
  });
});

describe('a pipeline', () => {
  test('policy list --search ... --format plain | xargs policy delete', async () => {
    await client.policies.create({name: 'Temporary 1', description: 'temporary'});
    await client.policies.create({name: 'Temporary 2', description: 'temporary'});
    const env = {...process.env, BIN: `${process.execPath} ${BIN}`, WAZO_AUTH_URL: td.url, WAZO_AUTH_TOKEN: td.admin.token, HOME: op.home};
    const r = await capture('bash', ['-c', 'set -o pipefail; $BIN policy list --search temporary --format plain | xargs $BIN policy delete --yes'], env);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.split('\n').filter((line) => / deleted\.$/.test(line)).length, 2);
    assert.equal((await client.policies.list({search: 'temporary'})).items.length, 0);
  });
});

describe('failures shared by every command', () => {
  test('no login and no WAZO_AUTH_TOKEN: exit 4', async () => {
    const r = await op.run(['policy', 'list'], {env: {WAZO_AUTH_URL: td.url}});
    assert.equal(r.status, 4);
    assert.match(r.stderr, /login/);
  });

  test('a daemon that does not answer: exit 3', async () => {
    const r = await cli(['policy', 'show', 'operators'], {WAZO_AUTH_URL: 'http://127.0.0.1:1'});
    assert.equal(r.status, 3);
    assert.match(r.stderr, /cannot reach/);
  });

  test('--help has examples and the exit codes', async () => {
    for (const command of ['list', 'show', 'create', 'update', 'delete', 'acl add', 'acl remove', 'apply', 'edit']) {
      const r = await op.run(['policy', ...command.split(' '), '--help']);
      assert.equal(r.status, 0, command);
      assert.match(r.stdout, /EXAMPLES/, command);
      assert.match(r.stdout, /Exit codes: 0 success/, command);
    }
  });
});

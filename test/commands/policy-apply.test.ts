// `wazo-auth policy apply` and `policy edit` through the built binary, against a real daemon:
// what they print and change, and that a file or an edit the daemon would refuse changes nothing
// and loses nothing. The editor is a small script that edits the file as a person would.

import assert from 'node:assert/strict';
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import {after, before, beforeEach, describe, test} from 'node:test';
import {AuthClient} from '../../src/client/index.js';
import {capture, newOperator, BIN, type Operator} from '../cli/binary.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';

let td: TestDaemon;
let client: AuthClient;
let op: Operator;
let dir: string;

const cli = (args: string[], options: {input?: string; env?: Record<string, string>} = {}) =>
  op.run(args, {input: options.input, env: {WAZO_AUTH_URL: td.url, WAZO_AUTH_TOKEN: td.admin.token, ...options.env}});

before(async () => {
  td = await startTestDaemon({config: {default_policies: {'from-config': {acl: ['config.access']}}}});
  client = new AuthClient({url: td.url, token: td.admin.token});
  op = newOperator();
  dir = mkdtempSync(join(tmpdir(), 'wazo-auth-policy-apply-'));
  await client.tenants.create({name: 'Branch', slug: 'branch'});
});

after(async () => {
  await client.close();
  op.remove();
  rmSync(dir, {recursive: true, force: true});
  await td.stop();
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const policies = (...slugs: string[]) => Promise.all(slugs.map((slug) => client.policies.get(slug)));
const exists = async (name: string) => (await client.policies.list({name})).items.length > 0;

describe('policy apply', () => {
  const FILE = [
    '- name: Operators',
    '  slug: operators',
    '  description: The operators',
    '  acl:',
    '    - confd.users.read',
    '    - "!confd.users.*.delete"',
    '- name: Readers',
    '  acl: ["confd.*.read"]',
    '- name: Unchanged',
    '  slug: unchanged',
  ].join('\n');

  before(async () => {
    await client.policies.create({name: 'Operators', slug: 'operators', acl: ['confd.users.read', 'calld.#']});
    await client.policies.create({name: 'Unchanged', slug: 'unchanged', acl: ['x.y']});
    await client.policies.create({name: 'Not in the file', slug: 'other', acl: ['a.b']});
  });

  test('--dry-run says what would change and changes nothing', async () => {
    const r = await cli(['policy', 'apply', '-f', file('dry.yml', FILE), '--dry-run']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, 'Dry run: would create 1, update 1, leave 1 unchanged; nothing applied.\n');
    assert.match(r.stdout, /^ACTION\tSLUG\tNAME\tACL_ADDED\tACL_REMOVED\tCHANGED\n/);
    assert.match(r.stdout, /^updated\toperators\tOperators\t!confd\.users\.\*\.delete\tcalld\.#\tdescription$/m);
    assert.match(r.stdout, /^created\t\tReaders\tconfd\.\*\.read\t\t$/m);
    assert.match(r.stdout, /^unchanged\tunchanged\tUnchanged\t\t\t$/m);
    assert.equal(await exists('Readers'), false);
    assert.deepEqual((await client.policies.get('operators')).acl, ['confd.users.read', 'calld.#']);
  });

  test('creates what is missing, updates what differs, leaves the rest; --json gives each outcome', async () => {
    const r = await cli(['policy', 'apply', '-f', file('apply.yml', FILE), '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, 'Created 1, updated 1, unchanged 1.\n');
    const [operators, unchanged, other] = await policies('operators', 'unchanged', 'other');
    const readers = (await client.policies.list({name: 'Readers'})).items[0]!;
    assert.deepEqual(JSON.parse(r.stdout), [
      {
        action: 'updated',
        uuid: operators!.uuid,
        slug: 'operators',
        name: 'Operators',
        acl_added: ['!confd.users.*.delete'],
        acl_removed: ['calld.#'],
        changed: ['description'],
      },
      {action: 'created', uuid: readers.uuid, slug: readers.slug, name: 'Readers', acl_added: ['confd.*.read'], acl_removed: [], changed: []},
      {action: 'unchanged', uuid: unchanged!.uuid, slug: 'unchanged', name: 'Unchanged', acl_added: [], acl_removed: [], changed: []},
    ]);
    assert.deepEqual([operators!.description, operators!.acl], ['The operators', ['confd.users.read', '!confd.users.*.delete']]);
    assert.deepEqual(readers.acl, ['confd.*.read']);
    assert.deepEqual(other!.acl, ['a.b'], 'a policy the file does not name is left alone');
  });

  test('applied again: every one unchanged; --format plain prints their uuids', async () => {
    const r = await cli(['policy', 'apply', '-f', join(dir, 'apply.yml'), '--format', 'plain']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, 'Created 0, updated 0, unchanged 3.\n');
    const uuids = (await policies('operators', 'Readers', 'unchanged')).map((p) => `${p.uuid}\n`).join('');
    assert.equal(r.stdout, uuids);
  });

  test('an invalid file is a usage error naming the problem, and nothing is applied', async () => {
    const path = file('invalid.yml', '- name: Valid one\n- name: Invalid one\n  acls: [a.b]\n');
    const r = await cli(['policy', 'apply', '-f', path]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `Error: ${path}: policy 2 (Invalid one): unknown key "acls" (expected name, slug, description, acl, shared)\n`);
    assert.equal(await exists('Valid one'), false);
  });

  test('a change the daemon would refuse exits 1 naming each one, and nothing is applied', async () => {
    const path = file('refused.yml', '- name: Valid one\n- name: from-config\n  acl: [more]\n- name: Readers\n  slug: operators\n');
    const r = await cli(['policy', 'apply', '-f', path]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, 'Error: nothing applied:\n  from-config: policy from-config is read-only\n  Readers: the name is already that of policy Readers\n');
    assert.equal(await exists('Valid one'), false);
    const json = await cli(['policy', 'apply', '-f', path, '--json']);
    assert.equal(JSON.parse(json.stdout).error.refusals.length, 2);
  });

  test('a call refused half-way stops there, saying what was applied before (its exit code)', async () => {
    await createUser(td.daemon.services.store, {username: 'limited', password: 'limited-pass', acl: ['auth.policies.#', 'confd.#']});
    const {token} = await td.login('limited', 'limited-pass');
    const path = file('half.yml', '- {name: Granted, acl: [confd.users.read]}\n- {name: Not granted, acl: ["calld.#"]}\n- {name: Never reached}\n');
    const r = await cli(['policy', 'apply', '-f', path], {env: {WAZO_AUTH_TOKEN: token}});
    assert.equal(r.status, 4);
    assert.match(r.stderr, /^Error: Not granted: not allowed: the token does not grant .*\(stopped after created Granted\)\n$/);
    assert.equal(await exists('Granted'), true);
    assert.equal(await exists('Never reached'), false);
  });

  test('a pipeline: a policy shown as YAML, applied in another tenant', async () => {
    const env = {...process.env, BIN: `${process.execPath} ${BIN}`, WAZO_AUTH_URL: td.url, WAZO_AUTH_TOKEN: td.admin.token, HOME: op.home};
    const script = 'set -o pipefail; $BIN policy show operators --format yaml | $BIN policy apply -f - --tenant branch --format plain';
    const r = await capture('bash', ['-c', script], env);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, 'Created 1, updated 0, unchanged 0.\n');
    const inBranch = await client.policies.get(r.stdout.trim());
    assert.equal(inBranch.tenant_uuid, (await client.tenants.list({slug: 'branch'})).items[0]!.uuid);
    assert.deepEqual(inBranch.acl, (await client.policies.get('operators')).acl);
  });

  test('no -f, a file that does not exist, nothing on standard input: usage errors', async () => {
    assert.equal((await cli(['policy', 'apply'])).status, 2);
    const missing = await cli(['policy', 'apply', '-f', join(dir, 'nope.yml')]);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /cannot read .*nope\.yml: no such file/);
    const empty = await cli(['policy', 'apply', '-f', '-'], {input: ''});
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /standard input: holds no policy/);
  });
});

describe('policy edit', () => {
  let log: string;
  /** An editor that logs the path, mode and text it was given, then does what EDIT_* say. */
  let editor: string;

  before(async () => {
    const script = file(
      'editor.mjs',
      `import {appendFileSync, readFileSync, statSync, writeFileSync} from 'node:fs';
const path = process.argv[2];
appendFileSync(process.env.EDIT_LOG, JSON.stringify({path, mode: (statSync(path).mode & 0o777).toString(8), text: readFileSync(path, 'utf8')}) + '\\n');
if (process.env.EDIT_MEANWHILE) await fetch(process.env.EDIT_MEANWHILE, {method: 'PUT', headers: {'x-auth-token': process.env.WAZO_AUTH_TOKEN}});
if (process.env.EDIT_TEXT !== undefined) writeFileSync(path, process.env.EDIT_TEXT);
for (const [from, to] of JSON.parse(process.env.EDIT_REPLACE ?? '[]')) writeFileSync(path, readFileSync(path, 'utf8').replace(new RegExp(from, 'm'), to));
process.exit(Number(process.env.EDIT_EXIT ?? 0));
`,
    );
    editor = `"${process.execPath}" "${script}"`;
  });

  beforeEach(async () => {
    log = join(dir, `editor-${Date.now()}-${Math.random()}.log`);
    const existing = await client.policies.list({slug: 'edited'});
    if (existing.items[0]) await client.policies.delete(existing.items[0].uuid);
    await client.policies.create({name: 'Edited', slug: 'edited', description: 'before', acl: ['a.b', 'c.#']});
  });

  const edit = (env: Record<string, string>, args: string[] = []) => cli(['policy', 'edit', 'edited', ...args], {env: {EDITOR: editor, EDIT_LOG: log, ...env}});
  const sessions = () =>
    readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as {path: string; mode: string; text: string});

  test('applies what was saved and prints the change as a unified diff; the private file is removed', async () => {
    const r = await edit({
      EDIT_REPLACE: JSON.stringify([
        ['^description: before$', 'description: after'],
        ['^  - a\\.b\\n', ''],
        ['^acl:\\n', 'acl:\n  - "!x.y"\n'],
      ]),
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(
      r.stdout,
      [
        '--- edited (before)',
        '+++ edited (after)',
        '@@ -1,7 +1,7 @@',
        ' name: Edited',
        ' slug: edited',
        '-description: before',
        '+description: after',
        ' acl:',
        '-  - a.b',
        '+  - "!x.y"',
        '   - c.#',
        ' shared: false',
        '',
      ].join('\n'),
    );
    const policy = await client.policies.get('edited');
    assert.deepEqual([policy.description, policy.acl], ['after', ['!x.y', 'c.#']]);
    const [session] = sessions();
    assert.equal(session!.mode, '600');
    assert.equal(existsSync(dirname(session!.path)), false);
    assert.match(session!.text, /^# Policy edited \(/);
  });

  test('saved unchanged, or with only its comments changed: said, and nothing sent', async () => {
    for (const replace of [[], [['^# Policy', '# My policy']]]) {
      const r = await edit({EDIT_REPLACE: JSON.stringify(replace)});
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, 'No change: nothing sent.\n');
    }
    assert.equal((await client.policies.get('edited')).description, 'before');
  });

  test('invalid YAML: a usage error, and the text typed is kept in the file named', async () => {
    const text = 'name: Edited\nacl: [unclosed\n';
    const r = await edit({EDIT_TEXT: text});
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    const kept = /Your text is kept in (\S+);/.exec(r.stderr)?.[1];
    assert.ok(kept, r.stderr);
    assert.equal(readFileSync(kept, 'utf8'), text);
    assert.equal(statSync(kept).mode & 0o777, 0o600);
    assert.equal((await client.policies.get('edited')).description, 'before');
    rmSync(dirname(kept), {recursive: true});
  });

  test("in another tenant: the kept file's apply command names that tenant", async () => {
    const inBranch = new AuthClient({url: td.url, token: td.admin.token, tenant: (await client.tenants.list({slug: 'branch'})).items[0]!.uuid});
    await inBranch.policies.create({name: 'Branch edited', slug: 'branch-edited'});
    await inBranch.close();
    const r = await cli(['policy', 'edit', 'branch-edited', '--tenant', 'branch'], {env: {EDITOR: editor, EDIT_LOG: log, EDIT_TEXT: 'acl: ['}});
    assert.equal(r.status, 2);
    const kept = /once fixed: wazo-auth policy apply --tenant branch -f (\S+)\n/.exec(r.stderr)?.[1];
    assert.ok(kept, r.stderr);
    rmSync(dirname(kept), {recursive: true});
  });

  test('a change the daemon refuses keeps the text too; the kept file can be applied once fixed', async () => {
    await client.policies.create({name: 'Taken name', slug: 'taken'}).catch(() => undefined);
    const r = await edit({
      EDIT_REPLACE: JSON.stringify([
        ['^name: Edited$', 'name: Taken name'],
        ['^description: before$', 'description: kept'],
      ]),
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^Error: conflict: Policy "Taken name" already exists\n/);
    const kept = /once fixed: wazo-auth policy apply -f (\S+)\n/.exec(r.stderr)?.[1];
    assert.ok(kept, r.stderr);
    writeFileSync(kept, readFileSync(kept, 'utf8').replace('name: Taken name', 'name: Edited'));
    const apply = await cli(['policy', 'apply', '-f', kept]);
    assert.equal(apply.status, 0, apply.stderr);
    assert.equal((await client.policies.get('edited')).description, 'kept');
    rmSync(dirname(kept), {recursive: true});
  });

  test('the slug changed, or shared: refused, text kept', async () => {
    const slug = await edit({EDIT_REPLACE: JSON.stringify([['^slug: edited$', 'slug: renamed']])});
    assert.equal(slug.status, 2);
    assert.match(slug.stderr, /the slug cannot change \(edited\)/);
    const shared = await edit({EDIT_REPLACE: JSON.stringify([['^shared: false$', 'shared: true']])});
    assert.equal(shared.status, 1);
    assert.match(shared.stderr, /shared cannot change/);
    for (const {path} of sessions()) {
      assert.ok(existsSync(path));
      rmSync(dirname(path), {recursive: true});
    }
  });

  test('changed on the daemon meanwhile: nothing applied, text kept', async () => {
    const r = await edit({
      EDIT_MEANWHILE: `${td.url}/0.1/policies/edited/acl/meanwhile.access`,
      EDIT_REPLACE: JSON.stringify([['^description: before$', 'description: mine']]),
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /changed on the daemon while you edited it: nothing applied/);
    const policy = await client.policies.get('edited');
    assert.deepEqual([policy.description, policy.acl], ['before', ['a.b', 'c.#', 'meanwhile.access']]);
    rmSync(dirname(sessions()[0]!.path), {recursive: true});
  });

  test('a read-only policy is refused before the editor opens', async () => {
    const r = await cli(['policy', 'edit', 'from-config'], {env: {EDITOR: editor, EDIT_LOG: log}});
    assert.equal(r.status, 1);
    assert.match(r.stderr, /policy from-config is read-only/);
    assert.equal(existsSync(log), false, 'the editor did not run');
  });

  test('--json prints the policy after the edit; $VISUAL comes before $EDITOR, and may hold arguments', async () => {
    const r = await edit({VISUAL: "sed -i -e 's/^description: before$/description: by sed/'", EDITOR: 'false'}, ['--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).description, 'by sed');
  });

  test('the editor failing: nothing applied', async () => {
    const r = await edit({EDIT_REPLACE: JSON.stringify([['^description: before$', 'description: x']]), EDIT_EXIT: '3'});
    assert.equal(r.status, 2);
    assert.match(r.stderr, /the editor \(.*\) exited with 3: nothing applied/);
    assert.equal((await client.policies.get('edited')).description, 'before');
  });
});

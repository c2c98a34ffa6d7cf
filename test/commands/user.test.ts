// `wazo-auth user ...` through the built binary, against a real daemon: stdout, stderr and exit
// codes, in each format, in pipelines, on a terminal for the password prompts, and each error path.

import assert from 'node:assert/strict';
import {createServer} from 'node:net';
import {after, before, describe, test} from 'node:test';
import {parse as parseYaml} from 'yaml';
import {AuthClient, type User} from '../../src/client/index.js';
import {adminCli, type AdminCli} from '../helpers/admin-cli.js';
import {ManualClock} from '../../src/clock.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

const UNKNOWN_UUID = '3c2b1a09-8f7e-4d6c-b5a4-392817161514';

let td: TestDaemon;
let client: AuthClient;
let cli: AdminCli;
let tenantUuid: string;

before(async () => {
  // A clock that stands still: a throttled login waits exactly its 60 s however slow the run.
  td = await startTestDaemon({clock: new ManualClock()});
  client = new AuthClient({url: td.url, token: td.admin.token});
  cli = adminCli(td.url, td.admin.token);
  tenantUuid = (await client.tenants.list({slug: 'master'})).items[0]!.uuid;
});

after(async () => {
  cli.remove();
  await client.close();
  await td.stop();
});

/** A user made through the API, for tests that are not about `user create`. */
async function newUser(username: string, fields: Partial<Parameters<AuthClient['users']['create']>[0]> = {}): Promise<User> {
  return client.users.create({username, password: `${username} password`, ...fields});
}

const canLogIn = (username: string, password: string) =>
  td.login(username, password).then(
    () => true,
    () => false,
  );

describe('user list', () => {
  before(async () => {
    for (const name of ['list-ann', 'list-ben', 'list-cid']) await newUser(name, {firstname: name.toUpperCase(), email_address: `${name}@example.com`});
  });

  test('a table with its header and one row a user, addresses marked; nothing on stderr when nothing is left out', async () => {
    const r = await cli.run(['user', 'list', '--search', 'list-']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^USERNAME\tFIRSTNAME\tLASTNAME\tEMAILS\tPURPOSE\tENABLED\n/);
    assert.match(r.stdout, /^list-ann\tLIST-ANN\t\tlist-ann@example\.com \(main\)\tuser\ttrue$/m);
    assert.equal(r.stdout.match(/^list-\w+\tLIST-/gm)?.length, 3);
    assert.doesNotMatch(r.stdout, /\x1b\[/, 'no colour codes when not on a terminal');
  });

  test('a page: --limit and --offset, with a note on stderr of what is left', async () => {
    const first = await cli.run(['user', 'list', '--search', 'list-', '--limit', '2', '--format', 'plain']);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout.split('\n').filter(Boolean).length, 2);
    assert.equal(first.stderr, '1 more: --offset 2 for the next page, --all for every one\n');
    const last = await cli.run(['user', 'list', '--search', 'list-', '--limit', '2', '--offset', '2', '--format', 'plain']);
    assert.equal(last.stdout.split('\n').filter(Boolean).length, 1);
    assert.equal(last.stderr, '');
    const all = await cli.run(['user', 'list', '--search', 'list-', '--all', '--format', 'plain']);
    assert.equal(all.stdout.split('\n').filter(Boolean).length, 3);
  });

  test('--format plain prints uuids, one a line, in --order and --direction', async () => {
    const r = await cli.run(['user', 'list', '--search', 'list-', '--order', 'firstname', '--direction', 'desc', '--format', 'plain']);
    const uuids = await Promise.all(['list-cid', 'list-ben', 'list-ann'].map(async (name) => (await client.users.list({username: name})).items[0]!.uuid));
    assert.equal(r.stdout, uuids.map((uuid) => `${uuid}\n`).join(''));
  });

  test("--json prints the API's answer, {total, filtered, items}; YAML the same", async () => {
    const json = await cli.run(['user', 'list', '--search', 'list-ben', '--json']);
    assert.equal(json.status, 0, json.stderr);
    const answer = JSON.parse(json.stdout);
    assert.equal(answer.filtered, 1);
    assert.ok(answer.total >= 4);
    assert.deepEqual(Object.keys(answer.items[0]).sort(), [
      'authentication_method',
      'emails',
      'enabled',
      'firstname',
      'lastname',
      'purpose',
      'tenant_uuid',
      'username',
      'uuid',
    ]);
    assert.equal(answer.items[0].emails[0].address, 'list-ben@example.com');
    const yaml = await cli.run(['user', 'list', '--search', 'list-ben', '--format', 'yaml']);
    assert.deepEqual(parseYaml(yaml.stdout), answer);
  });

  test('--tenant (a slug) and --recurse', async () => {
    const branch = await client.tenants.create({name: 'List branch', slug: 'listbr'});
    const inBranch = new AuthClient({url: td.url, token: td.admin.token, tenant: branch.uuid});
    const far = await inBranch.users.create({username: 'list-far'});
    await inBranch.close();
    const own = await cli.run(['user', 'list', '--search', 'list-', '--format', 'plain']);
    assert.doesNotMatch(own.stdout, new RegExp(far.uuid));
    const recurse = await cli.run(['user', 'list', '--search', 'list-', '--recurse', '--format', 'plain']);
    assert.match(recurse.stdout, new RegExp(far.uuid));
    const there = await cli.run(['user', 'list', '--tenant', 'listbr', '--format', 'plain']);
    assert.equal(there.stdout, `${far.uuid}\n`);
  });

  test('an unknown --tenant exits 1; --limit with --all is a usage error', async () => {
    const unknown = await cli.run(['user', 'list', '--tenant', 'nosuch']);
    assert.equal(unknown.status, 1);
    assert.equal(unknown.stdout, '');
    assert.match(unknown.stderr, /no tenant with slug nosuch/);
    assert.equal((await cli.run(['user', 'list', '--all', '--limit', '5'])).status, 2);
  });

  test('a pipeline: list as uuids, show each', async () => {
    const r = await cli.shell('$BIN user list --search list- --format plain | xargs -n1 $BIN user show --json | jq -r .username');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'list-ann\nlist-ben\nlist-cid\n');
  });
});

describe('user show', () => {
  test('by username or uuid: a table of the user', async () => {
    const user = await newUser('show-me', {firstname: 'Show', lastname: 'Me', email_address: 'show@example.com'});
    for (const name of ['show-me', user.uuid]) {
      const r = await cli.run(['user', 'show', name]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^uuid: ${user.uuid}$`, 'm'));
      assert.match(r.stdout, /^lastname: Me$/m);
      assert.match(r.stdout, /^emails:\n {2}show@example\.com \(main\)\n/m);
      assert.match(r.stdout, new RegExp(`^tenant_uuid: ${tenantUuid}$`, 'm'));
    }
  });

  test('--format plain: the uuid; --json: the API fields', async () => {
    const user = await newUser('show-plain');
    assert.equal((await cli.run(['user', 'show', 'show-plain', '--format', 'plain'])).stdout, `${user.uuid}\n`);
    const json = await cli.run(['user', 'show', 'show-plain', '--json']);
    assert.deepEqual(JSON.parse(json.stdout), user);
  });

  test('an unknown user exits 1, a message on stderr, or the error as JSON', async () => {
    const r = await cli.run(['user', 'show', 'nobody']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'Error: no user with username nobody\n');
    const byUuid = await cli.run(['user', 'show', UNKNOWN_UUID, '--json']);
    assert.equal(byUuid.status, 1);
    const {error} = JSON.parse(byUuid.stdout);
    assert.equal(error.exit_code, 1);
    assert.equal(error.status, 404);
    assert.equal(error.response.error_id, 'unknown-user');
  });

  test('usage errors exit 2: no USER, an unknown flag', async () => {
    assert.equal((await cli.run(['user', 'show'])).status, 2);
    const r = await cli.run(['user', 'show', 'x', '--bogus']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--bogus/);
  });

  test('no credentials exit 4; credentials the daemon refuses exit 4; no daemon exits 3', async () => {
    const none = await cli.run(['user', 'show', 'admin'], undefined, {WAZO_AUTH_TOKEN: ''});
    assert.equal(none.status, 4);
    assert.match(none.stderr, /not logged in/);
    const unknown = await cli.run(['user', 'show', 'admin'], undefined, {WAZO_AUTH_TOKEN: UNKNOWN_UUID});
    assert.equal(unknown.status, 4);
    assert.match(unknown.stderr, /does not know the token/);
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const {port} = s.address() as {port: number};
        s.close(() => resolve(port));
      });
    });
    const gone = await cli.run(['user', 'show', 'admin', '--url', `http://127.0.0.1:${port}`]);
    assert.equal(gone.status, 3);
    assert.match(gone.stderr, /connection refused/);
  });
});

describe('user create', () => {
  test('with every field and the password on stdin: the user as the table shows it, and it logs in', async () => {
    const r = await cli.run(
      [
        'user',
        'create',
        'create-full',
        '--firstname',
        'Ann',
        '--lastname',
        'Full',
        '--email',
        'full@example.com',
        '--purpose',
        'external_api',
        '--password-stdin',
      ],
      'a long password\n',
    );
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /^username: create-full$/m);
    const user = (await client.users.list({username: 'create-full'})).items[0]!;
    assert.deepEqual(
      {firstname: user.firstname, lastname: user.lastname, purpose: user.purpose, enabled: user.enabled},
      {firstname: 'Ann', lastname: 'Full', purpose: 'external_api', enabled: true},
    );
    assert.deepEqual(
      user.emails.map(({address, main, confirmed}) => ({address, main, confirmed})),
      [{address: 'full@example.com', main: true, confirmed: true}],
    );
    assert.equal(await canLogIn('create-full', 'a long password'), true, 'one trailing newline is not part of the password');
  });

  test('--format plain prints the uuid; --disabled; --tenant', async () => {
    const branch = await client.tenants.create({name: 'Create branch', slug: 'createbr'});
    const r = await cli.run(['user', 'create', 'create-off', '--disabled', '--tenant', 'createbr', '--password-stdin', '--format', 'plain'], 'pw');
    assert.equal(r.status, 0, r.stderr);
    const user = await client.users.get(r.stdout.trim());
    assert.equal(user.enabled, false);
    assert.equal(user.tenant_uuid, branch.uuid);
    assert.equal(await canLogIn('create-off', 'pw'), false);
  });

  test('--no-password: a user that cannot log in with one', async () => {
    const r = await cli.run(['user', 'create', 'create-nopw', '--no-password', '--json']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).username, 'create-nopw');
    assert.equal(await canLogIn('create-nopw', ''), false);
  });

  test('no password, not on a terminal: exit 2 and no user', async () => {
    const r = await cli.run(['user', 'create', 'create-none']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--password-stdin.*--no-password/);
    assert.equal((await client.users.list({username: 'create-none'})).items.length, 0);
  });

  test('usage errors exit 2: --password-stdin with --no-password, an empty password, a bad --purpose, no USERNAME', async () => {
    assert.equal((await cli.run(['user', 'create', 'create-x', '--password-stdin', '--no-password'], 'pw')).status, 2);
    const empty = await cli.run(['user', 'create', 'create-x', '--password-stdin'], '\n');
    assert.equal(empty.status, 2);
    assert.match(empty.stderr, /empty/);
    assert.equal((await cli.run(['user', 'create', 'create-x', '--purpose', 'robot', '--no-password'])).status, 2);
    // A missing USERNAME is never read from stdin, where the password is.
    const noName = await cli.run(['user', 'create', '--password-stdin'], 'secret-pw');
    assert.equal(noName.status, 2);
    assert.doesNotMatch(noName.stdout + noName.stderr, /secret-pw/);
    assert.equal((await client.users.list({username: 'create-x'})).items.length, 0);
  });

  test('a username taken (whatever the case) exits 1 with the daemon message', async () => {
    await newUser('create-taken');
    const r = await cli.run(['user', 'create', 'CREATE-TAKEN', '--no-password']);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^Error: conflict: username: /);
  });

  test('on a terminal: the password typed twice at hidden prompts on stderr, never echoed', async () => {
    const r = await cli.onTerminal(
      ['user', 'create', 'create-tty', '--format', 'plain'],
      [
        {prompt: 'New password (create-tty): ', answer: 'typed-secret'},
        {prompt: 'Type it again: ', answer: 'typed-secret'},
      ],
    );
    assert.equal(r.status, 0, r.output);
    assert.doesNotMatch(r.output, /typed-secret/);
    assert.match(r.output, /[0-9a-f-]{36}/);
    assert.equal(await canLogIn('create-tty', 'typed-secret'), true);
  });

  test('on a terminal: two passwords that differ exit 2 and create nobody', async () => {
    const r = await cli.onTerminal(
      ['user', 'create', 'create-typo'],
      [
        {prompt: 'New password (create-typo): ', answer: 'one'},
        {prompt: 'Type it again: ', answer: 'two'},
      ],
    );
    assert.equal(r.status, 2);
    assert.match(r.output, /the two passwords differ/);
    assert.equal((await client.users.list({username: 'create-typo'})).items.length, 0);
  });
});

describe('user update', () => {
  test('changes only the fields given', async () => {
    const user = await newUser('update-keep', {firstname: 'Keep', lastname: 'Old', email_address: 'keep@example.com', purpose: 'internal'});
    const r = await cli.run(['user', 'update', 'update-keep', '--lastname', 'New', '--json']);
    assert.equal(r.status, 0, r.stderr);
    const after = await client.users.get(user.uuid);
    assert.deepEqual(after, {...user, lastname: 'New'});
    assert.deepEqual(JSON.parse(r.stdout), after);
  });

  test("'' clears a name; --username renames; --disable stops the logins and ends the sessions; --enable", async () => {
    const user = await newUser('update-me', {firstname: 'Gone'});
    await td.login('update-me', 'update-me password');
    const r = await cli.run(['user', 'update', user.uuid, '--firstname', '', '--username', 'update-renamed', '--disable', '--format', 'plain']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `${user.uuid}\n`);
    const after = await client.users.get(user.uuid);
    assert.deepEqual(
      {username: after.username, firstname: after.firstname, enabled: after.enabled},
      {username: 'update-renamed', firstname: null, enabled: false},
    );
    assert.equal((await client.users.listSessions(user.uuid)).total, 0);
    assert.equal(await canLogIn('update-renamed', 'update-me password'), false);
    assert.equal((await cli.run(['user', 'update', 'update-renamed', '--enable'])).status, 0);
    assert.equal(await canLogIn('update-renamed', 'update-me password'), true);
  });

  test("--email: a new main address, confirmed, the others kept; '' removes them all", async () => {
    const user = await newUser('update-mail', {email_address: 'first@example.com'});
    await client.users.adminUpdateEmails(user.uuid, [
      {address: 'first@example.com', main: true, confirmed: true},
      {address: 'second@example.com', main: false, confirmed: false},
    ]);
    const r = await cli.run(['user', 'update', 'update-mail', '--email', 'third@example.com']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^emails:\n {2}third@example\.com \(main\)\n {2}second@example\.com \(unconfirmed\)\n/m);
    const emails = (await client.users.get(user.uuid)).emails.map(({address, main, confirmed}) => ({address, main, confirmed}));
    assert.deepEqual(emails, [
      {address: 'third@example.com', main: true, confirmed: true},
      {address: 'second@example.com', main: false, confirmed: false},
    ]);
    assert.equal((await cli.run(['user', 'update', 'update-mail', '--email', ''])).status, 0);
    assert.deepEqual((await client.users.get(user.uuid)).emails, []);
  });

  test('nothing to change, or --enable with --disable: exit 2; an unknown user: exit 1; a taken username: exit 1', async () => {
    await newUser('update-other');
    const nothing = await cli.run(['user', 'update', 'update-other']);
    assert.equal(nothing.status, 2);
    assert.match(nothing.stderr, /nothing to change/);
    assert.equal((await cli.run(['user', 'update', 'update-other', '--enable', '--disable'])).status, 2);
    assert.equal((await cli.run(['user', 'update', 'nobody', '--lastname', 'x'])).status, 1);
    const taken = await cli.run(['user', 'update', 'update-other', '--username', 'admin']);
    assert.equal(taken.status, 1);
    assert.match(taken.stderr, /^Error: conflict: username: /);
  });
});

describe('user unlock', () => {
  /** Wrong passwords from the test's own address (127.0.0.1). */
  async function guess(login: string, times: number): Promise<void> {
    for (let i = 0; i < times; i++) {
      await td.call('POST', '/0.1/token', {body: {}, headers: {authorization: `Basic ${Buffer.from(`${login}:wrong`).toString('base64')}`}});
    }
  }

  test('user show lists the counts in a table; unlock clears them, saying what, and the user logs in at once', async () => {
    await newUser('locked-out', {email_address: 'locked@example.com'});
    await guess('locked-out', 5);
    await guess('LOCKED@example.com', 2);
    assert.equal(await canLogIn('locked-out', 'locked-out password'), false, 'throttled');

    const shown = await cli.run(['user', 'show', 'locked-out']);
    assert.equal(shown.status, 0, shown.stderr);
    // Newest failure first.
    // Counts of the same second come in no particular order.
    assert.match(shown.stdout, /^throttle:\n {2}locked(@example\.com|-out) from 127\.0\.0\.1/m);
    assert.match(shown.stdout, /^ {2}locked@example\.com from 127\.0\.0\.1: 2 failures$/m);
    assert.match(shown.stdout, /^ {2}locked-out from 127\.0\.0\.1: 5 failures, waits 60 s$/m);
    const json = await cli.run(['user', 'show', 'locked-out', '--json']);
    assert.equal('throttle' in JSON.parse(json.stdout), false, 'JSON keeps the API fields');

    const r = await cli.run(['user', 'unlock', 'locked-out']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.deepEqual(r.stderr.split('\n').sort(), [
      '',
      'Cleared: locked-out from 127.0.0.1: 5 failures, waits 60 s.',
      'Cleared: locked@example.com from 127.0.0.1: 2 failures.',
    ]);
    assert.equal(await canLogIn('locked-out', 'locked-out password'), true);
    assert.match((await cli.run(['user', 'show', 'locked-out'])).stdout, /^throttle:\n {2}none\n/m);
    const again = await cli.run(['user', 'unlock', 'locked-out']);
    assert.equal(again.status, 0);
    assert.equal(again.stderr, 'No failed login was counted against locked-out.\n');
  });

  test('an unknown user exits 1; a token that may not read the counts exits 4, and user show leaves them out', async () => {
    const r = await cli.run(['user', 'unlock', UNKNOWN_UUID]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^Error: /);

    const reader = await newUser('reader-only');
    await client.users.addPolicy(reader.uuid, (await client.policies.create({name: 'read-users', acl: ['auth.users.read', 'auth.users.*.read']})).uuid);
    const token = (await td.login('reader-only', 'reader-only password')).token as string;
    const limited = adminCli(td.url, token);
    try {
      const denied = await limited.run(['user', 'unlock', 'reader-only']);
      assert.equal(denied.status, 4, denied.stderr);
      const shown = await limited.run(['user', 'show', 'reader-only']);
      assert.equal(shown.status, 0, shown.stderr);
      assert.doesNotMatch(shown.stdout, /throttle/);
    } finally {
      limited.remove();
    }
  });
});

describe('user delete', () => {
  test('deletes every user named, saying so on stderr', async () => {
    const one = await newUser('delete-one');
    await newUser('delete-two');
    const r = await cli.run(['user', 'delete', '--yes', one.uuid, 'delete-two']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `Deleted user ${one.uuid}.\nDeleted user delete-two.\n`);
    assert.equal((await client.users.list({search: 'delete-'})).filtered, 0);
  });

  test('one unknown name: exit 1 and nobody deleted', async () => {
    await newUser('delete-kept');
    const r = await cli.run(['user', 'delete', '--yes', 'delete-kept', 'nobody']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no user with username nobody/);
    assert.equal((await client.users.list({username: 'delete-kept'})).items.length, 1);
  });

  test('a pipeline: every user a search finds', async () => {
    for (const name of ['gone-a', 'gone-b', 'gone-c']) await newUser(name);
    const r = await cli.shell('$BIN user list --search gone- --all --format plain | xargs $BIN user delete --yes');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.split('\n').filter(Boolean).length, 3);
    assert.equal((await client.users.list({search: 'gone-'})).filtered, 0);
  });
});

describe('user passwd', () => {
  test("another user's password, both on stdin: the new one works, the old one no more, its sessions end", async () => {
    const user = await newUser('passwd-stdin');
    await td.login('passwd-stdin', 'passwd-stdin password');
    const r = await cli.run(['user', 'passwd', 'passwd-stdin', '--password-stdin'], 'passwd-stdin password\nnew password\n');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /Password changed \(passwd-stdin\)/);
    assert.equal((await client.users.listSessions(user.uuid)).total, 0);
    assert.equal(await canLogIn('passwd-stdin', 'new password'), true);
    assert.equal(await canLogIn('passwd-stdin', 'passwd-stdin password'), false);
  });

  test('a wrong current password exits 4 and changes nothing; one line on stdin exits 2', async () => {
    await newUser('passwd-wrong');
    const wrong = await cli.run(['user', 'passwd', 'passwd-wrong', '--password-stdin'], 'not it\nnew password\n');
    assert.equal(wrong.status, 4);
    assert.match(wrong.stderr, /current password is wrong/);
    assert.doesNotMatch(wrong.stderr, /not it|new password/);
    assert.equal(await canLogIn('passwd-wrong', 'passwd-wrong password'), true);
    const oneLine = await cli.run(['user', 'passwd', 'passwd-wrong', '--password-stdin'], 'passwd-wrong password');
    assert.equal(oneLine.status, 2);
    assert.match(oneLine.stderr, /first line.*second/);
    assert.equal((await cli.run(['user', 'passwd', 'passwd-wrong'])).status, 2, 'not on a terminal, no --password-stdin');
  });

  test("without USER, the credentials' own user's password", async () => {
    const user = await newUser('passwd-self');
    const policy = await client.policies.create({name: 'change own password', acl: ['auth.users.me.password.update']});
    await client.users.addPolicy(user.uuid, policy.uuid);
    const {token} = await td.login('passwd-self', 'passwd-self password');
    const r = await cli.run(['user', 'passwd', '--password-stdin'], 'passwd-self password\nmine now\n', {WAZO_AUTH_TOKEN: token});
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /Password changed \(yours\)/);
    assert.equal(await canLogIn('passwd-self', 'mine now'), true);
  });

  test('on a terminal: the current password once, the new one twice, nothing echoed', async () => {
    await newUser('passwd-tty');
    const r = await cli.onTerminal(
      ['user', 'passwd', 'passwd-tty'],
      [
        {prompt: 'Current password (passwd-tty): ', answer: 'passwd-tty password'},
        {prompt: 'New password (passwd-tty): ', answer: 'fresh-secret'},
        {prompt: 'Type it again: ', answer: 'fresh-secret'},
      ],
    );
    assert.equal(r.status, 0, r.output);
    assert.doesNotMatch(r.output, /fresh-secret|passwd-tty password/);
    assert.equal(await canLogIn('passwd-tty', 'fresh-secret'), true);
  });
});

describe('user policy', () => {
  test('add several, list them in each format, remove one', async () => {
    const user = await newUser('policy-holder');
    const agents = await client.policies.create({name: 'agents', slug: 'agents', acl: ['calld.#']});
    const leads = await client.policies.create({name: 'leads', slug: 'leads', acl: ['confd.users.read']});
    const add = await cli.run(['user', 'policy', 'add', 'policy-holder', 'agents', leads.uuid]);
    assert.equal(add.status, 0, add.stderr);
    assert.equal(add.stdout, '');
    assert.equal(add.stderr, `policy-holder holds policy agents.\npolicy-holder holds policy ${leads.uuid}.\n`);

    const table = await cli.run(['user', 'policy', 'list', 'policy-holder']);
    assert.match(table.stdout, /^SLUG\tNAME\tDESCRIPTION\tSHARED\tREAD_ONLY\n/);
    assert.match(table.stdout, /^agents\tagents\t/m);
    const plain = await cli.run(['user', 'policy', 'list', user.uuid, '--format', 'plain']);
    assert.equal(plain.stdout, `${agents.uuid}\n${leads.uuid}\n`);
    const json = JSON.parse((await cli.run(['user', 'policy', 'list', 'policy-holder', '--json'])).stdout);
    assert.deepEqual(
      json.items.map((p: {acl: string[]}) => p.acl),
      [['calld.#'], ['confd.users.read']],
    );

    const remove = await cli.run(['user', 'policy', 'remove', '--yes', 'policy-holder', 'agents']);
    assert.equal(remove.status, 0, remove.stderr);
    assert.deepEqual(
      (await client.users.listPolicies(user.uuid)).items.map((p) => p.slug),
      ['leads'],
    );
  });

  test('a pipeline: give a user every policy another holds', async () => {
    const model = await newUser('policy-model');
    const copy = await newUser('policy-copy');
    for (const slug of ['pipe_a', 'pipe_b']) {
      await client.policies.create({name: slug, slug, acl: [`${slug}.read`]});
      await client.users.addPolicy(model.uuid, slug);
    }
    const r = await cli.shell('$BIN user policy list policy-model --all --format plain | xargs $BIN user policy add policy-copy');
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      (await client.users.listPolicies(copy.uuid)).items.map((p) => p.slug),
      ['pipe_a', 'pipe_b'],
    );
  });

  test('an unknown policy exits 1; no POLICY exits 2', async () => {
    await newUser('policy-lacking');
    const r = await cli.run(['user', 'policy', 'add', 'policy-lacking', 'nosuch']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^Error: No such policy/);
    assert.equal((await cli.run(['user', 'policy', 'add', 'policy-lacking'])).status, 2);
  });
});

describe('user group', () => {
  test('add to several groups, list them, remove from one', async () => {
    const user = await newUser('group-joiner');
    const red = await client.groups.create({name: 'red team'});
    const blue = await client.groups.create({name: 'blue team'});
    const add = await cli.run(['user', 'group', 'add', 'group-joiner', 'red team', blue.uuid]);
    assert.equal(add.status, 0, add.stderr);
    assert.equal(add.stderr, `group-joiner is a member of red team.\ngroup-joiner is a member of ${blue.uuid}.\n`);

    const table = await cli.run(['user', 'group', 'list', 'group-joiner']);
    assert.match(table.stdout, /^NAME\tTENANT\tREAD_ONLY\n/);
    assert.match(table.stdout, /^red team\t[^\t]+\tfalse$/m);
    assert.match(table.stdout, /^\(all users\)\t[^\t]+\ttrue$/m);
    const plain = await cli.run(['user', 'group', 'list', user.uuid, '--format', 'plain']);
    assert.equal(plain.stdout.split('\n').filter(Boolean).length, 3);

    const remove = await cli.run(['user', 'group', 'remove', '--yes', 'group-joiner', 'red team']);
    assert.equal(remove.status, 0, remove.stderr);
    assert.deepEqual((await client.groups.listUsers(red.uuid)).items, []);
    assert.equal((await client.groups.listUsers(blue.uuid)).items[0]?.uuid, user.uuid);
  });

  test('an unknown group exits 1 and joins none', async () => {
    const user = await newUser('group-lost');
    await client.groups.create({name: 'green team'});
    const r = await cli.run(['user', 'group', 'add', 'group-lost', 'green team', 'no such group']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no group with name no such group/);
    assert.equal((await client.users.listGroups(user.uuid)).total, 1, 'its all-users group only');
  });
});

describe('user session', () => {
  test('list: a table, uuids, JSON', async () => {
    const user = await newUser('session-lister');
    const sessions = [];
    for (let i = 0; i < 2; i++) sessions.push((await td.login('session-lister', 'session-lister password')).session_uuid as string);
    const table = await cli.run(['user', 'session', 'list', 'session-lister']);
    assert.equal(table.status, 0, table.stderr);
    assert.match(table.stdout, /^UUID\tUSERNAME\tTENANT\tMOBILE\tCREATED_AT\tEXPIRES_AT\tREMOTE_ADDR\n/);
    assert.match(table.stdout, new RegExp(`^${sessions[0]}\tsession-lister\t[^\t]+\tfalse\t`, 'm'));
    const plain = await cli.run(['user', 'session', 'list', user.uuid, '--format', 'plain']);
    assert.deepEqual(plain.stdout.split('\n').filter(Boolean).sort(), [...sessions].sort());
    const json = JSON.parse((await cli.run(['user', 'session', 'list', 'session-lister', '--json'])).stdout);
    assert.equal(json.total, 2);
    assert.equal(json.items[0].user_uuid, user.uuid);
  });

  test('revoke: the sessions named, a note for one that is not open; then every session', async () => {
    const user = await newUser('session-ender');
    const tokens = [];
    for (let i = 0; i < 3; i++) tokens.push(await td.login('session-ender', 'session-ender password'));
    const named = await cli.run(['user', 'session', 'revoke', '--yes', 'session-ender', tokens[0].session_uuid, UNKNOWN_UUID]);
    assert.equal(named.status, 0, named.stderr);
    assert.equal(named.stdout, '');
    assert.equal(named.stderr, `Not an open session of session-ender: ${UNKNOWN_UUID}.\n1 session of session-ender ended.\n`);
    assert.equal(await client.tokens.check(tokens[0].token), false);
    assert.equal(await client.tokens.check(tokens[1].token), true);

    const all = await cli.run(['user', 'session', 'revoke', '--yes', 'session-ender']);
    assert.equal(all.status, 0, all.stderr);
    assert.equal(all.stderr, '2 sessions of session-ender ended.\n');
    assert.equal((await client.users.listSessions(user.uuid)).total, 0);
  });

  test("a user ending its own sessions: the command's own token goes last", async () => {
    const user = await newUser('session-self');
    const policy = await client.policies.create({name: 'own sessions', acl: ['auth.users.me.sessions.#']});
    await client.users.addPolicy(user.uuid, policy.uuid);
    await td.login('session-self', 'session-self password');
    const {token} = await td.login('session-self', 'session-self password');
    const r = await cli.run(['user', 'session', 'revoke', '--yes', user.uuid], undefined, {WAZO_AUTH_TOKEN: token});
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, `2 sessions of ${user.uuid} ended.\n`);
  });
});

test('--help shows examples and the exit codes', async () => {
  for (const command of [
    ['user', 'create'],
    ['user', 'session', 'revoke'],
    ['user', 'policy', 'add'],
  ]) {
    const r = await cli.run([...command, '--help']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /EXAMPLES/);
    assert.match(r.stdout, /Exit codes: 0 success,\s+1 a negative answer/);
  }
});

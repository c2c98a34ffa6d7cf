// `wazo-auth dashboard` end to end in a real terminal: the built binary runs in tmux against a
// real daemon with real sessions; keys are sent to the pane, the pane's text is read back, and
// what the dashboard did is checked over HTTP. Each view's pane is written to DASHBOARD_PANES
// (default: a file in the temporary folder) for the README.

import assert from 'node:assert/strict';
import {execFileSync, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {appendFileSync, existsSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createTenant, createUser} from '../helpers/users.js';
import {BIN, loggedInOperator, type Operator} from '../cli/binary.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const PANES = process.env.DASHBOARD_PANES ?? join(tmpdir(), 'wazo-auth-dashboard-panes.txt');
// A tmux server of this test's own, so that nobody else's sessions are touched.
const SOCKET = `wazo-auth-test-${randomBytes(4).toString('hex')}`;
const SESSION = 'dashboard';

const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], {encoding: 'utf8'});
const pane = () => tmux('capture-pane', '-p', '-t', SESSION);

/** Sends one key (tmux's names: Enter, Escape, BSpace) or, with `literal`, text. */
async function send(keys: string, literal = false): Promise<void> {
  tmux('send-keys', '-t', SESSION, ...(literal ? ['-l', keys] : [keys]));
  // One key at a time, as a person types: the dashboard draws between two keys.
  await new Promise((resolve) => setTimeout(resolve, 150));
}

async function waitPane(expected: string | RegExp | ((text: string) => boolean)): Promise<string> {
  const test = typeof expected === 'function' ? expected : typeof expected === 'string' ? (t: string) => t.includes(expected) : (t: string) => expected.test(t);
  const deadline = Date.now() + 20_000;
  for (;;) {
    const text = pane();
    if (test(text)) return text;
    if (Date.now() > deadline) throw new Error(`the pane never showed ${String(expected)}; it shows:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Keeps a view's pane for the README: trailing blanks trimmed, the daemon's random port made stable. */
function keep(title: string, text: string, port: string): void {
  const lines = text
    .replaceAll(`127.0.0.1:${port}`, '127.0.0.1:9497')
    .split('\n')
    .map((l) => l.trimEnd());
  appendFileSync(PANES, `### ${title}\n\n\`\`\`\n${lines.join('\n').replace(/\n+$/, '')}\n\`\`\`\n\n`);
}

let td: TestDaemon;
let op: Operator;
const tokens: Record<string, string> = {};

before(async () => {
  if (!hasTmux) return;
  td = await startTestDaemon();
  op = await loggedInOperator(td);
  const store = td.daemon.services.store;
  const top = (await store.tenants.top())!.uuid;
  const acme = await createTenant(store, top, 'acme');
  await createUser(store, {username: 'alice', password: 'alice-pass', acl: ['confd.users.me.read']});
  await createUser(store, {username: 'bob', password: 'bob-pass', tenantUuid: acme});
  const login = async (name: string, agent: string, headers: Record<string, string> = {}) =>
    (tokens[agent] = (await td.login(name, `${name}-pass`, {expiration: 3600}, {'user-agent': agent, ...headers})).token);
  await login('alice', 'Firefox/128.0');
  await login('alice', 'wazo-desktop/2.4', {'wazo-session-type': 'mobile'});
  await login('bob', 'curl/8.5.0');
  const made = await td.call('POST', '/0.1/policies', {
    token: td.admin.token,
    body: {name: 'operators', acl: ['confd.users.*', 'confd.#', '!confd.users.secret']},
  });
  assert.equal(made.status, 200, made.text);
  writeFileSync(PANES, '');
});
after(async () => {
  if (!hasTmux) return;
  spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
  op.remove();
  await td.stop();
});

test('the dashboard in tmux: views, revoking a session for real, resizing, quitting', {
  skip: !hasTmux && 'tmux is not installed (.ci/run installs it)',
}, async () => {
  const port = new URL(td.url).port;
  const exitFile = join(op.home, 'exit-code');
  const env = `HOME=${op.home} XDG_CONFIG_HOME=${join(op.home, '.config')} NO_COLOR=1`;
  const command = `env ${env} ${process.execPath} ${BIN} dashboard --refresh 0.5; echo $? > ${exitFile}; sleep 60`;
  tmux('new-session', '-d', '-s', SESSION, '-x', '118', '-y', '16', command);

  // Sessions, first row selected.
  let text = await waitPane((t) => t.includes('curl/8.5.0') && t.includes('Firefox/128.0'));
  assert.match(text, /tenant master +1 sessions/);
  // admin: the test daemon's token, the token the login keeps, and the dashboard's own.
  assert.match(text, /per user admin 3 · alice 2 · bob 1/);
  assert.equal(text.split('\n').filter((l) => l.startsWith('› ')).length, 1);
  const own = / admin \(this\) .* ([0-9a-f]{8})$/m.exec(text)?.[1];
  assert.ok(own, text);
  keep('Sessions', text, port);

  // Revoke bob's session: ask, confirm, the row goes, and the daemon no longer knows the token.
  await send('/');
  await send('curl', true);
  await send('Enter');
  await waitPane((t) => !t.includes('Firefox/128.0'));
  await send('d');
  text = await waitPane(/Revoke session [0-9a-f]{8} of bob\? \(y\/N\)/);
  await send('y');
  text = await waitPane((t) => /Revoked session [0-9a-f]{8} of bob/.test(t) && !t.includes('curl/8.5.0'));
  assert.equal((await td.call('HEAD', `/0.1/token/${tokens['curl/8.5.0']}`)).status, 404);
  assert.equal((await td.call('HEAD', `/0.1/token/${tokens['Firefox/128.0']}`)).status, 204);
  await send('Escape');

  // Policies, one opened, with the try box.
  await send('2');
  text = await waitPane('operators');
  keep('Policies', text, port);
  await send('/');
  await send('operators', true);
  await send('Enter');
  await waitPane('Policies · 1 of');
  await send('Enter');
  await waitPane('Policy operators');
  await send('t');
  await send('confd.users.secret', true);
  await send('Enter');
  text = await waitPane('→ denied by !confd.users.secret');
  keep('A policy, with the try box', text, port);
  await send('Escape');

  // Users and tenants.
  await send(':');
  await send('users', true);
  await send('Enter');
  text = await waitPane((t) => t.includes('Users ·') && t.includes('alice'));
  keep('Users', text, port);
  await send('4');
  text = await waitPane((t) => t.includes('Tenants ·') && t.includes('acme'));
  keep('Tenants', text, port);
  await send('?');
  text = await waitPane('Keys');
  keep('Help', text, port);
  await send('Escape');

  // A smaller terminal: the screen is laid out again at its width.
  tmux('resize-window', '-t', SESSION, '-x', '80', '-y', '12');
  await send('1');
  text = await waitPane((t) => t.includes('Sessions ·') && t.includes('Firefox'));
  const lines = text.replace(/\n$/, '').split('\n');
  assert.equal(lines.length, 12);
  assert.ok(
    lines.every((l) => l.length <= 80),
    text,
  );
  assert.match(lines[0]!, /^wazo-auth http:\/\/127\.0\.0\.1:\d+ tenant master/);
  assert.match(lines[10]!, /^d revoke  D revoke all of user/);

  // q quits with 0, and the dashboard's own token is revoked on the way out.
  await send('q');
  const deadline = Date.now() + 20_000;
  while (!existsSync(exitFile) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(readFileSync(exitFile, 'utf8').trim(), '0');
  const sessions = await td.call('GET', `/0.1/users/${td.admin.uuid}/sessions`, {token: td.admin.token});
  assert.ok(!sessions.json.items.some((s: {uuid: string}) => s.uuid.startsWith(own)), JSON.stringify(sessions.json.items));
});

test('in a real terminal: keys of one write all act, and e hands the terminal over to $EDITOR, keys included', {
  skip: !hasTmux && 'tmux is not installed (.ci/run installs it)',
}, async () => {
  const session = SESSION;
  // The session of the test before, if any, waits in its `sleep`.
  spawnSync('tmux', ['-L', SOCKET, 'kill-session', '-t', SESSION]);
  // An editor that asks for an access on the terminal and adds it to the ACL: it gets the keys only if the dashboard stops reading them.
  const editor = join(op.home, 'ask-editor.sh');
  writeFileSync(editor, `printf 'access to add? '\nread access\nsed -i "s/^acl:$/acl:\\n  - $access/" "$1"\n`, {mode: 0o700});
  const env = `HOME=${op.home} XDG_CONFIG_HOME=${join(op.home, '.config')} NO_COLOR=1 EDITOR=${editor}`;
  const keys = (...args: string[]) => tmux('send-keys', '-t', session, ...args);
  const selected = (text: string) => /^› (\S+)/m.exec(text)?.[1];
  tmux('new-session', '-d', '-s', session, '-x', '118', '-y', '16', `env ${env} ${process.execPath} ${BIN} dashboard --refresh 0.5`);
  try {
    await waitPane((t) => t.includes('Sessions ·') && !t.includes('loading'));
    keys('3');
    await waitPane((t) => t.includes('Users ·') && selected(t) === 'admin');
    // One write of two keys: both move.
    keys('-l', 'jj');
    await waitPane((t) => selected(t) === 'bob');
    keys('2');
    await waitPane('operators');
    keys('-l', '/operators');
    keys('Enter');
    await waitPane('Policies · 1 of');
    keys('e');
    await waitPane('access to add?');
    keys('-l', 'calld.#');
    keys('Enter');
    await waitPane('Edited policy operators');
    const acl = (await td.call('GET', '/0.1/policies?slug=operators', {token: td.admin.token})).json.items[0].acl as string[];
    assert.deepEqual(acl, ['calld.#', 'confd.users.*', 'confd.#', '!confd.users.secret']);
    // The dashboard reads its keys again.
    keys('1');
    await waitPane('Sessions ·');
  } finally {
    keys('q');
  }
});

test('in a real terminal: :profile NAME switches to that profile’s daemon, and its token is revoked on quitting', {
  skip: !hasTmux && 'tmux is not installed (.ci/run installs it)',
}, async () => {
  const lab = await startTestDaemon();
  try {
    const login = await op.run(['login', '--profile', 'lab', '--url', lab.url, '--username', 'admin', '--password-stdin', '--insecure-storage'], {
      input: lab.admin.password,
    });
    assert.equal(login.status, 0, login.stderr);
    spawnSync('tmux', ['-L', SOCKET, 'kill-session', '-t', SESSION]);
    const exitFile = join(op.home, 'exit-code-profile');
    const env = `HOME=${op.home} XDG_CONFIG_HOME=${join(op.home, '.config')} NO_COLOR=1`;
    const command = `env ${env} ${process.execPath} ${BIN} dashboard --refresh 0.5; echo $? > ${exitFile}; sleep 60`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '118', '-y', '16', command);
    await waitPane((t) => t.includes('Sessions ·') && t.includes(td.url));
    const cliSessions = async () =>
      (await lab.call('GET', `/0.1/users/${lab.admin.uuid}/sessions`, {token: lab.admin.token})).json.items.filter((s: {user_agent: string}) =>
        s.user_agent.startsWith('wazo-auth-cli/'),
      ).length as number;
    const kept = await cliSessions();
    tmux('send-keys', '-t', SESSION, '-l', ':profile lab');
    tmux('send-keys', '-t', SESSION, 'Enter');
    await waitPane(`Profile lab: ${lab.url}`);
    // The header names the new daemon, and its tenant once its tenants are loaded.
    await waitPane(new RegExp(`^wazo-auth ${lab.url.replaceAll('.', '\\.')} tenant master`));
    // The login may keep an access token of its own: the dashboard's is one more session, revoked on quitting.
    assert.equal(await cliSessions(), kept + 1);
    tmux('send-keys', '-t', SESSION, 'q');
    const deadline = Date.now() + 20_000;
    while (!existsSync(exitFile) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(readFileSync(exitFile, 'utf8').trim(), '0');
    assert.equal(await cliSessions(), kept);
  } finally {
    await lab.stop();
  }
});

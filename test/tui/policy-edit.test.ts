// `e` in the Policies view: the policy in $EDITOR (here a small script that edits the file as a
// person would), applied when the editor quits, with the `wazo-auth policy edit` the command gives.

import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {editPolicy} from '../../src/cli/policy-edit.js';
import type {PolicyEditor} from '../../src/tui/context.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {KEY, openDashboard, type Screen} from './harness.js';

let td: TestDaemon;
let dir: string;

before(async () => {
  td = await startTestDaemon({config: {default_policies: {from_config: {acl: ['confd.#']}}}});
  const made = await td.call('POST', '/0.1/policies', {token: td.admin.token, body: {name: 'operators', acl: ['confd.users.read']}});
  assert.equal(made.status, 200, made.text);
  dir = mkdtempSync(join(tmpdir(), 'wazo-auth-tui-edit-'));
});
after(async () => {
  await td.stop();
  rmSync(dir, {recursive: true, force: true});
});

/** An editor that replaces `from` with `to` in the file it is given (a regular expression, multiline). */
function editor(from: string, to: string): PolicyEditor {
  const script = join(dir, `editor-${Math.random().toString(16).slice(2)}.mjs`);
  writeFileSync(
    script,
    `import {readFileSync, writeFileSync} from 'node:fs';
const path = process.argv[2];
writeFileSync(path, readFileSync(path, 'utf8').replace(new RegExp(${JSON.stringify(from)}, 'm'), ${JSON.stringify(to)}));
`,
  );
  const command = `"${process.execPath}" "${script}"`;
  return async (client, uuid) => Boolean(await editPolicy(client.policies, uuid, command, 'wazo-auth policy apply -f'));
}

const acl = async (slug: string) => (await td.call('GET', `/0.1/policies?slug=${slug}`, {token: td.admin.token})).json.items[0].acl as string[];

async function selectPolicy(screen: Screen, name: string): Promise<void> {
  await screen.press('2');
  await screen.waitFor('Policies ·');
  await screen.press('/', ...name, KEY.enter);
  await screen.waitFor('Policies · 1 of');
}

test('e opens the policy in the editor and applies what it saved; the ACL shows the change', async () => {
  const screen = await openDashboard(td, {editPolicy: editor('^  - confd\\.users\\.read$', '  - confd.users.*\n  - calld.#')});
  try {
    await selectPolicy(screen, 'operators');
    await screen.press('e');
    await screen.waitFor('Edited policy operators');
    assert.deepEqual(await acl('operators'), ['confd.users.*', 'calld.#']);
    await screen.waitFor(/operators +operators .* 2\s*$/m);
    // From the opened policy as well; saved unchanged, nothing is sent.
    await screen.press(KEY.enter);
    await screen.waitFor('Policy operators');
    await screen.press('e');
    await screen.waitFor('Edited policy operators');
    await screen.waitFor('calld.#');
  } finally {
    await screen.close();
  }
});

test('saved unchanged, nothing is sent; a text that is not a policy says what is wrong and where it is kept', async () => {
  const same = await openDashboard(td, {editPolicy: editor('^nothing to match$', '')});
  try {
    await selectPolicy(same, 'operators');
    await same.press('e');
    await same.waitFor('No change to policy operators: nothing sent');
  } finally {
    await same.close();
  }
  const broken = await openDashboard(td, {editPolicy: editor('^acl:', 'acl: 3\nx:')});
  try {
    await selectPolicy(broken, 'operators');
    await broken.press('e');
    // The status line names the file the text is kept in, and what is wrong with it.
    const frame = await broken.waitFor(/wazo-auth-policy-\S+\/operators\.yml \(operators\): unknown key "x"/);
    rmSync(/(\/\S*wazo-auth-policy-[^/\s]+)\//.exec(frame)![1]!, {recursive: true});
  } finally {
    await broken.close();
  }
});

test('e refuses a read-only policy, and everything under --read-only, before any editor opens', async () => {
  let opened = 0;
  const counting: PolicyEditor = async () => {
    opened++;
    return false;
  };
  const screen = await openDashboard(td, {editPolicy: counting});
  try {
    await selectPolicy(screen, 'from_config');
    await screen.press('e');
    await screen.waitFor('policy from_config is read-only: it cannot be changed here');
  } finally {
    await screen.close();
  }
  const watcher = await openDashboard(td, {editPolicy: counting, readOnly: true});
  try {
    await selectPolicy(watcher, 'operators');
    await watcher.press('e');
    await watcher.waitFor('read-only dashboard (--read-only): changes are disabled');
  } finally {
    await watcher.close();
  }
  assert.equal(opened, 0);
});

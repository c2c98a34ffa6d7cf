// The Policies view against a real daemon: the list, one policy's ACL, adding (checked as it is
// typed) and removing accesses, creating and renaming, the try box, and read-only policies.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {KEY, openDashboard, type Screen} from './harness.js';

let td: TestDaemon;

before(async () => {
  td = await startTestDaemon({config: {default_policies: {from_config: {acl: ['confd.#'], description: 'set by the configuration'}}}});
  const made = await td.call('POST', '/0.1/policies', {
    token: td.admin.token,
    body: {name: 'operators', acl: ['confd.users.*', 'confd.#', '!confd.users.secret'], shared: true},
  });
  assert.equal(made.status, 200, made.text);
});
after(() => td.stop());

const acl = async (slug: string) => (await td.call('GET', `/0.1/policies?slug=${slug}`, {token: td.admin.token})).json.items[0].acl as string[];

/** The Policies view, filtered down to one policy, opened. */
async function openPolicy(screen: Screen, name: string): Promise<string> {
  await screen.press('2');
  await screen.waitFor('Policies ·');
  await screen.press('/', ...name, KEY.enter);
  await screen.waitFor((f) => f.includes(`Policies · 1 of`));
  await screen.press(KEY.enter);
  return screen.waitFor(`Policy ${name}`);
}

test('the list shows name, slug, tenant, shared, read-only and the number of accesses', async () => {
  const screen = await openDashboard(td);
  try {
    await screen.press('2');
    const frame = await screen.waitFor('operators');
    assert.match(frame, /NAME▲ +SLUG +TENANT +SHARED +READ-ONLY +ACCESSES/);
    assert.match(screen.line(' operators'), /operators +operators +master +yes +no +3/);
    assert.match(screen.line('from_config'), /from_config +from_config +master +no +yes +1/);
  } finally {
    await screen.close();
  }
});

test('enter opens the ACL; the try box says which pattern decides, as one types', async () => {
  const screen = await openDashboard(td);
  try {
    const frame = await openPolicy(screen, 'operators');
    assert.match(frame, /slug operators · shared · 3 accesses/);
    assert.match(frame, /ACCESS +TRY\n› confd\.users\.\*\s*\n  confd\.#\s*\n  !confd\.users\.secret/);
    await screen.press('t', ...'confd.users.read');
    await screen.waitFor(/try access: confd\.users\.read +granted by confd\.users\.\*/);
    await screen.press(KEY.enter);
    await screen.waitFor('try confd.users.read → granted by confd.users.*');
    assert.match(screen.line('confd.users.*'), /confd\.users\.\* +✓ grants/);
    await screen.press('t', KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, ...'secret', KEY.enter);
    await screen.waitFor('try confd.users.secret → denied by !confd.users.secret');
    assert.match(screen.line('!confd.users.secret'), /✗ denies/);
    await screen.press('t', ...' x', KEY.enter);
    await screen.waitFor('not an access: no spaces');
    await screen.press(KEY.escape);
    await screen.waitFor('Policies · 1 of');
  } finally {
    await screen.close();
  }
});

test('a adds an access, checked as it is typed; d removes the selected one after y', async () => {
  const screen = await openDashboard(td);
  try {
    await openPolicy(screen, 'operators');
    await screen.press('a', ...'calld..x');
    await screen.waitFor(/add to operators: calld\.\.x +✗ empty segment between two dots/);
    await screen.press(KEY.enter);
    assert.match(screen.frame(), /add to operators: calld\.\.x/, 'enter does not submit a broken pattern');
    await screen.press(KEY.backspace, KEY.backspace, '#');
    await screen.waitFor((f) => f.includes('add to operators: calld.#') && !f.includes('✗'));
    await screen.press(KEY.enter);
    await screen.waitFor('Added calld.# to operators');
    await screen.waitFor('4 accesses');
    assert.deepEqual(await acl('operators'), ['confd.users.*', 'confd.#', '!confd.users.secret', 'calld.#']);

    await screen.press('a', ...'confd.#');
    await screen.waitFor('✗ already in the ACL');
    await screen.press(KEY.escape);
    await screen.waitFor((f) => !f.includes('add to operators'));
    await screen.press('G', 'd');
    await screen.waitFor('Remove calld.# from operators? (y/N)');
    await screen.press('y');
    await screen.waitFor('Removed calld.# from operators');
    assert.deepEqual(await acl('operators'), ['confd.users.*', 'confd.#', '!confd.users.secret']);
  } finally {
    await screen.close();
  }
});

test('n creates a policy and opens it; r renames it', async () => {
  const screen = await openDashboard(td);
  try {
    await screen.press('2');
    await screen.waitFor('Policies ·');
    await screen.press('n', KEY.enter);
    await screen.waitFor(/new policy name: +✗ a name/);
    await screen.press(...'night shift', KEY.enter);
    await screen.waitFor('Created policy night shift');
    await screen.waitFor('Policy night shift · slug nightshift · 0 accesses');
    await screen.waitFor('empty ACL: grants nothing');
    await screen.press('r', KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, KEY.backspace, ...'team', KEY.enter);
    await screen.waitFor('Renamed policy night shift to night team');
    await screen.waitFor('Policy night team · slug nightshift');
    assert.equal((await td.call('GET', '/0.1/policies?slug=nightshift', {token: td.admin.token})).json.items[0].name, 'night team');
  } finally {
    await screen.close();
  }
});

test('a read-only policy says so and refuses changes; --read-only refuses them all', async () => {
  const screen = await openDashboard(td);
  try {
    const frame = await openPolicy(screen, 'from_config');
    assert.match(frame, /read-only: managed by the daemon's configuration/);
    for (const key of ['a', 'd', 'r']) {
      await screen.press(key);
      await screen.waitFor('policy from_config is read-only: it cannot be changed here');
      assert.doesNotMatch(screen.frame(), /\(y\/N\)|add to from_config|rename from_config to/);
    }
  } finally {
    await screen.close();
  }
  const watcher = await openDashboard(td, {readOnly: true});
  try {
    await openPolicy(watcher, 'operators');
    await watcher.press('a');
    await watcher.waitFor('read-only dashboard (--read-only): changes are disabled');
    await watcher.press(KEY.escape);
    await watcher.waitFor('Policies · 1 of');
    await watcher.press('n');
    await watcher.waitFor('read-only dashboard (--read-only): changes are disabled');
    assert.doesNotMatch(watcher.frame(), /new policy name/);
  } finally {
    await watcher.close();
  }
});

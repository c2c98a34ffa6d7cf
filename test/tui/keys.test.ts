// Keys that arrive in one read of the terminal (a key held down, a fast typist, a paste) are each
// handled, in order; and the prompt edits its line as readline does.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';
import {KEY, openDashboard, type Screen} from './harness.js';

let td: TestDaemon;

before(async () => {
  td = await startTestDaemon();
  for (const username of ['alice', 'bob', 'carol', 'dave']) await createUser(td.daemon.services.store, {username});
});
after(() => td.stop());

/** The username on the selected row of the Users view. */
const selectedUser = (screen: Screen) => /^› (\S+)/m.exec(screen.frame())?.[1];

async function usersView(screen: Screen): Promise<void> {
  await screen.press('3');
  await screen.waitFor((f) => f.includes('dave') && selectedUser(screen) === 'admin');
}

test('jjj in one read moves three rows down, and kkk back', async () => {
  const screen = await openDashboard(td);
  try {
    await usersView(screen);
    screen.write('jjj');
    await screen.waitFor(() => selectedUser(screen) === 'carol');
    screen.write('kk');
    await screen.waitFor(() => selectedUser(screen) === 'alice');
  } finally {
    await screen.close();
  }
});

test('three ↓ in one read move three rows down', async () => {
  const screen = await openDashboard(td);
  try {
    await usersView(screen);
    screen.write(KEY.down.repeat(3));
    await screen.waitFor(() => selectedUser(screen) === 'carol');
    screen.write(KEY.down + 'j' + KEY.up + KEY.down);
    await screen.waitFor(() => selectedUser(screen) === 'dave');
  } finally {
    await screen.close();
  }
});

test('sss in one read sorts by the third column after the current one', async () => {
  const screen = await openDashboard(td);
  try {
    await usersView(screen);
    screen.write('sss');
    await screen.waitFor('PURPOSE▲');
    screen.write('sS');
    await screen.waitFor('ENABLED▼');
  } finally {
    await screen.close();
  }
});

test('a filter typed with its enter and the keys after it, in one read, acts as typed one by one', async () => {
  const screen = await openDashboard(td);
  try {
    await usersView(screen);
    screen.write('/!bob\rj');
    // The filter hides bob; j then moves from admin to alice.
    await screen.waitFor((f) => f.includes('filter !bob') && !f.includes('bob ') && selectedUser(screen) === 'alice');
  } finally {
    await screen.close();
  }
});

test('the prompt moves its cursor with ← → home end, and deletes words with ctrl-w and alt-backspace', async () => {
  const screen = await openDashboard(td);
  try {
    await screen.press('/');
    screen.write('bob' + KEY.left + KEY.left + 'x');
    await screen.waitFor(/^\/bxob/m);
    screen.write(KEY.home + '!' + KEY.end + 'z');
    await screen.waitFor(/^\/!bxobz/m);
    screen.write(KEY.left + KEY.left + KEY.right + 'y');
    await screen.waitFor(/^\/!bxobyz/m);
    screen.write(KEY.ctrlW);
    await screen.waitFor(/^\/z/m);
    screen.write(KEY.home + 'auth.users.read ' + KEY.end + KEY.altBackspace);
    await screen.waitFor(/^\/auth\.users\.read\s*$/m);
    screen.write(KEY.altBackspace);
    await screen.waitFor(/^\/auth\.users\.\s*$/m);
    screen.write(KEY.ctrlW + 'dave' + KEY.enter);
    await screen.waitFor('filter dave');
  } finally {
    await screen.close();
  }
});

// The two credential stores: the opt-in file and the OS keychain when there is none to use.

import assert from 'node:assert/strict';
import {chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {accountOf, FileStore, KeychainStore, KeychainUnavailable} from '../../src/cli/credentials.js';

const dir = mkdtempSync(join(tmpdir(), 'wazo-auth-credentials-'));
after(() => rmSync(dir, {recursive: true, force: true}));

test('the file store: mode 0600 in a folder of mode 0700, one entry per account, gone when empty', async () => {
  const path = join(dir, 'store', 'credentials.json');
  const store = new FileStore(path);
  assert.equal(await store.read('a'), undefined);
  await store.write(accountOf('default', 'https://x'), {refresh_token: 'secret-1', access_token: 'access-1', expires_at: 1000});
  await store.write(accountOf('lab', 'https://y'), {refresh_token: 'secret-2'});
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'store')).mode & 0o777, 0o700);
  assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), {
    'default@https://x': {refresh_token: 'secret-1', access_token: 'access-1', expires_at: 1000},
    'lab@https://y': {refresh_token: 'secret-2'},
  });
  assert.deepEqual(await store.read('lab@https://y'), {refresh_token: 'secret-2'});
  assert.equal(await store.remove('lab@https://y'), true);
  assert.equal(await store.remove('lab@https://y'), false);
  assert.equal(await store.remove('default@https://x'), true);
  assert.equal(existsSync(path), false);
  assert.match(store.description, /a file only you can read, not the OS keychain/);
});

test('the file store refuses a file other users could have read', async () => {
  const path = join(dir, 'open.json');
  const store = new FileStore(path);
  await store.write('a', {refresh_token: 'secret'});
  chmodSync(path, 0o644);
  await assert.rejects(store.read('a'), (error: Error & {exitCode: number}) => error.exitCode === 4 && /can be read by other users/.test(error.message));
});

test('no session bus: the keychain says so at once, exit 4, naming both ways out', {timeout: 10_000}, async () => {
  const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
  delete process.env.DBUS_SESSION_BUS_ADDRESS;
  try {
    await assert.rejects(new KeychainStore(5_000, {}).read('default@https://x'), (error: KeychainUnavailable) => {
      assert.equal(error.exitCode, 4);
      assert.match(error.message, /^no usable OS keychain \(.+\): log in with --insecure-storage .*, or set WAZO_AUTH_TOKEN to an access token$/);
      // The keychain's own refusal, not the bound on its calls running out.
      assert.doesNotMatch(error.message, /no answer within/);
      assert.ok(!error.message.includes('\n'));
      return true;
    });
  } finally {
    if (saved !== undefined) process.env.DBUS_SESSION_BUS_ADDRESS = saved;
  }
});

test('a session bus that never answers: the keychain call gives up within its bound', {timeout: 20_000}, async () => {
  const socket = join(dir, 'silent-bus');
  const silent = createServer(() => {
    // accepts the connection, never says a word
  });
  await new Promise<void>((resolve) => silent.listen(socket, resolve));
  const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
  process.env.DBUS_SESSION_BUS_ADDRESS = `unix:path=${socket}`;
  try {
    const started = Date.now();
    await assert.rejects(
      new KeychainStore(1_000, {DBUS_SESSION_BUS_ADDRESS: `unix:path=${socket}`}).write('default@https://x', {refresh_token: 'secret'}),
      (error: Error) => {
        assert.match(error.message, /no answer from the session bus within 1 s/);
        return true;
      },
    );
    assert.ok(Date.now() - started < 3_000, `${Date.now() - started} ms`);
  } finally {
    if (saved === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
    else process.env.DBUS_SESSION_BUS_ADDRESS = saved;
    silent.close();
  }
});

test('a login kept before access tokens were (the bare refresh token) still reads as its refresh token', async () => {
  const path = join(dir, 'older.json');
  writeFileSync(path, JSON.stringify({'default@https://x': 'refresh-1'}), {mode: 0o600});
  assert.deepEqual(await new FileStore(path).read('default@https://x'), {refresh_token: 'refresh-1'});
});

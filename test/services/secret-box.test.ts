// Secrets at rest: sealed values open under their key and context only; the key file is made once, 0600.
import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {loadSecretKey, SecretBox, SecretBoxError} from '../../src/services/secret-box.js';

const dir = mkdtempSync(join(tmpdir(), 'wazo-auth-secret-box-'));
after(() => rmSync(dir, {recursive: true, force: true}));

test('a sealed value opens under the same key and context, and tells nothing of the plain text', () => {
  const box = new SecretBox(Buffer.alloc(32, 7));
  const sealed = box.seal('hunter2 ünïcode', 'ctx:a');
  assert.match(sealed, /^v1:[A-Za-z0-9+/=]+$/);
  assert.equal(sealed.includes('hunter2'), false);
  assert.notEqual(box.seal('hunter2 ünïcode', 'ctx:a'), sealed, 'a fresh nonce each time');
  assert.equal(box.open(sealed, 'ctx:a'), 'hunter2 ünïcode');
  assert.throws(() => box.open(sealed, 'ctx:b'), SecretBoxError);
  assert.throws(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed, 'ctx:a'), SecretBoxError);
  const bytes = Buffer.from(sealed.slice(3), 'base64');
  bytes[bytes.length - 1]! ^= 1;
  assert.throws(() => box.open(`v1:${bytes.toString('base64')}`, 'ctx:a'), SecretBoxError);
  assert.throws(() => box.open('plain text', 'ctx:a'), SecretBoxError);
});

test('the key file is created once, mode 0600, and read back the same', () => {
  const first = loadSecretKey(dir);
  const path = join(dir, 'secrets.key');
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.deepEqual(loadSecretKey(dir), first);
  assert.equal(readFileSync(path, 'utf8').trim(), first.toString('hex'));
  assert.notEqual(new SecretBox(first).fingerprint(), new SecretBox(Buffer.alloc(32)).fingerprint());
  writeFileSync(path, 'short\n');
  assert.throws(() => loadSecretKey(dir), /not a valid key file/);
});

// Password hashing: argon2id round trips, upstream PBKDF2 hashes, and the
// null / malformed cases that must fail closed.

import {test} from 'node:test';
import assert from 'node:assert/strict';
import {pbkdf2Sync, randomBytes} from 'node:crypto';
import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {hash, parseOptions} from '@node-rs/argon2';

import {DEFAULT_HASH_COST, DUMMY_HASH, legacyHash, Passwords} from '../../src/services/passwords.js';

// The daemon's, at the default cost.
const passwords = new Passwords();

// Salt bytes 0x00..0x3f, as Python's bytes(range(64)).
const SALT_HEX = Buffer.from(Array.from({length: 64}, (_, i) => i)).toString('hex');

// Computed with CPython 3.11:
//   binascii.hexlify(hashlib.pbkdf2_hmac('sha512', pw.encode('utf-8'), bytes(range(64)), 250000))
// which is upstream's PasswordEncrypter.compute_password_hash.
const PYTHON_VECTORS: [string, string][] = [
  ['secret', 'b640077187de88c62a80c9aaeac5322f7786c473126922f665b782ee65d1768498db295b28c75bd5359f7475368f0d8b97f21ac993bbb6dff2297adeb7f9e203'],
  ['pässwörd €', '5842b6e75b119943d3586e7f6ed3ade28a5e9ed08cab8f20e2d6e9a59880e3a16b00250fff393a4f02f88a8e59c7f59c409c24cc332c6116a18aaaa5c89a692c'],
];

test('argon2id round trip with the expected parameters', async () => {
  const stored = await passwords.hash('correct horse');
  assert.ok(stored.startsWith('$argon2id$v=19$m=19456,t=2,p=1$'), stored);
  const used = parseOptions(stored);
  assert.equal(used.memoryCost, 19456);
  assert.equal(used.timeCost, 2);
  assert.equal(used.parallelism, 1);
  assert.deepEqual(await passwords.verify('correct horse', stored), {ok: true, needsRehash: false});
  assert.deepEqual(await passwords.verify('correct horsf', stored), {ok: false, needsRehash: false});
  assert.deepEqual(await passwords.verify('', stored), {ok: false, needsRehash: false});
});

test('two hashes of one password differ (random salt)', async () => {
  assert.notEqual(await passwords.hash('same'), await passwords.hash('same'));
});

test('non-ASCII passwords', async () => {
  for (const password of ['é', '€uro', 'pässwörd €', '日本語のパスワード', '🔑']) {
    const stored = await passwords.hash(password);
    assert.equal((await passwords.verify(password, stored)).ok, true, password);
  }
  // No normalisation: a decomposed é is another password.
  const composed = await passwords.hash('caf\u00e9');
  assert.equal((await passwords.verify('cafe\u0301', composed)).ok, false);
});

test('argon2 hashes made with other parameters verify and ask for a rehash', async () => {
  const weaker = await hash('old one', {memoryCost: 8192, timeCost: 1, parallelism: 1});
  assert.deepEqual(await passwords.verify('old one', weaker), {ok: true, needsRehash: true});
  assert.deepEqual(await passwords.verify('wrong', weaker), {ok: false, needsRehash: false});
  const argon2i = await hash('other algo', {algorithm: 1 as never, memoryCost: 19456, timeCost: 2, parallelism: 1});
  assert.ok(argon2i.startsWith('$argon2i$'));
  assert.deepEqual(await passwords.verify('other algo', argon2i), {ok: true, needsRehash: true});
});

test('legacy: upstream vectors computed by Python verify and ask for a rehash', async () => {
  for (const [password, hashHex] of PYTHON_VECTORS) {
    const stored = legacyHash(SALT_HEX, hashHex);
    assert.deepEqual(await passwords.verify(password, stored), {ok: true, needsRehash: true}, password);
    assert.deepEqual(await passwords.verify(`${password}x`, stored), {ok: false, needsRehash: false});
  }
});

test('legacy: a fresh salt, checked against node:crypto directly', async () => {
  const salt = randomBytes(64);
  const password = 'naïve €100';
  const derived = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, 250_000, 64, 'sha512').toString('hex');
  assert.equal(derived.length, 128);
  // Upper-case hex from an export is accepted and stored lower case.
  const stored = legacyHash(salt.toString('hex').toUpperCase(), derived.toUpperCase());
  assert.equal(stored, `pbkdf2-sha512$${salt.toString('hex')}$${derived}`);
  assert.deepEqual(await passwords.verify(password, stored), {ok: true, needsRehash: true});
  assert.equal((await passwords.verify('naive €100', stored)).ok, false);
});

test('legacyHash rejects what is not an upstream hash', () => {
  assert.throws(() => legacyHash('', 'ab'.repeat(64)));
  assert.throws(() => legacyHash('zz', 'ab'.repeat(64)));
  assert.throws(() => legacyHash('abc', 'ab'.repeat(64)));
  assert.throws(() => legacyHash(SALT_HEX, 'ab'.repeat(32)));
  assert.throws(() => legacyHash(SALT_HEX, 'xy'.repeat(64)));
});

test('no stored hash, or one we cannot read, never verifies', async () => {
  const refused = {ok: false, needsRehash: false};
  assert.deepEqual(await passwords.verify('anything', null), refused);
  assert.deepEqual(await passwords.verify('', null), refused);
  assert.deepEqual(await passwords.verify('anything', ''), refused);
  assert.deepEqual(await passwords.verify('anything', 'plain text password'), refused);
  assert.deepEqual(await passwords.verify('anything', '$argon2id$v=19$garbage'), refused);
  assert.deepEqual(await passwords.verify('anything', 'pbkdf2-sha512$00$short'), refused);
  assert.deepEqual(await passwords.verify('anything', 'pbkdf2-sha512$'), refused);
});

test('the dummy hash matches the current parameters, so verifyNothing costs a real verification', async () => {
  const current = parseOptions(await passwords.hash('x'));
  assert.deepEqual(parseOptions(DUMMY_HASH), current);
  await passwords.verifyNothing('whatever');
  await passwords.verifyNothing('');
});

/**
 * Milliseconds of CPU the whole process spends on one call of `fn` (argon2 runs on libuv's threads):
 * a measure of work done, not of speed, so other load on the machine does not change it. The least
 * of `calls` calls measured one by one: whatever else the process does meanwhile (a collection, a
 * thread of an earlier test) only adds to a call's figure.
 */
async function cpuPerCall(fn: () => Promise<unknown>, calls: number, options: {warmUp?: boolean} = {}): Promise<number> {
  if (options.warmUp) await fn();
  let least = Number.POSITIVE_INFINITY;
  for (let i = 0; i < calls; i += 1) {
    const before = process.cpuUsage();
    await fn();
    const used = process.cpuUsage(before);
    least = Math.min(least, (used.user + used.system) / 1e3);
  }
  return least;
}

test('an unknown user does the work of a wrong password', async () => {
  const stored = await passwords.hash('right');
  const wrong = await cpuPerCall(() => passwords.verify('wrong', stored), 3);
  const none = await cpuPerCall(() => passwords.verify('wrong', null), 3);
  assert.ok(none > wrong / 2, `unknown user ${none.toFixed(1)} ms of CPU vs wrong password ${wrong.toFixed(1)} ms`);
});

test('at another cost: its hashes carry it, a default one is upgraded, an unknown user costs what a wrong password costs', async () => {
  const cheap = new Passwords({memoryCost: 1024, timeCost: 1});
  const stored = await cheap.hash('right');
  assert.ok(stored.startsWith('$argon2id$v=19$m=1024,t=1,p=1$'), stored);
  assert.deepEqual(await cheap.verify('right', stored), {ok: true, needsRehash: false});
  assert.deepEqual(await cheap.verify('right', await passwords.hash('right')), {ok: true, needsRehash: true});
  // The default cost's hash verifies at the default cost: needsRehash for the daemon that made it, not for the other.
  assert.deepEqual(await passwords.verify('right', stored), {ok: true, needsRehash: true});
  assert.deepEqual(DEFAULT_HASH_COST, {memoryCost: 19456, timeCost: 2});
  // The unknown user's dummy is a hash at the same cost, made once: comparable work, far below the default cost's.
  const wrong = await cpuPerCall(() => cheap.verify('wrong', stored), 5, {warmUp: true});
  const none = await cpuPerCall(() => cheap.verify('wrong', null), 5, {warmUp: true});
  const usual = await cpuPerCall(() => passwords.verify('wrong', null), 5, {warmUp: true});
  assert.ok(none > wrong / 2, `unknown user ${none.toFixed(2)} ms of CPU vs wrong password ${wrong.toFixed(2)} ms`);
  assert.ok(none < usual / 4, `unknown user at 1 MiB ${none.toFixed(2)} ms of CPU vs at the default cost ${usual.toFixed(2)} ms`);
});

test('the hash pool answers each job, survives a failing one, and hashes at a lower CPU priority', async (t) => {
  const {HASH_NICE, HashPool} = await import('../../src/services/hash-pool.js');
  const pool = new HashPool(2);
  const stored = await passwords.hash('right');
  const verdicts = await Promise.all(['right', 'wrong', 'right'].map((password) => pool.run({op: 'verify', stored, password})));
  assert.deepEqual(verdicts, [true, false, true]);
  await assert.rejects(pool.run({op: 'verify', stored: '$argon2id$damaged', password: 'x'}));
  // More jobs than workers, a failing one among them: each answered, its own way.
  const many = ['right', 'wrong', 'bad', 'right', 'wrong', 'right', 'right'];
  const answers = await Promise.allSettled(
    many.map((password) => pool.run({op: 'verify', stored: password === 'bad' ? '$argon2id$damaged' : stored, password})),
  );
  assert.deepEqual(
    answers.map((a) => (a.status === 'fulfilled' ? a.value : 'failed')),
    [true, false, 'failed', true, false, true, true],
  );
  assert.equal(await pool.run({op: 'verify', stored, password: 'right'}), true);

  if (!existsSync('/proc/self/task')) return t.skip('no /proc: cannot read thread priorities here');
  // Field 19 of /proc/<pid>/task/<tid>/stat is the thread's nice value (after the parenthesised name).
  const nices = readdirSync('/proc/self/task').map((tid) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ')[16]));
  assert.ok(nices.includes(HASH_NICE), `thread nice values: ${nices.join(' ')}`);
  assert.equal(Number(readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[16]), 0, 'the main thread keeps its priority');
});

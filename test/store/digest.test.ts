// The token digest: a fixed, case-insensitive SHA-256 so that lookups work for any spelling of a UUID.
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {test} from 'node:test';
import {tokenDigest} from '../../src/store/digest.js';

test('tokenDigest is the hex SHA-256 of the value', () => {
  assert.equal(tokenDigest('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('tokenDigest ignores the case of the value', () => {
  const value = randomUUID();
  assert.equal(tokenDigest(value.toUpperCase()), tokenDigest(value));
  assert.match(tokenDigest(value), /^[0-9a-f]{64}$/);
  assert.notEqual(tokenDigest(value), value);
});

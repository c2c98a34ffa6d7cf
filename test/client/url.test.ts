// normalizeUrl: what an operator types, reduced to the daemon's root.

import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import {ClientOptionError, normalizeUrl} from '../../src/client/index.js';

describe('normalizeUrl', () => {
  const cases: Array<[string, string]> = [
    ['https://auth.example.com:9497', 'https://auth.example.com:9497'],
    ['https://auth.example.com:9497/', 'https://auth.example.com:9497'],
    ['https://auth.example.com:9497/0.1', 'https://auth.example.com:9497'],
    ['https://auth.example.com:9497/0.1/', 'https://auth.example.com:9497'],
    ['https://pbx.example.com/api/auth', 'https://pbx.example.com/api/auth'],
    ['https://pbx.example.com/api/auth/', 'https://pbx.example.com/api/auth'],
    ['https://pbx.example.com/api/auth/0.1', 'https://pbx.example.com/api/auth'],
    ['  HTTPS://PBX.Example.com:443/api/auth//  ', 'https://pbx.example.com/api/auth'],
    ['http://127.0.0.1:9497', 'http://127.0.0.1:9497'],
    ['http://[::1]:9497/0.1', 'http://[::1]:9497'],
  ];
  for (const [typed, root] of cases) {
    test(`${JSON.stringify(typed)} is ${root}`, () => assert.equal(normalizeUrl(typed), root));
  }

  test('a bare host name means https', () => {
    assert.equal(normalizeUrl('auth.example.com:9497'), 'https://auth.example.com:9497');
    assert.equal(normalizeUrl('pbx.example.com/api/auth'), 'https://pbx.example.com/api/auth');
  });

  test('a /0.1 inside the prefix stays: only the trailing API version goes', () => {
    assert.equal(normalizeUrl('https://example.com/0.1/auth'), 'https://example.com/0.1/auth');
  });

  const refused: Array<[string, RegExp]> = [
    ['', /empty/],
    ['ftp://example.com', /http:\/\/ or https:\/\//],
    ['https://admin:secret@example.com', /credentials/],
    ['https://example.com/api/auth?x=1', /query string/],
    ['https://exa mple.com', /not a URL/],
  ];
  for (const [typed, why] of refused) {
    test(`${JSON.stringify(typed)} is refused`, () => {
      assert.throws(
        () => normalizeUrl(typed),
        (error: unknown) => error instanceof ClientOptionError && why.test(error.message),
      );
    });
  }

  test('the refusal of a URL with credentials does not repeat them', () => {
    assert.throws(
      () => normalizeUrl('https://admin:hunter2@example.com'),
      (error: Error) => !error.message.includes('hunter2'),
    );
  });
});

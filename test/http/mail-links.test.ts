// linkParams: the hostname, port and prefix of mailed links, from Host and X-Script-Name as
// upstream reads them, only when they are a host and a path; or fixed by email_links.

import assert from 'node:assert/strict';
import {test} from 'node:test';
import {linkParams} from '../../src/http/mail-links.js';

const unset = {hostname: null, port: null, prefix: null};

test('Host gives hostname and port, X-Script-Name the prefix', () => {
  assert.deepEqual(linkParams({host: 'stack.example.com'}, unset), {hostname: 'stack.example.com'});
  assert.deepEqual(linkParams({host: 'stack.example.com:8443', 'x-script-name': '/api/auth'}, unset), {
    hostname: 'stack.example.com',
    port: 8443,
    prefix: '/api/auth',
  });
  assert.deepEqual(linkParams({host: '127.0.0.1:9497'}, unset), {hostname: '127.0.0.1', port: 9497});
  assert.deepEqual(linkParams({host: '[::1]:9497'}, unset), {hostname: '[::1]', port: 9497});
  // Upstream keeps a default port as given.
  assert.deepEqual(linkParams({host: 'stack.example.com:443'}, unset), {hostname: 'stack.example.com', port: 443});
});

test('what is not a host or a path is left out, not put in a link', () => {
  for (const host of ['evil.example/path', 'a b', 'user@evil.example', 'x:99999', 'x:0', '', 'evil.example?x=1', 'évil.example']) {
    const params = linkParams({host}, unset);
    assert.equal(params.hostname === undefined || params.hostname === host.split(':')[0], true, host);
    assert.ok(!params.hostname || /^[A-Za-z0-9.\-[\]:]+$/.test(params.hostname), host);
    assert.ok(params.port === undefined || (params.port > 0 && params.port < 65536), host);
  }
  assert.equal(linkParams({host: 'evil.example/path'}, unset).hostname, undefined);
  assert.equal(linkParams({host: 'user@evil.example'}, unset).hostname, undefined);
  for (const prefix of ['@evil.example', 'api', '/api/../x', '/a b', '//evil.example', '/api?x', '/api#x']) {
    assert.equal(linkParams({host: 'h', 'x-script-name': prefix}, unset).prefix, undefined, prefix);
  }
});

test('email_links fixes them whatever the request says', () => {
  assert.deepEqual(linkParams({host: 'attacker.example', 'x-script-name': '/x'}, {hostname: 'pbx.example.com', port: null, prefix: null}), {
    hostname: 'pbx.example.com',
  });
  assert.deepEqual(linkParams({}, {hostname: 'pbx.example.com', port: 443, prefix: '/api/auth'}), {
    hostname: 'pbx.example.com',
    port: 443,
    prefix: '/api/auth',
  });
});

import assert from 'node:assert/strict';
import {test} from 'node:test';
import {Router} from '../../src/http/router.js';

const router = new Router<string>();
router.add('GET', '/token/{token:uuid}', 'get-token');
router.add('HEAD', '/token/{token:uuid}', 'head-token');
router.add('GET', '/users/me/tokens', 'my-tokens');
router.add('GET', '/users/{user_uuid:uuid}/tokens', 'user-tokens');
router.add('GET', '/policies/{policy_uuid:uuid}', 'policy-by-uuid');
router.add('GET', '/policies/{policy_slug}', 'policy-by-slug');
router.add('PUT', '/policies/{policy_uuid:uuid}/acl/{access}', 'acl-add');

const UUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

test('a uuid parameter is lower-cased and anything else is no match', () => {
  assert.deepEqual(router.find('GET', `/token/${UUID.toUpperCase()}`), {kind: 'found', route: 'get-token', params: {token: UUID}});
  assert.deepEqual(router.find('GET', '/token/not-a-uuid'), {kind: 'not-found'});
  assert.deepEqual(router.find('GET', '/token/'), {kind: 'not-found'});
});

test('static segments win over parameters', () => {
  assert.equal((router.find('GET', '/users/me/tokens') as {route: string}).route, 'my-tokens');
  assert.equal((router.find('GET', `/users/${UUID}/tokens`) as {route: string}).route, 'user-tokens');
});

test('uuid parameters are tried before free strings', () => {
  assert.equal((router.find('GET', `/policies/${UUID}`) as {route: string}).route, 'policy-by-uuid');
  assert.equal((router.find('GET', '/policies/my-slug') as {route: string}).route, 'policy-by-slug');
});

test('a known path with another method lists the allowed methods', () => {
  assert.deepEqual(router.find('DELETE', `/token/${UUID}`), {kind: 'method-not-allowed', allow: ['GET', 'HEAD']});
});

test('parameters are percent-decoded; broken escapes do not match', () => {
  const m = router.find('PUT', `/policies/${UUID}/acl/confd.users.%2A.read`);
  assert.deepEqual(m, {kind: 'found', route: 'acl-add', params: {policy_uuid: UUID, access: 'confd.users.*.read'}});
  assert.deepEqual(router.find('PUT', `/policies/${UUID}/acl/%E0%A4%A`), {kind: 'not-found'});
});

test('a route cannot be declared twice', () => {
  assert.throws(() => router.add('GET', '/token/{token:uuid}', 'again'), /duplicate route/);
});

// Every route the daemon serves, fed malformed, oversized and oddly encoded input as the top
// administrator: whatever comes in, the answer is never a 5xx.

import assert from 'node:assert/strict';
import {randomBytes, randomUUID} from 'node:crypto';
import {after, before, test} from 'node:test';
import {allRoutes} from '../../src/http/routes/index.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;
before(async () => {
  td = await startTestDaemon();
});
after(() => td.stop());

const PARAM_VALUES = () => [randomUUID(), 'me', 'x'.repeat(300), '%E2%82%AC%00', '..%2F..', '*', '#', 'a.b.c'];
const BODIES = () => [
  '',
  'null',
  '[]',
  '{}',
  '"text"',
  '0',
  'true',
  '1e999',
  '{"a": ',
  '[1, 2, 3]',
  JSON.stringify({name: 'n'.repeat(100_000)}),
  JSON.stringify({username: '\ud800', password: '\u0000', acl: [null, 1, {}], scopes: [[]], emails: [{address: 7}]}),
  JSON.stringify({uuid: 'not-a-uuid', tenant_uuid: randomUUID(), parent_uuid: [], address: 'somewhere', domain_names: ['-']}),
  JSON.stringify([{op: 'replace', path: '/debug', value: 'yes'}, {op: 'remove'}]),
  JSON.stringify({__proto__: {polluted: true}, constructor: {prototype: {x: 1}}}),
  randomBytes(256).toString('latin1'),
];
const QUERIES = [
  '',
  '?limit=-1',
  '?limit=abc&offset=1e9',
  '?order=uuid;DROP%20TABLE%20users&direction=sideways',
  '?search=%25%00%27%22',
  '?recurse=maybe&scope=&tenant=x',
  '?uuids=' + 'a,'.repeat(500),
];

/** The template with each hostile value in its parameters; a template without any, once. */
function paths(template: string): string[] {
  const out = new Set<string>();
  for (const value of PARAM_VALUES()) out.add(template.replace(/\{(\w+)(?::\w+)?\}/g, () => value));
  return [...out];
}

/** Upstream's own 500s, answered in its shape: a SAML domain without a usable configuration, a logout response it cannot process. */
function upstreamSaml500(answer: {status: number; json?: any}): boolean {
  return answer.status === 500 && answer.json?.resource === 'saml' && ['configuration-error', 'processing-error'].includes(answer.json?.error_id);
}

test('no route answers 5xx to hostile input', async () => {
  const failures: string[] = [];
  for (const route of allRoutes()) {
    for (const path of paths(route.path)) {
      const bodies = route.body || route.readForm ? BODIES() : [''];
      const queries = route.method === 'GET' ? QUERIES : [''];
      for (const rawBody of bodies) {
        for (const query of queries) {
          const r = await td.call(route.method, `/0.1${path}${query}`, {
            token: td.admin.token,
            rawBody: rawBody || undefined,
            headers: {'content-type': 'application/json'},
          });
          if (r.status >= 500 && !upstreamSaml500(r))
            failures.push(`${route.method} ${path}${query} ${JSON.stringify(rawBody).slice(0, 40)} -> ${r.status} ${r.text.slice(0, 120)}`);
        }
      }
    }
  }
  assert.deepEqual(failures, []);
});

test('a malformed Wazo-Tenant is refused, never a 5xx', async () => {
  for (const tenant of ['not-a-tenant', randomUUID(), '', 'x'.repeat(5000), '\u00e9']) {
    const r = await td.call('GET', '/0.1/users', {token: td.admin.token, headers: {'wazo-tenant': tenant}});
    assert.ok(r.status === 401 || r.status === 200, `${JSON.stringify(tenant).slice(0, 20)} -> ${r.status}`);
  }
});

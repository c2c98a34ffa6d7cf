// `search` on every list: the words, in order, anywhere in a field, as upstream; `%` and `_`
// are literal characters.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;
before(async () => {
  td = await startTestDaemon();
  for (const firstname of ['Maximilian', 'Max_100%']) {
    const r = await td.call('POST', '/0.1/users', {token: td.admin.token, body: {username: firstname.toLowerCase(), firstname}});
    assert.equal(r.status, 200);
  }
  assert.equal((await td.call('POST', '/0.1/policies', {token: td.admin.token, body: {name: 'call center agents', acl: []}})).status, 200);
});
after(() => td.stop());

const found = async (path: string, search: string) => {
  const r = await td.call('GET', `${path}?search=${encodeURIComponent(search)}`, {token: td.admin.token});
  assert.equal(r.status, 200);
  // policies answer {items, total} only, as upstream
  return (r.json.filtered ?? r.json.items.length) as number;
};

test('the words of a search match in order, with anything between them', async () => {
  assert.equal(await found('/0.1/users', 'max lian'), 1);
  assert.equal(await found('/0.1/users', 'lian max'), 0);
  assert.equal(await found('/0.1/policies', 'call agents'), 1);
  assert.equal(await found('/0.1/policies', 'agents call'), 0);
});

test('% and _ are plain characters', async () => {
  assert.equal(await found('/0.1/users', '_100%'), 1);
  assert.equal(await found('/0.1/users', '%'), 1);
  assert.equal(await found('/0.1/users', 'maxi_'), 0);
});

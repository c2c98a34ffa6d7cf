// Tenant bodies as upstream's schemas read them: what a PUT checks although it changes nothing.

import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;

before(async () => {
  td = await startTestDaemon();
});
after(() => td.stop());

const withoutTimestamp = (body: any) => ({...body, timestamp: 0});

async function newTenant(body: Record<string, unknown>): Promise<any> {
  const r = await td.call('POST', '/0.1/tenants', {token: td.admin.token, body});
  assert.equal(r.status, 200, r.text);
  return r.json;
}

describe('PUT /0.1/tenants/{uuid}: the uuid in the body', () => {
  test('a uuid that is not one is 400 invalid-data, reported before the other fields', async () => {
    const tenant = await newTenant({name: 'kept'});
    const r = await td.call('PUT', `/0.1/tenants/${tenant.uuid}`, {token: td.admin.token, body: {uuid: 'not-a-uuid', name: ''}});
    assert.equal(r.status, 400);
    assert.deepEqual(withoutTimestamp(r.json), {
      message: 'Not a valid UUID.',
      error_id: 'invalid-data',
      details: {uuid: {constraint_id: 'type', constraint: 'uuid', message: 'Not a valid UUID.'}},
      timestamp: 0,
      resource: 'tenants',
    });
    const unchanged = await td.call('GET', `/0.1/tenants/${tenant.uuid}`, {token: td.admin.token});
    assert.equal(unchanged.json.name, 'kept');
  });

  test("a valid uuid, another tenant's or null, is ignored: the tenant keeps its own", async () => {
    const tenant = await newTenant({name: 'before'});
    for (const uuid of [randomUUID(), null]) {
      const r = await td.call('PUT', `/0.1/tenants/${tenant.uuid}`, {token: td.admin.token, body: {uuid, name: 'after'}});
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.uuid, tenant.uuid);
      assert.equal(r.json.name, 'after');
    }
  });
});

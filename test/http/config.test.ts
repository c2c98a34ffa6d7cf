import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, describe, test} from 'node:test';
import {parse} from 'yaml';
import {maskedUri} from '../../src/services/config.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';

let td: TestDaemon;
let top: string;
let sub: string;
let subAdmin: string;

async function tokenOf(acl: string[], tenantUuid?: string): Promise<string> {
  const username = `config-${randomUUID()}`;
  await createUser(td.daemon.services.store, {username, password: 'pw', acl, tenantUuid});
  return (await td.login(username, 'pw')).token;
}

const admin = () => td.admin.token;
const debugOp = (value: unknown) => [{op: 'replace', path: '/debug', value}];
const logsDebug = () => td.daemon.services.log.enabled('debug');

before(async () => {
  td = await startTestDaemon();
  top = (await td.daemon.services.store.tenants.top())!.uuid;
  sub = randomUUID();
  const address = {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null};
  await td.daemon.services.store.tenants.create({
    uuid: sub,
    name: 'sub',
    slug: 'sub',
    parentUuid: top,
    contactUuid: null,
    phone: null,
    address,
    domainNames: [],
  });
  subAdmin = await tokenOf(['#'], sub);
});
after(() => td.stop());

describe('GET /0.1/config', () => {
  test('the running configuration, under upstream key names', async () => {
    const r = await td.call('GET', '/0.1/config', {token: admin()});
    assert.equal(r.status, 200);
    assert.equal(r.json.debug, false);
    assert.equal(r.json.rest_api.listen, '127.0.0.1');
    assert.equal(r.json.default_token_lifetime, 7200);
    assert.equal(r.json.db_uri, td.config.db_uri);
  });

  test('a token of a sub-tenant is 401, even an administrator with #; Wazo-Tenant does not matter', async () => {
    const r = await td.call('GET', '/0.1/config', {token: subAdmin});
    assert.equal(r.status, 401);
    assert.equal(r.json.error_id, 'unauthorized');
    assert.ok(!r.text.includes(subAdmin), 'the token is not echoed');
    assert.equal((await td.call('GET', '/0.1/config', {token: admin(), headers: {'wazo-tenant': sub}})).status, 200);
  });

  test('401 without a token or without auth.config.read', async () => {
    assert.equal((await td.call('GET', '/0.1/config')).status, 401);
    const r = await td.call('GET', '/0.1/config', {token: await tokenOf(['auth.config.update'])});
    assert.equal(r.status, 401);
    assert.equal(r.json.details.required_access, 'auth.config.read');
  });
});

describe('PATCH /0.1/config', () => {
  test('replacing /debug switches debug logging live and answers the new configuration', async () => {
    assert.equal(logsDebug(), false);
    const on = await td.call('PATCH', '/0.1/config', {token: admin(), body: debugOp(true)});
    assert.equal(on.status, 200);
    assert.equal(on.json.debug, true);
    assert.deepEqual(on.json, (await td.call('GET', '/0.1/config', {token: admin()})).json);
    assert.equal(logsDebug(), true);

    const off = await td.call('PATCH', '/0.1/config', {token: admin(), body: debugOp(false)});
    assert.equal(off.status, 200);
    assert.equal(off.json.debug, false);
    assert.equal(logsDebug(), false);
    assert.equal(td.daemon.services.log.enabled('error'), false, 'back to the level the daemon started with');
    assert.equal(td.daemon.services.log.enabled('critical'), true);
  });

  test('operations apply in order; an empty list changes nothing', async () => {
    const r = await td.call('PATCH', '/0.1/config', {token: admin(), body: [...debugOp(true), ...debugOp(false)]});
    assert.equal(r.json.debug, false);
    assert.equal(logsDebug(), false);
    const none = await td.call('PATCH', '/0.1/config', {token: admin(), body: []});
    assert.equal(none.status, 200);
    assert.equal(none.json.debug, false);
  });

  test('anything but a list of replacements of /debug by a boolean is 400, and changes nothing', async () => {
    const bodies: unknown[] = [
      {},
      {op: 'replace', path: '/debug', value: true},
      [{op: 'add', path: '/debug', value: true}],
      [{op: 'replace', path: '/log_level', value: 'debug'}],
      [{op: 'replace', path: '/profiling_enabled', value: true}],
      [{op: 'replace', path: '/debug', value: 'sure'}],
      [{op: 'replace', path: '/debug'}],
      [...debugOp(true), 42],
      'debug',
      null,
    ];
    for (const body of bodies) {
      const r = await td.call('PATCH', '/0.1/config', {token: admin(), rawBody: JSON.stringify(body), headers: {'content-type': 'application/json'}});
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal(r.json.error_id, 'invalid-data', JSON.stringify(body));
      assert.equal(r.json.resource, 'config');
      assert.equal(typeof r.json.message, 'string');
    }
    const malformed = await td.call('PATCH', '/0.1/config', {token: admin(), rawBody: '[{"op": ', headers: {'content-type': 'application/json'}});
    assert.equal(malformed.status, 400);
    assert.equal(logsDebug(), false);
    assert.equal((await td.call('GET', '/0.1/config', {token: admin()})).json.debug, false);
  });

  test('a sub-tenant token is 401 before its body is even read', async () => {
    assert.equal((await td.call('PATCH', '/0.1/config', {token: subAdmin, body: {}})).status, 401);
    assert.equal((await td.call('PATCH', '/0.1/config', {token: subAdmin, body: debugOp(true)})).status, 401);
    assert.equal(logsDebug(), false);
    const readOnly = await td.call('PATCH', '/0.1/config', {token: await tokenOf(['auth.config.read']), body: debugOp(true)});
    assert.equal(readOnly.status, 401);
    assert.equal(readOnly.json.details.required_access, 'auth.config.update');
  });

  test('the API document shows the body as a list of operations', async () => {
    const doc = parse((await td.call('GET', '/0.1/api/api.yml')).text);
    const body = doc.paths['/config'].patch.parameters.find((p: {in: string}) => p.in === 'body');
    assert.equal(body.schema.type, 'array');
    assert.deepEqual(body.schema.items.properties.path.enum, ['/debug']);
  });
});

describe('passwords in database URIs', () => {
  test('are masked, whatever their form', () => {
    assert.equal(maskedUri('postgresql://asterisk:proformatique@localhost/asterisk'), 'postgresql://asterisk:********@localhost/asterisk');
    assert.equal(
      maskedUri('postgresql://localhost/auth?user=a&password=s3cr3t&sslmode=require'),
      'postgresql://localhost/auth?user=a&password=********&sslmode=require',
    );
    assert.equal(maskedUri('postgresql://auth@localhost:5432/auth'), 'postgresql://auth@localhost:5432/auth');
    assert.equal(maskedUri('sqlite:///var/lib/wazo-auth/a:b@c.db'), 'sqlite:///var/lib/wazo-auth/a:b@c.db');
  });
});

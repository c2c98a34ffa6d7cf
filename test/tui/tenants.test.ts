// The Tenants view: the token's tree, and the scope it gives the other views.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createTenant, createUser} from '../helpers/users.js';
import {KEY, openDashboard} from './harness.js';

let td: TestDaemon;

before(async () => {
  td = await startTestDaemon();
  const store = td.daemon.services.store;
  const top = (await store.tenants.top())!.uuid;
  const acme = await createTenant(store, top, 'acme');
  await createTenant(store, acme, 'acme-east');
  const globex = await createTenant(store, top, 'globex');
  await store.ldapConfigs.put({
    tenantUuid: globex,
    host: 'ldap.globex.example',
    port: 389,
    protocolVersion: 3,
    protocolSecurity: null,
    bindDn: null,
    bindPasswordSealed: null,
    userBaseDn: 'ou=people,dc=globex,dc=example',
    userLoginAttribute: 'uid',
    userEmailAttribute: 'mail',
    searchFilters: null,
    caCertificates: null,
  });
  await createUser(store, {username: 'dave', password: 'dave-pass', tenantUuid: acme});
  await td.login('dave', 'dave-pass', {}, {'user-agent': 'agent-dave'});
});
after(() => td.stop());

test('enter scopes the other views to a tenant and those below it; the header says which', async () => {
  const screen = await openDashboard(td);
  try {
    await screen.waitFor('agent-dave');
    await screen.press('4');
    let frame = await screen.waitFor('globex');
    assert.match(frame, /SCOPE +NAME▲ +SLUG +PARENT +UUID +METHOD +LDAP +DOMAINS/);
    assert.match(screen.line('globex'), /native +yes( |$)/, 'its authentication method, and its LDAP directory');
    assert.match(screen.line('acme-east'), /native +no( |$)/);
    assert.match(frame, /● +master /);
    assert.match(screen.line('acme-east'), /acme-east +acme-east +acme /);
    await screen.press('/', ...'acme', KEY.enter);
    await screen.waitFor('Tenants · 2 of 4');
    await screen.press(KEY.enter);
    await screen.waitFor('Views scoped to tenant acme and those below it');
    assert.match(screen.line('wazo-auth'), /tenant acme /);
    await screen.waitFor(/● +acme /);

    await screen.press('1');
    frame = await screen.waitFor((f) => f.includes('agent-dave') && !f.includes('dashboard-test'));
    assert.match(frame, /Sessions · 1 of 1/);
    await screen.press('3');
    frame = await screen.waitFor('Users · 1 of 1');
    assert.match(frame, /dave +acme/);
    // esc goes back through the views visited.
    await screen.press(KEY.escape);
    await screen.waitFor('Sessions ·');
    await screen.press(KEY.escape);
    await screen.waitFor('Tenants ·');
  } finally {
    await screen.close();
  }
});

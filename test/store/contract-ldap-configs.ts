// What every store keeps of tenants' LDAP directories, whatever its engine: each test file calls
// ldapConfigsContract() with a function that opens a fresh, empty store.
import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {describe, test} from 'node:test';
import type {LdapConfig, NewTenant} from '../../src/domain/types.js';
import type {Store} from '../../src/store/store.js';

const noAddress = {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null};

function tenantOf(parentUuid: string | null, slug: string): NewTenant {
  const uuid = randomUUID();
  return {uuid, name: slug, slug, parentUuid: parentUuid ?? uuid, contactUuid: null, phone: null, address: noAddress, domainNames: []};
}

function configOf(tenantUuid: string, fields: Partial<LdapConfig> = {}): LdapConfig {
  return {
    tenantUuid,
    host: 'ldap.example.com',
    port: 389,
    protocolVersion: 3,
    protocolSecurity: null,
    bindDn: null,
    bindPasswordSealed: null,
    userBaseDn: 'ou=people,dc=example,dc=com',
    userLoginAttribute: 'uid',
    userEmailAttribute: 'mail',
    searchFilters: null,
    caCertificates: null,
    ...fields,
  };
}

export function ldapConfigsContract(name: string, open: () => Promise<Store>): void {
  const withTenants = (body: (store: Store, top: string, child: string) => Promise<void>) => async () => {
    const store = await open();
    try {
      const top = await store.tenants.create(tenantOf(null, 'top'));
      const child = await store.tenants.create(tenantOf(top.uuid, 'child'));
      await body(store, top.uuid, child.uuid);
    } finally {
      await store.close();
    }
  };

  describe(`${name}: ldap configurations`, () => {
    test(
      "put creates then replaces a tenant's configuration; get reads it back field for field",
      withTenants(async (store, top, child) => {
        assert.equal(await store.ldapConfigs.get(top), undefined);
        const first = configOf(top, {bindDn: 'cn=svc,dc=example,dc=com', bindPasswordSealed: 'v1:abc', searchFilters: '(uid={username})'});
        await store.ldapConfigs.put(first);
        assert.deepEqual(await store.ldapConfigs.get(top), first);
        const second = configOf(top, {
          host: 'other',
          port: 636,
          protocolVersion: 2,
          protocolSecurity: 'ldaps',
          caCertificates: '-----BEGIN CERTIFICATE-----\n',
        });
        await store.ldapConfigs.put(second);
        assert.deepEqual(await store.ldapConfigs.get(top), second);
        assert.equal(await store.ldapConfigs.get(child), undefined, "one tenant's configuration is not another's");
      }),
    );

    test(
      "delete removes only that tenant's configuration and says whether there was one",
      withTenants(async (store, top, child) => {
        await store.ldapConfigs.put(configOf(top));
        await store.ldapConfigs.put(configOf(child, {host: 'child.example.com'}));
        assert.equal(await store.ldapConfigs.delete(top), true);
        assert.equal(await store.ldapConfigs.delete(top), false);
        assert.equal(await store.ldapConfigs.get(top), undefined);
        assert.equal((await store.ldapConfigs.get(child))?.host, 'child.example.com');
      }),
    );

    test(
      'findTenant names a tenant by a domain name in any case, or by its uuid or exact slug',
      withTenants(async (store, top, child) => {
        const tenant = (await store.tenants.get(child))!;
        await store.tenants.update({...tenant, domainNames: ['acme.example.com', 'Other.Example']});
        assert.equal(await store.ldapConfigs.findTenant({domainName: 'ACME.example.com'}), child);
        assert.equal(await store.ldapConfigs.findTenant({domainName: 'other.example'}), child);
        assert.equal(await store.ldapConfigs.findTenant({domainName: 'nope.example'}), undefined);
        assert.equal(await store.ldapConfigs.findTenant({tenantId: child}), child);
        assert.equal(await store.ldapConfigs.findTenant({tenantId: 'child'}), child);
        assert.equal(await store.ldapConfigs.findTenant({tenantId: 'CHILD'}), undefined);
        assert.equal(await store.ldapConfigs.findTenant({tenantId: 'top'}), top);
        assert.equal(await store.ldapConfigs.findTenant({tenantId: "x' OR 1=1 --"}), undefined);
      }),
    );

    test(
      'a configuration goes with its tenant',
      withTenants(async (store, _top, child) => {
        await store.ldapConfigs.put(configOf(child));
        assert.equal(await store.tenants.delete(child), 'deleted');
        assert.equal(await store.ldapConfigs.get(child), undefined);
      }),
    );
  });
}

// Tenants and their domain names on PostgreSQL; the tree of tenants is walked with a recursive query.
import {randomUUID} from 'node:crypto';
import type {AuthenticationMethod, ListParams, ListResult, NewTenant, Tenant, TenantDomain, TenantFilters} from '../../domain/types.js';
import type {TenantDeletion, TenantStore} from '../store.js';
import {sql, type Database, type Queries} from './database.js';
import {asConflict, asMissingReference} from './errors.js';
import {Lister, searchMatches} from './list.js';

interface TenantRow {
  uuid: string;
  name: string | null;
  slug: string;
  parent_uuid: string;
  contact_uuid: string | null;
  phone: string | null;
  address_line_1: string | null;
  address_line_2: string | null;
  address_city: string | null;
  address_state: string | null;
  address_country: string | null;
  address_zip_code: string | null;
  default_authentication_method: AuthenticationMethod;
  domain_names: string[];
}

const columns = `t.uuid, t.name, t.slug, t.parent_uuid, t.contact_uuid, t.phone,
  t.address_line_1, t.address_line_2, t.address_city, t.address_state, t.address_country, t.address_zip_code,
  t.default_authentication_method,
  ARRAY(SELECT d.name FROM tenant_domains d WHERE d.tenant_uuid = t.uuid ORDER BY d.seq) AS domain_names`;

const search = `${searchMatches('lower(t.name)')} OR ${searchMatches('lower(t.slug)')}
  OR EXISTS (SELECT 1 FROM tenant_domains d WHERE d.tenant_uuid = t.uuid AND ${searchMatches('lower(d.name)')})`;

function toTenant(row: TenantRow): Tenant {
  return {
    uuid: row.uuid,
    name: row.name,
    slug: row.slug,
    parentUuid: row.parent_uuid,
    contactUuid: row.contact_uuid,
    phone: row.phone,
    address: {
      line_1: row.address_line_1,
      line_2: row.address_line_2,
      city: row.address_city,
      state: row.address_state,
      country: row.address_country,
      zip_code: row.address_zip_code,
    },
    domainNames: row.domain_names,
    defaultAuthenticationMethod: row.default_authentication_method,
  };
}

/** The named parameters of the tenant's own columns. */
function tenantColumns(tenant: NewTenant) {
  return {
    uuid: tenant.uuid,
    name: tenant.name,
    contactUuid: tenant.contactUuid ?? null,
    phone: tenant.phone ?? null,
    line_1: tenant.address.line_1 ?? null,
    line_2: tenant.address.line_2 ?? null,
    city: tenant.address.city ?? null,
    state: tenant.address.state ?? null,
    country: tenant.address.country ?? null,
    zip_code: tenant.address.zip_code ?? null,
    method: tenant.defaultAuthenticationMethod ?? 'native',
  };
}

const insert = sql(
  `INSERT INTO tenants (uuid, name, slug, parent_uuid, contact_uuid, phone, address_line_1, address_line_2,
     address_city, address_state, address_country, address_zip_code, default_authentication_method)
   VALUES (@uuid, @name, @slug, @parentUuid, @contactUuid, @phone, @line_1, @line_2,
     @city, @state, @country, @zip_code, @method)`,
);
const change = sql(
  `UPDATE tenants SET name = @name, contact_uuid = @contactUuid, phone = @phone, address_line_1 = @line_1,
     address_line_2 = @line_2, address_city = @city, address_state = @state, address_country = @country,
     address_zip_code = @zip_code, default_authentication_method = @method
   WHERE uuid = @uuid`,
);
const insertDomain = sql('INSERT INTO tenant_domains (uuid, name, tenant_uuid) VALUES (@uuid, @name, @tenant)');
// Names are unique whatever their case: a name kept under another spelling keeps its row and uuid.
const respellDomain = sql('UPDATE tenant_domains SET name = @name WHERE tenant_uuid = @tenant AND lower(name) = lower(@name)');
const dropOtherDomains = sql(
  'DELETE FROM tenant_domains WHERE tenant_uuid = @tenant AND lower(name) <> ALL (SELECT lower(n) FROM unnest(@names::text[]) n)',
);
const domainsOf = sql('SELECT uuid, name FROM tenant_domains WHERE tenant_uuid = @tenant ORDER BY seq');
const byUuid = sql(`SELECT ${columns} FROM tenants t WHERE t.uuid = @uuid`);
const topRow = sql(`SELECT ${columns} FROM tenants t WHERE t.uuid = t.parent_uuid LIMIT 1`);
const slugCount = sql('SELECT count(*) AS n FROM tenants WHERE slug = @slug');
// UNION (not UNION ALL) and the self-parent exclusion both keep the walk from looping at the top.
const subtreeUuids = sql(
  `WITH RECURSIVE below (uuid) AS (
     SELECT uuid FROM tenants WHERE uuid = @uuid
     UNION
     SELECT t.uuid FROM below b JOIN tenants t ON t.parent_uuid = b.uuid WHERE t.uuid <> t.parent_uuid
   )
   SELECT uuid FROM below`,
);
const moveTo = sql('UPDATE tenants SET parent_uuid = @parent WHERE uuid = @uuid');
const lockTree = sql('LOCK TABLE tenants IN SHARE ROW EXCLUSIVE MODE');
const childCount = sql('SELECT count(*) AS n FROM tenants WHERE parent_uuid = @uuid AND uuid <> parent_uuid');
const lockTenant = sql('SELECT uuid FROM tenants WHERE uuid = @uuid FOR UPDATE');
// Sessions have no foreign key (see the schema): those of the tenant and of its users go by hand;
// users, policies, domains and what hangs from them follow the tenant through ON DELETE CASCADE.
const removeSessions = sql(
  'DELETE FROM sessions WHERE tenant_uuid = @uuid OR user_uuid IN (SELECT uuid FROM users WHERE tenant_uuid = @uuid)',
);
const remove = sql('DELETE FROM tenants WHERE uuid = @uuid');

export function createTenantStore(db: Database): TenantStore {
  const lister = new Lister<TenantRow>(db, {
    columns,
    from: 'FROM tenants t WHERE t.uuid = ANY (@scope::text[])',
    search,
    orders: {name: 'lower(t.name)', slug: 'lower(t.slug)', uuid: 't.uuid'},
    defaultOrder: 'name',
    tieBreak: 't.uuid',
    filters: {
      uuid: 't.uuid = @f_uuid',
      uuids: 't.uuid = ANY (@f_uuids::text[])',
      name: 't.name = @f_name',
      slug: 't.slug = @f_slug',
      domainName: 'EXISTS (SELECT 1 FROM tenant_domains d WHERE d.tenant_uuid = t.uuid AND lower(d.name) = lower(@f_domainName))',
    },
  });

  async function get(q: Queries, uuid: string): Promise<Tenant | undefined> {
    const row = await q.row<TenantRow>(byUuid, {uuid});
    return row && toTenant(row);
  }

  async function addDomain(q: Queries, tenant: string, name: string): Promise<void> {
    try {
      await q.run(insertDomain, {uuid: randomUUID(), name, tenant});
    } catch (error) {
      throw asConflict(error, {tenant_domains_name: ['domain_names', name]});
    }
  }

  return {
    async create(tenant: NewTenant): Promise<Tenant> {
      await db.transaction(async (tx) => {
        try {
          await tx.run(insert, {...tenantColumns(tenant), slug: tenant.slug, parentUuid: tenant.parentUuid});
        } catch (error) {
          const conflict = asConflict(error, {tenants_pkey: ['uuid', tenant.uuid], tenants_slug_key: ['slug', tenant.slug]});
          throw asMissingReference(conflict, `tenant ${tenant.uuid}: its parent or contact does not exist`);
        }
        for (const name of tenant.domainNames) await addDomain(tx, tenant.uuid, name);
      });
      return (await get(db, tenant.uuid))!;
    },
    get: (uuid) => get(db, uuid),
    async top(): Promise<Tenant | undefined> {
      const row = await db.row<TenantRow>(topRow);
      return row && toTenant(row);
    },
    async subtree(uuid: string): Promise<string[]> {
      return (await db.rows<{uuid: string}>(subtreeUuids, {uuid})).map((row) => row.uuid);
    },
    async list(tenantUuids: string[], params: ListParams & TenantFilters): Promise<ListResult<Tenant>> {
      const {uuid, uuids, name, slug, domainName} = params;
      const {total, filtered, rows} = await lister.list({scope: tenantUuids}, params, {uuid, uuids, name, slug, domainName});
      return {total, filtered, items: rows.map(toTenant)};
    },
    async slugTaken(slug: string): Promise<boolean> {
      return ((await db.row<{n: number}>(slugCount, {slug}))?.n ?? 0) > 0;
    },
    async update(tenant: Tenant): Promise<Tenant | undefined> {
      const updated = await db.transaction(async (tx) => {
        try {
          if ((await tx.run(change, tenantColumns(tenant))) === 0) return false;
        } catch (error) {
          throw asMissingReference(error, `tenant ${tenant.uuid}: its contact does not exist`);
        }
        await tx.run(dropOtherDomains, {tenant: tenant.uuid, names: tenant.domainNames});
        for (const name of tenant.domainNames) {
          if ((await tx.run(respellDomain, {name, tenant: tenant.uuid})) === 0) await addDomain(tx, tenant.uuid, name);
        }
        return true;
      });
      return updated ? get(db, tenant.uuid) : undefined;
    },
    async setParent(uuid: string, parentUuid: string): Promise<boolean> {
      return db.transaction(async (tx) => {
        // Two moves at once, each checked against the tree before the other, could close a loop.
        await tx.run(lockTree);
        const below = (await tx.rows<{uuid: string}>(subtreeUuids, {uuid})).map((row) => row.uuid);
        if (below.includes(parentUuid)) return false;
        try {
          await tx.run(moveTo, {parent: parentUuid, uuid});
        } catch (error) {
          throw asMissingReference(error, `tenant ${parentUuid} does not exist`);
        }
        return true;
      });
    },
    async delete(uuid: string): Promise<TenantDeletion> {
      return db.transaction(async (tx) => {
        if (!(await tx.row(lockTenant, {uuid}))) return 'not-found';
        if (((await tx.row<{n: number}>(childCount, {uuid}))?.n ?? 0) > 0) return 'has-children';
        await tx.run(removeSessions, {uuid});
        await tx.run(remove, {uuid});
        return 'deleted';
      });
    },
    async domains(uuid: string): Promise<TenantDomain[]> {
      return db.rows<TenantDomain>(domainsOf, {tenant: uuid});
    },
  };
}

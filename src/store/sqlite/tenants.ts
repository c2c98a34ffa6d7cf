// Tenants and their domain names; the tree of tenants is walked with a recursive query.
import type {ListParams, ListResult, Tenant, TenantStore} from '../store.js';
import type {Db} from './database.js';
import {asConflict, asMissingReference} from './errors.js';
import {Lister, uuidList} from './list.js';

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
  domain_names: string;
}

const columns = `t.uuid, t.name, t.slug, t.parent_uuid, t.contact_uuid, t.phone,
  t.address_line_1, t.address_line_2, t.address_city, t.address_state, t.address_country, t.address_zip_code,
  (SELECT json_group_array(d.name ORDER BY d.rowid) FROM tenant_domains d WHERE d.tenant_uuid = t.uuid) AS domain_names`;

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
    domainNames: JSON.parse(row.domain_names) as string[],
  };
}

export function createTenantStore(db: Db): TenantStore {
  const insert = db.prepare(
    `INSERT INTO tenants (uuid, name, slug, parent_uuid, contact_uuid, phone, address_line_1, address_line_2,
       address_city, address_state, address_country, address_zip_code)
     VALUES (@uuid, @name, @slug, @parentUuid, @contactUuid, @phone, @line_1, @line_2,
       @city, @state, @country, @zip_code)`,
  );
  const insertDomain = db.prepare<[string, string]>('INSERT INTO tenant_domains (name, tenant_uuid) VALUES (?, ?)');
  const byUuid = db.prepare<[string], TenantRow>(`SELECT ${columns} FROM tenants t WHERE t.uuid = ?`);
  const topRow = db.prepare<[], TenantRow>(`SELECT ${columns} FROM tenants t WHERE t.uuid = t.parent_uuid LIMIT 1`);
  // UNION (not UNION ALL) and the self-parent exclusion both keep the walk from looping at the top.
  const subtreeUuids = db
    .prepare<[string], string>(
      `WITH RECURSIVE below (uuid) AS (
         SELECT uuid FROM tenants WHERE uuid = ?
         UNION
         SELECT t.uuid FROM tenants t JOIN below b ON t.parent_uuid = b.uuid WHERE t.uuid <> t.parent_uuid
       )
       SELECT uuid FROM below`,
    )
    .pluck();
  const lister = new Lister<TenantRow>(db, {
    columns,
    from: 'FROM tenants t WHERE t.uuid IN (SELECT value FROM json_each(@scope))',
    search: 'instr(unicode_lower(t.name), @search) > 0 OR instr(unicode_lower(t.slug), @search) > 0',
    orders: {name: 't.name COLLATE NOCASE', slug: 't.slug COLLATE NOCASE', uuid: 't.uuid'},
    defaultOrder: 'name',
    tieBreak: 't.uuid',
  });

  const create = db.transaction((tenant: Tenant) => {
    try {
      insert.run({
        uuid: tenant.uuid,
        name: tenant.name,
        slug: tenant.slug,
        parentUuid: tenant.parentUuid,
        contactUuid: tenant.contactUuid ?? null,
        phone: tenant.phone ?? null,
        line_1: tenant.address.line_1 ?? null,
        line_2: tenant.address.line_2 ?? null,
        city: tenant.address.city ?? null,
        state: tenant.address.state ?? null,
        country: tenant.address.country ?? null,
        zip_code: tenant.address.zip_code ?? null,
      });
    } catch (error) {
      const conflict = asConflict(error, {'tenants.uuid': ['uuid', tenant.uuid], 'tenants.slug': ['slug', tenant.slug]});
      throw asMissingReference(conflict, `tenant ${tenant.uuid}: its parent or contact does not exist`);
    }
    for (const name of tenant.domainNames) {
      try {
        insertDomain.run(name, tenant.uuid);
      } catch (error) {
        throw asConflict(error, {'tenant_domains.name': ['domain_names', name]});
      }
    }
  });

  function get(uuid: string): Tenant | undefined {
    const row = byUuid.get(uuid);
    return row && toTenant(row);
  }

  return {
    async create(tenant: Tenant): Promise<Tenant> {
      create(tenant);
      return get(tenant.uuid)!;
    },
    async get(uuid: string): Promise<Tenant | undefined> {
      return get(uuid);
    },
    async top(): Promise<Tenant | undefined> {
      const row = topRow.get();
      return row && toTenant(row);
    },
    async subtree(uuid: string): Promise<string[]> {
      return subtreeUuids.all(uuid);
    },
    async list(tenantUuids: string[], params: ListParams): Promise<ListResult<Tenant>> {
      const {total, filtered, rows} = lister.list({scope: uuidList(tenantUuids)}, params);
      return {total, filtered, items: rows.map(toTenant)};
    },
  };
}

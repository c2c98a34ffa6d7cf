// Policies (named ACL lists) of a tenant, including the shared ones seen from sub-tenants.
import type {ListParams, ListResult, Policy, PolicyStore} from '../store.js';
import type {Db} from './database.js';
import {asConflict, asMissingReference} from './errors.js';
import {Lister, type ListSpec, toBool, uuidList} from './list.js';

export interface PolicyRow {
  uuid: string;
  tenant_uuid: string;
  name: string;
  slug: string;
  description: string | null;
  acl: string;
  shared: number;
  config_managed: number;
}

export const policyColumns = 'p.uuid, p.tenant_uuid, p.name, p.slug, p.description, p.acl, p.shared, p.config_managed';

/** Search and ordering of policies, whichever scope selects them (a tenant's, a user's). */
export const policyListing: Omit<ListSpec, 'from'> = {
  columns: policyColumns,
  search: `instr(unicode_lower(p.name), @search) > 0 OR instr(unicode_lower(p.slug), @search) > 0
    OR instr(unicode_lower(p.description), @search) > 0`,
  orders: {
    name: 'p.name COLLATE NOCASE',
    slug: 'p.slug COLLATE NOCASE',
    description: 'p.description COLLATE NOCASE',
    uuid: 'p.uuid',
  },
  defaultOrder: 'name',
  tieBreak: 'p.uuid',
};

export function toPolicy(row: PolicyRow): Policy {
  return {
    uuid: row.uuid,
    tenantUuid: row.tenant_uuid,
    name: row.name,
    slug: row.slug,
    description: row.description,
    acl: JSON.parse(row.acl) as string[],
    shared: toBool(row.shared),
    configManaged: toBool(row.config_managed),
  };
}

export function createPolicyStore(db: Db): PolicyStore {
  const insert = db.prepare(
    `INSERT INTO policies (uuid, tenant_uuid, name, slug, description, acl, shared, config_managed)
     VALUES (@uuid, @tenantUuid, @name, @slug, @description, @acl, @shared, @configManaged)`,
  );
  const change = db.prepare(
    'UPDATE policies SET name = @name, description = @description, acl = @acl, shared = @shared WHERE uuid = @uuid',
  );
  const remove = db.prepare<[string]>('DELETE FROM policies WHERE uuid = ?');
  const byUuid = db.prepare<[string], PolicyRow>(`SELECT ${policyColumns} FROM policies p WHERE p.uuid = ?`);
  // The slug column's NOCASE collation makes this lookup case-insensitive, like its uniqueness.
  const bySlug = db.prepare<[string, string], PolicyRow>(
    `SELECT ${policyColumns} FROM policies p WHERE p.tenant_uuid = ? AND p.slug = ?`,
  );
  const lister = new Lister<PolicyRow>(db, {
    ...policyListing,
    from: `FROM policies p WHERE (p.tenant_uuid IN (SELECT value FROM json_each(@scope))
      OR (p.shared = 1 AND p.tenant_uuid IN (SELECT value FROM json_each(@sharedFrom))))`,
  });

  function conflicts(policy: Policy) {
    return {
      'policies.uuid': ['uuid', policy.uuid],
      'policies.name': ['name', policy.name],
      'policies.slug': ['slug', policy.slug],
    } as const;
  }

  function get(uuid: string): Policy | undefined {
    const row = byUuid.get(uuid);
    return row && toPolicy(row);
  }

  return {
    async create(policy: Policy): Promise<Policy> {
      try {
        insert.run({
          uuid: policy.uuid,
          tenantUuid: policy.tenantUuid,
          name: policy.name,
          slug: policy.slug,
          description: policy.description ?? null,
          acl: JSON.stringify(policy.acl),
          shared: policy.shared ? 1 : 0,
          configManaged: policy.configManaged ? 1 : 0,
        });
      } catch (error) {
        throw asMissingReference(asConflict(error, conflicts(policy)), `tenant ${policy.tenantUuid} does not exist`);
      }
      return get(policy.uuid)!;
    },
    async get(uuid: string): Promise<Policy | undefined> {
      return get(uuid);
    },
    async getBySlug(tenantUuid: string, slug: string): Promise<Policy | undefined> {
      const row = bySlug.get(tenantUuid, slug);
      return row && toPolicy(row);
    },
    async update(policy: Policy): Promise<Policy> {
      let changes: number;
      try {
        changes = change.run({
          uuid: policy.uuid,
          name: policy.name,
          description: policy.description ?? null,
          acl: JSON.stringify(policy.acl),
          shared: policy.shared ? 1 : 0,
        }).changes;
      } catch (error) {
        throw asConflict(error, conflicts(policy));
      }
      if (changes === 0) throw new Error(`policy ${policy.uuid} does not exist`);
      return get(policy.uuid)!;
    },
    async delete(uuid: string): Promise<boolean> {
      // user_policies rows go with it (ON DELETE CASCADE).
      return remove.run(uuid).changes > 0;
    },
    async list(
      tenantUuids: string[],
      params: ListParams & {sharedFrom?: string[]},
    ): Promise<ListResult<Policy>> {
      const scope = {scope: uuidList(tenantUuids), sharedFrom: uuidList(params.sharedFrom ?? [])};
      const {total, filtered, rows} = lister.list(scope, params);
      return {total, filtered, items: rows.map(toPolicy)};
    },
  };
}

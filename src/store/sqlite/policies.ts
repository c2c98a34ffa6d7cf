// Policies (named ACL lists) of a tenant, including the shared ones seen from sub-tenants.
import type {GroupPolicyFilters, ListParams, ListResult, Policy, PolicyFilters} from '../../domain/types.js';
import type {PolicyStore} from '../store.js';
import type {Db} from './database.js';
import {asConflict, asMissingReference} from './errors.js';
import {Lister, type ListSpec, toBool, uuidList, searchMatches} from './list.js';

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
  // Upstream searches the name and the description, not the slug.
  search: `${searchMatches('unicode_lower(p.name)')} OR ${searchMatches('unicode_lower(p.description)')}`,
  orders: {
    name: 'p.name COLLATE NOCASE',
    slug: 'p.slug COLLATE NOCASE',
    description: 'p.description COLLATE NOCASE',
    uuid: 'p.uuid',
  },
  defaultOrder: 'name',
  tieBreak: 'p.uuid',
};

/** Exact-match filters of the policies linked to a user or a group (upstream gives both lists the same). */
export const linkedPolicyFilters: Readonly<Record<keyof GroupPolicyFilters, string>> = {
  uuid: 'p.uuid = @f_uuid',
  name: 'p.name = @f_name',
  tenantUuid: 'p.tenant_uuid = @f_tenantUuid',
  userUuid: 'EXISTS (SELECT 1 FROM user_policies up WHERE up.policy_uuid = p.uuid AND up.user_uuid = @f_userUuid)',
  groupUuid: 'EXISTS (SELECT 1 FROM group_policies o WHERE o.policy_uuid = p.uuid AND o.group_uuid = @f_groupUuid)',
};

/** The filters of a tenant's policy list: a policy not of the listing tenants is seen only as read-only. */
const tenantPolicyFilters: Readonly<Record<keyof PolicyFilters, string>> = {
  ...linkedPolicyFilters,
  // The slug column's NOCASE collation makes this filter case-insensitive, like slug lookups.
  slug: 'p.slug = @f_slug',
  readOnly: '(p.config_managed = 1 OR p.tenant_uuid NOT IN (SELECT value FROM json_each(@scope))) = @f_readOnly',
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
  const byName = db.prepare<[string], PolicyRow>(
    `SELECT ${policyColumns} FROM policies p WHERE p.name = ? ORDER BY p.rowid LIMIT 1`,
  );
  const lister = new Lister<PolicyRow>(db, {
    ...policyListing,
    from: `FROM policies p WHERE (p.tenant_uuid IN (SELECT value FROM json_each(@scope))
      OR (p.shared = 1 AND p.tenant_uuid IN (SELECT value FROM json_each(@sharedFrom)))
      OR (@withConfigManaged = 1 AND p.config_managed = 1))`,
    filters: tenantPolicyFilters,
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
    async findByName(name: string): Promise<Policy | undefined> {
      const row = byName.get(name);
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
      params: ListParams & {sharedFrom?: string[]; withConfigManaged?: boolean},
      filters: PolicyFilters = {},
    ): Promise<ListResult<Policy>> {
      const scope = {
        scope: uuidList(tenantUuids),
        sharedFrom: uuidList(params.sharedFrom ?? []),
        withConfigManaged: params.withConfigManaged ? 1 : 0,
      };
      const {total, filtered, rows} = lister.list(scope, params, {...filters});
      return {total, filtered, items: rows.map(toPolicy)};
    },
  };
}

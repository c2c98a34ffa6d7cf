// Policies (named ACL lists) of a tenant on PostgreSQL, including the shared ones seen from sub-tenants.
import type {GroupPolicyFilters, ListParams, ListResult, Policy, PolicyFilters} from '../../domain/types.js';
import type {PolicyStore} from '../store.js';
import {jsonParam, sql, type Database} from './database.js';
import {asConflict, asMissingReference} from './errors.js';
import {Lister, searchMatches, type ListSpec} from './list.js';

export interface PolicyRow {
  uuid: string;
  tenant_uuid: string;
  name: string;
  slug: string;
  description: string | null;
  acl: string[];
  shared: boolean;
  config_managed: boolean;
}

export const policyColumns = 'p.uuid, p.tenant_uuid, p.name, p.slug, p.description, p.acl, p.shared, p.config_managed';

/** Search and ordering of policies, whichever scope selects them (a tenant's, a user's). */
export const policyListing: Omit<ListSpec, 'from'> = {
  columns: policyColumns,
  // Upstream searches the name and the description, not the slug.
  search: `${searchMatches('lower(p.name)')} OR ${searchMatches('lower(p.description)')}`,
  orders: {name: 'lower(p.name)', slug: 'lower(p.slug)', description: 'lower(p.description)', uuid: 'p.uuid'},
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
  slug: 'lower(p.slug) = lower(@f_slug)',
  readOnly: '(p.config_managed OR p.tenant_uuid <> ALL (@scope::text[])) = @f_readOnly',
};

export function toPolicy(row: PolicyRow): Policy {
  return {
    uuid: row.uuid,
    tenantUuid: row.tenant_uuid,
    name: row.name,
    slug: row.slug,
    description: row.description,
    acl: row.acl,
    shared: row.shared,
    configManaged: row.config_managed,
  };
}

const insert = sql(
  `INSERT INTO policies (uuid, tenant_uuid, name, slug, description, acl, shared, config_managed)
   VALUES (@uuid, @tenantUuid, @name, @slug, @description, @acl, @shared, @configManaged)`,
);
const change = sql('UPDATE policies SET name = @name, description = @description, acl = @acl, shared = @shared WHERE uuid = @uuid');
const remove = sql('DELETE FROM policies WHERE uuid = @uuid');
const byUuid = sql(`SELECT ${policyColumns} FROM policies p WHERE p.uuid = @uuid`);
// Slugs are unique regardless of case: so are lookups.
const bySlug = sql(`SELECT ${policyColumns} FROM policies p WHERE p.tenant_uuid = @tenant AND lower(p.slug) = lower(@slug)`);
const byName = sql(`SELECT ${policyColumns} FROM policies p WHERE p.name = @name ORDER BY p.seq LIMIT 1`);

function conflicts(policy: Policy) {
  return {
    policies_pkey: ['uuid', policy.uuid],
    policies_name: ['name', policy.name],
    policies_slug: ['slug', policy.slug],
  } as const;
}

export function createPolicyStore(db: Database): PolicyStore {
  const lister = new Lister<PolicyRow>(db, {
    ...policyListing,
    from: `FROM policies p WHERE (p.tenant_uuid = ANY (@scope::text[])
      OR (p.shared AND p.tenant_uuid = ANY (@sharedFrom::text[]))
      OR (@withConfigManaged::boolean AND p.config_managed))`,
    filters: tenantPolicyFilters,
  });

  async function get(uuid: string): Promise<Policy | undefined> {
    const row = await db.row<PolicyRow>(byUuid, {uuid});
    return row && toPolicy(row);
  }

  return {
    async create(policy: Policy): Promise<Policy> {
      try {
        await db.run(insert, {
          uuid: policy.uuid,
          tenantUuid: policy.tenantUuid,
          name: policy.name,
          slug: policy.slug,
          description: policy.description ?? null,
          acl: jsonParam(policy.acl),
          shared: policy.shared,
          configManaged: policy.configManaged,
        });
      } catch (error) {
        throw asMissingReference(asConflict(error, conflicts(policy)), `tenant ${policy.tenantUuid} does not exist`);
      }
      return (await get(policy.uuid))!;
    },
    get,
    async getBySlug(tenantUuid: string, slug: string): Promise<Policy | undefined> {
      const row = await db.row<PolicyRow>(bySlug, {tenant: tenantUuid, slug});
      return row && toPolicy(row);
    },
    async findByName(name: string): Promise<Policy | undefined> {
      const row = await db.row<PolicyRow>(byName, {name});
      return row && toPolicy(row);
    },
    async update(policy: Policy): Promise<Policy> {
      let changes: number;
      try {
        changes = await db.run(change, {
          uuid: policy.uuid,
          name: policy.name,
          description: policy.description ?? null,
          acl: jsonParam(policy.acl),
          shared: policy.shared,
        });
      } catch (error) {
        throw asConflict(error, conflicts(policy));
      }
      if (changes === 0) throw new Error(`policy ${policy.uuid} does not exist`);
      return (await get(policy.uuid))!;
    },
    async delete(uuid: string): Promise<boolean> {
      // user_policies and group_policies rows go with it (ON DELETE CASCADE).
      return (await db.run(remove, {uuid})) > 0;
    },
    async list(
      tenantUuids: string[],
      params: ListParams & {sharedFrom?: string[]; withConfigManaged?: boolean},
      filters: PolicyFilters = {},
    ): Promise<ListResult<Policy>> {
      const scope = {scope: tenantUuids, sharedFrom: params.sharedFrom ?? [], withConfigManaged: params.withConfigManaged ?? false};
      const {total, filtered, rows} = await lister.list(scope, params, {...filters});
      return {total, filtered, items: rows.map(toPolicy)};
    },
  };
}

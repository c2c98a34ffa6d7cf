// Policies (named ACL lists) of a tenant, including the shared ones seen from sub-tenants.
import {sql, type Selectable} from 'kysely';
import type {GroupPolicyFilters, ListParams, ListResult, Policy, PolicyFilters} from '../domain/types.js';
import type {StoreContext} from './context.js';
import type {Dialect} from './dialect.js';
import {like, type ListSpec, list, type Query} from './list.js';
import type {FilterValue} from './list-params.js';
import type {PolicyStore} from './store.js';
import type {PoliciesTable} from './tables.js';

export type PolicyRow = Selectable<PoliciesTable>;

export const POLICY_COLUMNS = ['p.uuid', 'p.tenant_uuid', 'p.name', 'p.slug', 'p.description', 'p.acl', 'p.shared', 'p.config_managed'] as const;

export function toPolicy(row: PolicyRow, dialect: Dialect): Policy {
  return {
    uuid: row.uuid,
    tenantUuid: row.tenant_uuid,
    name: row.name,
    slug: row.slug,
    description: row.description,
    acl: dialect.fromJson(row.acl),
    shared: Boolean(row.shared),
    configManaged: Boolean(row.config_managed),
  };
}

type Filter = (value: FilterValue) => ReturnType<typeof sql<boolean>>;

/** Search and ordering of policies `p`, whichever scope selects them (a tenant's, a user's, a group's). */
export function policyListing(dialect: Dialect): Omit<ListSpec<PolicyRow>, 'from'> {
  return {
    columns: (query: Query) => query.select(POLICY_COLUMNS),
    // Upstream searches the name and the description, not the slug.
    search: (pattern) => sql`${like(dialect.lower(sql.ref('p.name')), pattern)} OR ${like(dialect.lower(sql.ref('p.description')), pattern)}`,
    orders: {
      name: dialect.caseless(sql.ref('p.name')),
      slug: dialect.caseless(sql.ref('p.slug')),
      description: dialect.caseless(sql.ref('p.description')),
      uuid: sql.ref('p.uuid'),
    },
    defaultOrder: 'name',
    tieBreak: sql.ref('p.uuid'),
  };
}

/** Exact-match filters of the policies linked to a user or a group (upstream gives both lists the same). */
export const linkedPolicyFilters: Readonly<Record<keyof GroupPolicyFilters, Filter>> = {
  uuid: (value) => sql`p.uuid = ${value}`,
  name: (value) => sql`p.name = ${value}`,
  tenantUuid: (value) => sql`p.tenant_uuid = ${value}`,
  userUuid: (value) => sql`EXISTS (SELECT 1 FROM user_policies up WHERE up.policy_uuid = p.uuid AND up.user_uuid = ${value})`,
  groupUuid: (value) => sql`EXISTS (SELECT 1 FROM group_policies o WHERE o.policy_uuid = p.uuid AND o.group_uuid = ${value})`,
};

export function createPolicyStore({db, dialect}: StoreContext): PolicyStore {
  const policies = () => db.selectFrom('policies as p').select(POLICY_COLUMNS);

  function conflicts(policy: Policy) {
    return {
      'policies.uuid': ['uuid', policy.uuid],
      'policies.name': ['name', policy.name],
      'policies.slug': ['slug', policy.slug],
    } as const;
  }

  async function get(uuid: string): Promise<Policy | undefined> {
    const row = await policies().where('p.uuid', '=', uuid).executeTakeFirst();
    return row && toPolicy(row, dialect);
  }

  return {
    async create(policy: Policy): Promise<Policy> {
      try {
        await db
          .insertInto('policies')
          .values({
            uuid: policy.uuid,
            tenant_uuid: policy.tenantUuid,
            name: policy.name,
            slug: policy.slug,
            description: policy.description ?? null,
            acl: dialect.toJson(policy.acl),
            shared: policy.shared,
            config_managed: policy.configManaged,
          })
          .execute();
      } catch (error) {
        throw dialect.asMissingReference(dialect.asConflict(error, conflicts(policy)), `tenant ${policy.tenantUuid} does not exist`);
      }
      return (await get(policy.uuid))!;
    },
    get,
    async getBySlug(tenantUuid: string, slug: string): Promise<Policy | undefined> {
      // Slugs are unique regardless of case: so are lookups.
      const row = await policies()
        .where('p.tenant_uuid', '=', tenantUuid)
        .where(dialect.caselessIn(sql.ref('p.slug'), [slug]))
        .executeTakeFirst();
      return row && toPolicy(row, dialect);
    },
    async findByName(name: string): Promise<Policy | undefined> {
      const row = await policies().where('p.name', '=', name).orderBy(dialect.insertionOrder('p')).limit(1).executeTakeFirst();
      return row && toPolicy(row, dialect);
    },
    async update(policy: Policy): Promise<Policy> {
      let changed: bigint;
      try {
        const result = await db
          .updateTable('policies')
          .set({name: policy.name, description: policy.description ?? null, acl: dialect.toJson(policy.acl), shared: policy.shared})
          .where('uuid', '=', policy.uuid)
          .executeTakeFirst();
        changed = result.numUpdatedRows;
      } catch (error) {
        throw dialect.asConflict(error, conflicts(policy));
      }
      if (Number(changed) === 0) throw new Error(`policy ${policy.uuid} does not exist`);
      return (await get(policy.uuid))!;
    },
    async rename(uuid: string, slug: string): Promise<void> {
      const policy = await get(uuid);
      try {
        await db.updateTable('policies').set({slug, name: slug}).where('uuid', '=', uuid).execute();
      } catch (error) {
        throw dialect.asConflict(error, conflicts({...policy!, slug, name: slug}));
      }
    },
    async delete(uuid: string): Promise<boolean> {
      // user_policies rows go with it (ON DELETE CASCADE).
      return Number((await db.deleteFrom('policies').where('uuid', '=', uuid).executeTakeFirst()).numDeletedRows) > 0;
    },
    async list(
      tenantUuids: string[],
      params: ListParams & {sharedFrom?: string[]; withConfigManaged?: boolean},
      filters: PolicyFilters = {},
    ): Promise<ListResult<Policy>> {
      const inScope = dialect.inList(sql.ref('p.tenant_uuid'), tenantUuids);
      const from = db.selectFrom('policies as p').where(
        sql<boolean>`(${inScope} OR (p.shared = ${true} AND ${dialect.inList(sql.ref('p.tenant_uuid'), params.sharedFrom ?? [])})
            OR (${params.withConfigManaged === true} AND p.config_managed = ${true}))`,
      );
      const {total, filtered, rows} = await list<PolicyRow>(
        {
          ...policyListing(dialect),
          from,
          filters: {
            ...linkedPolicyFilters,
            slug: (value) => dialect.caselessIn(sql.ref('p.slug'), [value as string]),
            // A policy not of the listing tenants is seen only as read-only.
            readOnly: (value) => sql`((p.config_managed = ${true} OR NOT (${inScope})) = ${value})`,
          },
        },
        params,
        {...filters},
        dialect,
      );
      return {total, filtered, items: rows.map((row) => toPolicy(row, dialect))};
    },
  };
}

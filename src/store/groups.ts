// Groups of users of one tenant and the policies they hold. The members of a tenant's all-users
// group are not stored: every query derives them from the users' tenant.
import {sql, type Selectable} from 'kysely';
import type {Group, GroupFilters, GroupMemberFilters, GroupPolicyFilters, ListParams, ListResult, Policy, User} from '../domain/types.js';
import type {StoreContext} from './context.js';
import {like, list, type ListSpec, type Query} from './list.js';
import {linkedPolicyFilters, policyListing, toPolicy, type PolicyRow} from './policies.js';
import type {GroupStore, PolicyVisibility} from './store.js';
import type {GroupsTable} from './tables.js';
import {toUser, userFieldFilters, userListing, type UserRow} from './users.js';

type GroupRow = Selectable<GroupsTable>;

const GROUP_COLUMNS = ['g.uuid', 'g.tenant_uuid', 'g.name', 'g.slug', 'g.system_managed'] as const;

function toGroup(row: GroupRow): Group {
  return {uuid: row.uuid, tenantUuid: row.tenant_uuid, name: row.name, slug: row.slug, systemManaged: Boolean(row.system_managed)};
}

function conflicts(group: Pick<Group, 'uuid' | 'name' | 'slug'>) {
  return {
    'groups.uuid': ['uuid', group.uuid],
    'groups.name': ['name', group.name],
    'groups.slug': ['slug', group.slug],
  } as const;
}

export function createGroupStore({db, dialect}: StoreContext): GroupStore {
  const groups = () => db.selectFrom('groups as g').select(GROUP_COLUMNS);

  /** Group `g` counts `user` among its members. */
  const hasMember = (user: unknown) =>
    sql<boolean>`(EXISTS (SELECT 1 FROM group_users gu WHERE gu.group_uuid = g.uuid AND gu.user_uuid = ${user})
      OR (g.system_managed = ${true} AND g.tenant_uuid = (SELECT m.tenant_uuid FROM users m WHERE m.uuid = ${user})))`;

  /** Search, ordering and filters of groups, whichever scope selects them (tenants, a user). */
  const groupListing: Omit<ListSpec<GroupRow>, 'from'> = {
    columns: (query: Query) => query.select(GROUP_COLUMNS),
    search: (pattern) => like(dialect.lower(sql.ref('g.name')), pattern),
    orders: {
      name: dialect.caseless(sql.ref('g.name')),
      slug: dialect.caseless(sql.ref('g.slug')),
      uuid: sql.ref('g.uuid'),
      read_only: sql.ref('g.system_managed'),
    },
    defaultOrder: 'name',
    tieBreak: sql.ref('g.uuid'),
    filters: {
      uuid: (value) => sql`g.uuid = ${value}`,
      name: (value) => sql`g.name = ${value}`,
      slug: (value) => dialect.caselessIn(sql.ref('g.slug'), [value as string]),
      userUuid: (value) => hasMember(value),
      readOnly: (value) => sql`g.system_managed = ${value}`,
      policyUuid: (value) => sql`EXISTS (SELECT 1 FROM group_policies gp WHERE gp.group_uuid = g.uuid AND gp.policy_uuid = ${value})`,
      policySlug: (value) =>
        sql`EXISTS (SELECT 1 FROM group_policies gp JOIN policies p ON p.uuid = gp.policy_uuid
          WHERE gp.group_uuid = g.uuid AND ${dialect.caselessIn(sql.ref('p.slug'), [value as string])})`,
    },
  };

  async function get(uuid: string): Promise<Group | undefined> {
    const row = await groups().where('g.uuid', '=', uuid).executeTakeFirst();
    return row && toGroup(row);
  }

  async function groupList(from: Query, params: ListParams, filters: GroupFilters = {}): Promise<ListResult<Group>> {
    const {total, filtered, rows} = await list<GroupRow>({...groupListing, from}, params, {...filters}, dialect);
    return {total, filtered, items: rows.map(toGroup)};
  }

  const values = (group: Group) => ({uuid: group.uuid, tenant_uuid: group.tenantUuid, name: group.name, slug: group.slug, system_managed: group.systemManaged});

  return {
    async create(group: Group): Promise<Group> {
      try {
        await db.insertInto('groups').values(values(group)).execute();
      } catch (error) {
        throw dialect.asMissingReference(dialect.asConflict(error, conflicts(group)), `tenant ${group.tenantUuid} does not exist`);
      }
      return (await get(group.uuid))!;
    },
    async ensureAllUsersGroup(group: Group): Promise<Group> {
      try {
        // The target is the partial index that allows one all-users group per tenant.
        await db
          .insertInto('groups')
          .values(values({...group, systemManaged: true}))
          .onConflict((conflict) =>
            conflict
              .column('tenant_uuid')
              .where(dialect.isSet(sql.ref('system_managed')))
              .doNothing(),
          )
          .execute();
      } catch (error) {
        throw dialect.asMissingReference(dialect.asConflict(error, conflicts(group)), `tenant ${group.tenantUuid} does not exist`);
      }
      return toGroup((await groups().where('g.tenant_uuid', '=', group.tenantUuid).where('g.system_managed', '=', true).executeTakeFirst())!);
    },
    get,
    async getBySlug(tenantUuid: string, slug: string): Promise<Group | undefined> {
      // Slugs are unique regardless of case: so are lookups.
      const row = await groups()
        .where('g.tenant_uuid', '=', tenantUuid)
        .where(dialect.caselessIn(sql.ref('g.slug'), [slug]))
        .executeTakeFirst();
      return row && toGroup(row);
    },
    async rename(uuid: string, name: string): Promise<Group | undefined> {
      try {
        const result = await db.updateTable('groups').set({name}).where('uuid', '=', uuid).executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) return undefined;
      } catch (error) {
        throw dialect.asConflict(error, {'groups.name': ['name', name]});
      }
      return get(uuid);
    },
    async delete(uuid: string): Promise<boolean> {
      // Member and policy links go with it (ON DELETE CASCADE).
      return Number((await db.deleteFrom('groups').where('uuid', '=', uuid).executeTakeFirst()).numDeletedRows) > 0;
    },
    list: (tenantUuids, params, filters) =>
      groupList(db.selectFrom('groups as g').where(dialect.inList(sql.ref('g.tenant_uuid'), tenantUuids)), params, filters),
    listOfUser: (userUuid, params, filters) => groupList(db.selectFrom('groups as g').where(hasMember(userUuid)), params, filters),
    async addUser(groupUuid: string, userUuid: string): Promise<void> {
      try {
        await db
          .insertInto('group_users')
          .values({group_uuid: groupUuid, user_uuid: userUuid})
          .onConflict((c) => c.doNothing())
          .execute();
      } catch (error) {
        throw dialect.asMissingReference(error, `group ${groupUuid} or user ${userUuid} does not exist`);
      }
    },
    async removeUser(groupUuid: string, userUuid: string): Promise<boolean> {
      const result = await db.deleteFrom('group_users').where('group_uuid', '=', groupUuid).where('user_uuid', '=', userUuid).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async listUsers(groupUuid: string, params: ListParams, filters: GroupMemberFilters = {}): Promise<ListResult<User>> {
      const members = sql`SELECT user_uuid FROM group_users WHERE group_uuid = ${groupUuid}
        UNION ALL SELECT u.uuid FROM users u JOIN groups a ON a.tenant_uuid = u.tenant_uuid
        WHERE a.uuid = ${groupUuid} AND a.system_managed = ${true}`;
      const from = db.selectFrom('users as u').where(sql<boolean>`u.uuid IN (${members})`);
      const {total, filtered, rows} = await list<UserRow>({...userListing(db, dialect), from, filters: userFieldFilters}, params, {...filters}, dialect);
      return {total, filtered, items: rows.map((row) => toUser(row, dialect))};
    },
    async addPolicy(groupUuid: string, policyUuid: string): Promise<void> {
      try {
        await db
          .insertInto('group_policies')
          .values({group_uuid: groupUuid, policy_uuid: policyUuid})
          .onConflict((c) => c.doNothing())
          .execute();
      } catch (error) {
        throw dialect.asMissingReference(error, `group ${groupUuid} or policy ${policyUuid} does not exist`);
      }
    },
    async removePolicy(groupUuid: string, policyUuid: string): Promise<boolean> {
      const result = await db.deleteFrom('group_policies').where('group_uuid', '=', groupUuid).where('policy_uuid', '=', policyUuid).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async listPolicies(groupUuid: string, visible: PolicyVisibility, params: ListParams, filters: GroupPolicyFilters = {}): Promise<ListResult<Policy>> {
      const from = db
        .selectFrom('policies as p')
        .innerJoin('group_policies as gp', 'gp.policy_uuid', 'p.uuid')
        .where('gp.group_uuid', '=', groupUuid)
        .where(
          sql<boolean>`(${dialect.inList(sql.ref('p.tenant_uuid'), visible.tenantUuids)} OR p.config_managed = ${true}
            OR (p.shared = ${true} AND ${dialect.inList(sql.ref('p.tenant_uuid'), visible.sharedFrom)}))`,
        );
      const {total, filtered, rows} = await list<PolicyRow>({...policyListing(dialect), from, filters: linkedPolicyFilters}, params, {...filters}, dialect);
      return {total, filtered, items: rows.map((row) => toPolicy(row, dialect))};
    },
  };
}

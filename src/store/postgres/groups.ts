// Groups of users of one tenant and the policies they hold, on PostgreSQL. The members of a
// tenant's all-users group are not stored: every query derives them from the users' tenant.
import type {Group, GroupFilters, GroupMemberFilters, GroupPolicyFilters, ListParams, ListResult, Policy, User} from '../../domain/types.js';
import type {GroupStore, PolicyVisibility} from '../store.js';
import {sql, type Database, type Params, type Sql} from './database.js';
import {asConflict, asMissingReference} from './errors.js';
import {Lister, searchMatches, type ListSpec} from './list.js';
import {linkedPolicyFilters, policyListing, toPolicy, type PolicyRow} from './policies.js';
import {toUser, userFieldFilters, userListing, type UserRow} from './users.js';

interface GroupRow {
  uuid: string;
  tenant_uuid: string;
  name: string;
  slug: string;
  system_managed: boolean;
}

const groupColumns = 'g.uuid, g.tenant_uuid, g.name, g.slug, g.system_managed';

/** The uuids of the members of group `@group`. */
const membersOfGroup = `SELECT user_uuid FROM group_users WHERE group_uuid = @group
  UNION ALL SELECT u.uuid FROM users u JOIN groups a ON a.tenant_uuid = u.tenant_uuid
  WHERE a.uuid = @group AND a.system_managed`;

/** True when group `g` counts the user bound to `param` (e.g. `@user`) among its members. */
const hasMember = (param: string) =>
  `(EXISTS (SELECT 1 FROM group_users gu WHERE gu.group_uuid = g.uuid AND gu.user_uuid = ${param})
    OR (g.system_managed AND g.tenant_uuid = (SELECT m.tenant_uuid FROM users m WHERE m.uuid = ${param})))`;

/** Search, ordering and filters of groups, whichever scope selects them (tenants, a user). */
const groupListing: Omit<ListSpec, 'from'> = {
  columns: groupColumns,
  search: searchMatches('lower(g.name)'),
  orders: {name: 'lower(g.name)', slug: 'lower(g.slug)', uuid: 'g.uuid', read_only: 'g.system_managed'},
  defaultOrder: 'name',
  tieBreak: 'g.uuid',
  filters: {
    uuid: 'g.uuid = @f_uuid',
    name: 'g.name = @f_name',
    slug: 'lower(g.slug) = lower(@f_slug)',
    userUuid: hasMember('@f_userUuid'),
    readOnly: 'g.system_managed = @f_readOnly',
    policyUuid: 'EXISTS (SELECT 1 FROM group_policies gp WHERE gp.group_uuid = g.uuid AND gp.policy_uuid = @f_policyUuid)',
    policySlug: `EXISTS (SELECT 1 FROM group_policies gp JOIN policies p ON p.uuid = gp.policy_uuid
      WHERE gp.group_uuid = g.uuid AND lower(p.slug) = lower(@f_policySlug))`,
  },
};

function toGroup(row: GroupRow): Group {
  return {uuid: row.uuid, tenantUuid: row.tenant_uuid, name: row.name, slug: row.slug, systemManaged: row.system_managed};
}

function conflicts(group: Pick<Group, 'uuid' | 'name' | 'slug'>) {
  return {groups_pkey: ['uuid', group.uuid], groups_name: ['name', group.name], groups_slug: ['slug', group.slug]} as const;
}

const values = '(uuid, tenant_uuid, name, slug, system_managed) VALUES (@uuid, @tenantUuid, @name, @slug, @systemManaged)';
const insert = sql(`INSERT INTO groups ${values}`);
// The target is the partial index that allows one all-users group per tenant.
const insertAllUsers = sql(`INSERT INTO groups ${values} ON CONFLICT (tenant_uuid) WHERE system_managed DO NOTHING`);
const byUuid = sql(`SELECT ${groupColumns} FROM groups g WHERE g.uuid = @uuid`);
const bySlug = sql(`SELECT ${groupColumns} FROM groups g WHERE g.tenant_uuid = @tenant AND lower(g.slug) = lower(@slug)`);
const allUsersOf = sql(`SELECT ${groupColumns} FROM groups g WHERE g.tenant_uuid = @tenant AND g.system_managed`);
const changeName = sql('UPDATE groups SET name = @name WHERE uuid = @uuid');
const remove = sql('DELETE FROM groups WHERE uuid = @uuid');
const linkUser = sql('INSERT INTO group_users (group_uuid, user_uuid) VALUES (@group, @user) ON CONFLICT DO NOTHING');
const unlinkUser = sql('DELETE FROM group_users WHERE group_uuid = @group AND user_uuid = @user');
const linkPolicy = sql('INSERT INTO group_policies (group_uuid, policy_uuid) VALUES (@group, @policy) ON CONFLICT DO NOTHING');
const unlinkPolicy = sql('DELETE FROM group_policies WHERE group_uuid = @group AND policy_uuid = @policy');

export function createGroupStore(db: Database): GroupStore {
  const tenantGroups = new Lister<GroupRow>(db, {...groupListing, from: 'FROM groups g WHERE g.tenant_uuid = ANY (@scope::text[])'});
  const userGroups = new Lister<GroupRow>(db, {...groupListing, from: `FROM groups g WHERE ${hasMember('@user')}`});
  const members = new Lister<UserRow>(db, {
    ...userListing,
    from: `FROM users u WHERE u.uuid IN (${membersOfGroup})`,
    filters: userFieldFilters,
  });
  const policies = new Lister<PolicyRow>(db, {
    ...policyListing,
    from: `FROM policies p JOIN group_policies gp ON gp.policy_uuid = p.uuid
      WHERE gp.group_uuid = @group AND (p.tenant_uuid = ANY (@scope::text[]) OR p.config_managed
        OR (p.shared AND p.tenant_uuid = ANY (@sharedFrom::text[])))`,
    filters: linkedPolicyFilters,
  });

  async function get(uuid: string): Promise<Group | undefined> {
    const row = await db.row<GroupRow>(byUuid, {uuid});
    return row && toGroup(row);
  }

  async function write(group: Group, statement: Sql): Promise<void> {
    try {
      await db.run(statement, {...group, systemManaged: group.systemManaged});
    } catch (error) {
      throw asMissingReference(asConflict(error, conflicts(group)), `tenant ${group.tenantUuid} does not exist`);
    }
  }

  async function groupList(lister: Lister<GroupRow>, scope: Params, params: ListParams, filters: GroupFilters = {}) {
    const {total, filtered, rows} = await lister.list(scope, params, {...filters});
    return {total, filtered, items: rows.map(toGroup)};
  }

  return {
    async create(group: Group): Promise<Group> {
      await write(group, insert);
      return (await get(group.uuid))!;
    },
    async ensureAllUsersGroup(group: Group): Promise<Group> {
      await write({...group, systemManaged: true}, insertAllUsers);
      return toGroup((await db.row<GroupRow>(allUsersOf, {tenant: group.tenantUuid}))!);
    },
    get,
    async getBySlug(tenantUuid: string, slug: string): Promise<Group | undefined> {
      const row = await db.row<GroupRow>(bySlug, {tenant: tenantUuid, slug});
      return row && toGroup(row);
    },
    async rename(uuid: string, name: string): Promise<Group | undefined> {
      try {
        if ((await db.run(changeName, {uuid, name})) === 0) return undefined;
      } catch (error) {
        throw asConflict(error, {groups_name: ['name', name]});
      }
      return get(uuid);
    },
    async delete(uuid: string): Promise<boolean> {
      // Member and policy links go with it (ON DELETE CASCADE).
      return (await db.run(remove, {uuid})) > 0;
    },
    list(tenantUuids: string[], params: ListParams, filters?: GroupFilters): Promise<ListResult<Group>> {
      return groupList(tenantGroups, {scope: tenantUuids}, params, filters);
    },
    listOfUser(userUuid: string, params: ListParams, filters?: GroupFilters): Promise<ListResult<Group>> {
      return groupList(userGroups, {user: userUuid}, params, filters);
    },
    async addUser(groupUuid: string, userUuid: string): Promise<void> {
      try {
        await db.run(linkUser, {group: groupUuid, user: userUuid});
      } catch (error) {
        throw asMissingReference(error, `group ${groupUuid} or user ${userUuid} does not exist`);
      }
    },
    async removeUser(groupUuid: string, userUuid: string): Promise<boolean> {
      return (await db.run(unlinkUser, {group: groupUuid, user: userUuid})) > 0;
    },
    async listUsers(groupUuid: string, params: ListParams, filters: GroupMemberFilters = {}): Promise<ListResult<User>> {
      const {total, filtered, rows} = await members.list({group: groupUuid}, params, {...filters});
      return {total, filtered, items: rows.map(toUser)};
    },
    async addPolicy(groupUuid: string, policyUuid: string): Promise<void> {
      try {
        await db.run(linkPolicy, {group: groupUuid, policy: policyUuid});
      } catch (error) {
        throw asMissingReference(error, `group ${groupUuid} or policy ${policyUuid} does not exist`);
      }
    },
    async removePolicy(groupUuid: string, policyUuid: string): Promise<boolean> {
      return (await db.run(unlinkPolicy, {group: groupUuid, policy: policyUuid})) > 0;
    },
    async listPolicies(
      groupUuid: string,
      visible: PolicyVisibility,
      params: ListParams,
      filters: GroupPolicyFilters = {},
    ): Promise<ListResult<Policy>> {
      const scope = {group: groupUuid, scope: visible.tenantUuids, sharedFrom: visible.sharedFrom};
      const {total, filtered, rows} = await policies.list(scope, params, {...filters});
      return {total, filtered, items: rows.map(toPolicy)};
    },
  };
}

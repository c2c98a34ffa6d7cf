// Groups of users of one tenant and the policies they hold. The members of a tenant's all-users
// group are not stored: every query derives them from the users' tenant.
import type {Group, GroupFilters, GroupMemberFilters, GroupPolicyFilters, ListParams, ListResult, Policy, User} from '../../domain/types.js';
import type {GroupStore, PolicyVisibility} from '../store.js';
import type {Db} from './database.js';
import {asConflict, asMissingReference} from './errors.js';
import {Lister, type ListSpec, toBool, uuidList, searchMatches} from './list.js';
import {linkedPolicyFilters, policyListing, toPolicy, type PolicyRow} from './policies.js';
import {toUser, userFieldFilters, userListing, type UserRow} from './users.js';

interface GroupRow {
  uuid: string;
  tenant_uuid: string;
  name: string;
  slug: string;
  system_managed: number;
}

const groupColumns = 'g.uuid, g.tenant_uuid, g.name, g.slug, g.system_managed';

/** The uuids of the members of group `@group`. */
const membersOfGroup = `SELECT user_uuid FROM group_users WHERE group_uuid = @group
  UNION ALL SELECT u.uuid FROM users u JOIN groups a ON a.tenant_uuid = u.tenant_uuid
  WHERE a.uuid = @group AND a.system_managed = 1`;

/** True when group `g` counts the user bound to `param` (e.g. `@user`) among its members. */
const hasMember = (param: string) =>
  `(EXISTS (SELECT 1 FROM group_users gu WHERE gu.group_uuid = g.uuid AND gu.user_uuid = ${param})
    OR (g.system_managed = 1 AND g.tenant_uuid = (SELECT m.tenant_uuid FROM users m WHERE m.uuid = ${param})))`;

/** Search, ordering and filters of groups, whichever scope selects them (tenants, a user). */
const groupListing: Omit<ListSpec, 'from'> = {
  columns: groupColumns,
  search: `${searchMatches('unicode_lower(g.name)')}`,
  orders: {
    name: 'g.name COLLATE NOCASE',
    slug: 'g.slug COLLATE NOCASE',
    uuid: 'g.uuid',
    read_only: 'g.system_managed',
  },
  defaultOrder: 'name',
  tieBreak: 'g.uuid',
  filters: {
    uuid: 'g.uuid = @f_uuid',
    name: 'g.name = @f_name',
    slug: 'g.slug = @f_slug',
    userUuid: hasMember('@f_userUuid'),
    readOnly: 'g.system_managed = @f_readOnly',
    policyUuid: 'EXISTS (SELECT 1 FROM group_policies gp WHERE gp.group_uuid = g.uuid AND gp.policy_uuid = @f_policyUuid)',
    policySlug: `EXISTS (SELECT 1 FROM group_policies gp JOIN policies p ON p.uuid = gp.policy_uuid
      WHERE gp.group_uuid = g.uuid AND p.slug = @f_policySlug)`,
  },
};

function toGroup(row: GroupRow): Group {
  return {
    uuid: row.uuid,
    tenantUuid: row.tenant_uuid,
    name: row.name,
    slug: row.slug,
    systemManaged: toBool(row.system_managed),
  };
}

function groupBind(group: Group) {
  return {
    uuid: group.uuid,
    tenantUuid: group.tenantUuid,
    name: group.name,
    slug: group.slug,
    systemManaged: group.systemManaged ? 1 : 0,
  };
}

function conflicts(group: Pick<Group, 'uuid' | 'name' | 'slug'>) {
  return {
    'groups.uuid': ['uuid', group.uuid],
    'groups.name': ['name', group.name],
    'groups.slug': ['slug', group.slug],
  } as const;
}

export function createGroupStore(db: Db): GroupStore {
  const values = '(uuid, tenant_uuid, name, slug, system_managed) VALUES (@uuid, @tenantUuid, @name, @slug, @systemManaged)';
  const insert = db.prepare(`INSERT INTO groups ${values}`);
  // The target is the partial index that allows one all-users group per tenant.
  const insertAllUsers = db.prepare(`INSERT INTO groups ${values} ON CONFLICT (tenant_uuid) WHERE system_managed = 1 DO NOTHING`);
  const byUuid = db.prepare<[string], GroupRow>(`SELECT ${groupColumns} FROM groups g WHERE g.uuid = ?`);
  // The slug column's NOCASE collation makes this lookup case-insensitive, like its uniqueness.
  const bySlug = db.prepare<[string, string], GroupRow>(`SELECT ${groupColumns} FROM groups g WHERE g.tenant_uuid = ? AND g.slug = ?`);
  const allUsersOf = db.prepare<[string], GroupRow>(
    `SELECT ${groupColumns} FROM groups g WHERE g.tenant_uuid = ? AND g.system_managed = 1`,
  );
  const changeName = db.prepare<[string, string]>('UPDATE groups SET name = ? WHERE uuid = ?');
  const remove = db.prepare<[string]>('DELETE FROM groups WHERE uuid = ?');
  const linkUser = db.prepare<[string, string]>('INSERT INTO group_users (group_uuid, user_uuid) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const unlinkUser = db.prepare<[string, string]>('DELETE FROM group_users WHERE group_uuid = ? AND user_uuid = ?');
  const linkPolicy = db.prepare<[string, string]>(
    'INSERT INTO group_policies (group_uuid, policy_uuid) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  const unlinkPolicy = db.prepare<[string, string]>('DELETE FROM group_policies WHERE group_uuid = ? AND policy_uuid = ?');

  const tenantGroups = new Lister<GroupRow>(db, {
    ...groupListing,
    from: 'FROM groups g WHERE g.tenant_uuid IN (SELECT value FROM json_each(@scope))',
  });
  const userGroups = new Lister<GroupRow>(db, {...groupListing, from: `FROM groups g WHERE ${hasMember('@user')}`});
  const members = new Lister<UserRow>(db, {
    ...userListing,
    from: `FROM users u WHERE u.uuid IN (${membersOfGroup})`,
    filters: userFieldFilters,
  });
  const policies = new Lister<PolicyRow>(db, {
    ...policyListing,
    from: `FROM policies p JOIN group_policies gp ON gp.policy_uuid = p.uuid
      WHERE gp.group_uuid = @group AND (p.tenant_uuid IN (SELECT value FROM json_each(@scope)) OR p.config_managed = 1
        OR (p.shared = 1 AND p.tenant_uuid IN (SELECT value FROM json_each(@sharedFrom))))`,
    filters: linkedPolicyFilters,
  });

  function get(uuid: string): Group | undefined {
    const row = byUuid.get(uuid);
    return row && toGroup(row);
  }

  function write(group: Group, statement: typeof insert): void {
    try {
      statement.run(groupBind(group));
    } catch (error) {
      throw asMissingReference(asConflict(error, conflicts(group)), `tenant ${group.tenantUuid} does not exist`);
    }
  }

  function groupList(lister: Lister<GroupRow>, scope: Record<string, unknown>, params: ListParams, filters: GroupFilters = {}) {
    const {total, filtered, rows} = lister.list(scope, params, {...filters});
    return {total, filtered, items: rows.map(toGroup)};
  }

  return {
    async create(group: Group): Promise<Group> {
      write(group, insert);
      return get(group.uuid)!;
    },
    async ensureAllUsersGroup(group: Group): Promise<Group> {
      write({...group, systemManaged: true}, insertAllUsers);
      return toGroup(allUsersOf.get(group.tenantUuid)!);
    },
    async get(uuid: string): Promise<Group | undefined> {
      return get(uuid);
    },
    async getBySlug(tenantUuid: string, slug: string): Promise<Group | undefined> {
      const row = bySlug.get(tenantUuid, slug);
      return row && toGroup(row);
    },
    async rename(uuid: string, name: string): Promise<Group | undefined> {
      try {
        if (changeName.run(name, uuid).changes === 0) return undefined;
      } catch (error) {
        throw asConflict(error, {'groups.name': ['name', name]});
      }
      return get(uuid);
    },
    async delete(uuid: string): Promise<boolean> {
      // Member and policy links go with it (ON DELETE CASCADE).
      return remove.run(uuid).changes > 0;
    },
    async list(tenantUuids: string[], params: ListParams, filters?: GroupFilters): Promise<ListResult<Group>> {
      return groupList(tenantGroups, {scope: uuidList(tenantUuids)}, params, filters);
    },
    async listOfUser(userUuid: string, params: ListParams, filters?: GroupFilters): Promise<ListResult<Group>> {
      return groupList(userGroups, {user: userUuid}, params, filters);
    },
    async addUser(groupUuid: string, userUuid: string): Promise<void> {
      try {
        linkUser.run(groupUuid, userUuid);
      } catch (error) {
        throw asMissingReference(error, `group ${groupUuid} or user ${userUuid} does not exist`);
      }
    },
    async removeUser(groupUuid: string, userUuid: string): Promise<boolean> {
      return unlinkUser.run(groupUuid, userUuid).changes > 0;
    },
    async listUsers(groupUuid: string, params: ListParams, filters: GroupMemberFilters = {}): Promise<ListResult<User>> {
      const {total, filtered, rows} = members.list({group: groupUuid}, params, {...filters});
      return {total, filtered, items: rows.map(toUser)};
    },
    async addPolicy(groupUuid: string, policyUuid: string): Promise<void> {
      try {
        linkPolicy.run(groupUuid, policyUuid);
      } catch (error) {
        throw asMissingReference(error, `group ${groupUuid} or policy ${policyUuid} does not exist`);
      }
    },
    async removePolicy(groupUuid: string, policyUuid: string): Promise<boolean> {
      return unlinkPolicy.run(groupUuid, policyUuid).changes > 0;
    },
    async listPolicies(
      groupUuid: string,
      visible: PolicyVisibility,
      params: ListParams,
      filters: GroupPolicyFilters = {},
    ): Promise<ListResult<Policy>> {
      const scope = {group: groupUuid, scope: uuidList(visible.tenantUuids), sharedFrom: uuidList(visible.sharedFrom)};
      const {total, filtered, rows} = policies.list(scope, params, {...filters});
      return {total, filtered, items: rows.map(toPolicy)};
    },
  };
}

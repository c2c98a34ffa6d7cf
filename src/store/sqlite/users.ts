// Users with their e-mail addresses and policy links; logins are unique and looked up regardless of case.
import type {AuthenticationMethod, Email, GroupMemberFilters, ListParams, ListResult, Policy, Purpose, User, UserCredentials, UserFilters, UserPolicyFilters} from '../../domain/types.js';
import type {UserStore} from '../store.js';
import {loginKey} from '../login-key.js';
import type {Db} from './database.js';
import {createEmailQueries} from './emails.js';
import {asConflict, asMissingReference} from './errors.js';
import {inScope, Lister, type ListSpec, searchMatches, toBool, uuidList, WIDE_SCOPE} from './list.js';
import {linkedPolicyFilters, policyListing, toPolicy, type PolicyRow} from './policies.js';

export interface UserRow {
  uuid: string;
  tenant_uuid: string;
  username: string | null;
  firstname: string | null;
  lastname: string | null;
  purpose: Purpose;
  enabled: number;
  authentication_method: AuthenticationMethod;
  emails: string;
}

interface CredentialsRow extends UserRow {
  password_hash: string | null;
}

interface EmailJson {
  uuid: string;
  address: string;
  main: number;
  confirmed: number;
}

const columns = `u.uuid, u.tenant_uuid, u.username, u.firstname, u.lastname, u.purpose, u.enabled,
  u.authentication_method,
  (SELECT json_group_array(json_object('uuid', e.uuid, 'address', e.address, 'main', e.main, 'confirmed', e.confirmed)
     ORDER BY e.rowid)
   FROM emails e WHERE e.user_uuid = u.uuid) AS emails`;

export function toUser(row: UserRow): User {
  const emails = (JSON.parse(row.emails) as EmailJson[]).map(
    (email): Email => ({
      uuid: email.uuid,
      address: email.address,
      main: toBool(email.main),
      confirmed: toBool(email.confirmed),
    }),
  );
  return {
    uuid: row.uuid,
    tenantUuid: row.tenant_uuid,
    username: row.username,
    firstname: row.firstname,
    lastname: row.lastname,
    purpose: row.purpose,
    enabled: toBool(row.enabled),
    authenticationMethod: row.authentication_method,
    emails,
  };
}

/** Search and ordering of users, whichever scope selects them (a tenant's, a group's). */
export const userListing: Omit<ListSpec, 'from'> = {
  columns,
  search: `${searchMatches('u.username_key')} OR ${searchMatches('unicode_lower(u.firstname)')}
    OR ${searchMatches('unicode_lower(u.lastname)')}
    OR EXISTS (SELECT 1 FROM emails e WHERE e.user_uuid = u.uuid AND ${searchMatches('e.address_key')})`,
  orders: {
    username: 'u.username_key',
    firstname: 'u.firstname COLLATE NOCASE',
    lastname: 'u.lastname COLLATE NOCASE',
    uuid: 'u.uuid',
    purpose: 'u.purpose',
  },
  defaultOrder: 'username',
  tieBreak: 'u.uuid',
  late: {table: 'users u', key: 'u.uuid'},
};

/** Exact-match filters on the user's own fields, for any list of users (a tenant's, a group's). */
export const userFieldFilters: Readonly<Record<keyof GroupMemberFilters, string>> = {
  uuid: 'u.uuid = @f_uuid',
  username: 'u.username = @f_username',
  firstname: 'u.firstname = @f_firstname',
  lastname: 'u.lastname = @f_lastname',
  purpose: 'u.purpose = @f_purpose',
  emailAddress: 'EXISTS (SELECT 1 FROM emails e WHERE e.user_uuid = u.uuid AND e.address = @f_emailAddress)',
};

/** True when user `u` holds, itself, a policy `p` meeting `condition`. */
const holdsItself = (condition: string) =>
  `EXISTS (SELECT 1 FROM user_policies up JOIN policies p ON p.uuid = up.policy_uuid
     WHERE up.user_uuid = u.uuid AND ${condition})`;

/** True when a group of user `u`, its tenant's all-users group included, holds a policy `p` meeting `condition`. */
const holdsThroughGroup = (condition: string) =>
  `EXISTS (SELECT 1 FROM group_policies gp JOIN groups g ON g.uuid = gp.group_uuid JOIN policies p ON p.uuid = gp.policy_uuid
     WHERE ${condition} AND (g.uuid IN (SELECT gu.group_uuid FROM group_users gu WHERE gu.user_uuid = u.uuid)
       OR (g.system_managed = 1 AND g.tenant_uuid = u.tenant_uuid)))`;

const userFilters: Readonly<Record<keyof UserFilters, string>> = {
  ...userFieldFilters,
  groupUuid: `EXISTS (SELECT 1 FROM group_users gu WHERE gu.user_uuid = u.uuid AND gu.group_uuid = @f_groupUuid)
    OR EXISTS (SELECT 1 FROM groups a WHERE a.uuid = @f_groupUuid AND a.system_managed = 1 AND a.tenant_uuid = u.tenant_uuid)`,
  policyUuid: holdsItself('p.uuid = @f_policyUuid'),
  policySlug: holdsItself('p.slug = @f_policySlug'),
  hasPolicyUuid: `${holdsItself('p.uuid = @f_hasPolicyUuid')} OR ${holdsThroughGroup('p.uuid = @f_hasPolicyUuid')}`,
  hasPolicySlug: `${holdsItself('p.slug = @f_hasPolicySlug')} OR ${holdsThroughGroup('p.slug = @f_hasPolicySlug')}`,
};

/** The named parameters of the user's own columns, for an insert or an update. */
function userParams(user: User) {
  return {
    uuid: user.uuid,
    username: user.username ?? null,
    usernameKey: user.username == null ? null : loginKey(user.username),
    firstname: user.firstname ?? null,
    lastname: user.lastname ?? null,
    purpose: user.purpose,
    enabled: user.enabled ? 1 : 0,
    authenticationMethod: user.authenticationMethod,
  };
}

function usernameConflict(user: User) {
  return {'users.username_key': ['username', user.username ?? '']} as const;
}

export function createUserStore(db: Db): UserStore {
  const insert = db.prepare(
    `INSERT INTO users (uuid, tenant_uuid, username, username_key, firstname, lastname, purpose, enabled,
       authentication_method, password_hash)
     VALUES (@uuid, @tenantUuid, @username, @usernameKey, @firstname, @lastname, @purpose, @enabled,
       @authenticationMethod, @passwordHash)`,
  );
  const insertEmail = db.prepare(
    `INSERT INTO emails (uuid, user_uuid, address, address_key, main, confirmed)
     VALUES (@uuid, @userUuid, @address, @addressKey, @main, @confirmed)`,
  );
  const change = db.prepare(
    `UPDATE users SET username = @username, username_key = @usernameKey, firstname = @firstname,
       lastname = @lastname, purpose = @purpose, enabled = @enabled, authentication_method = @authenticationMethod
     WHERE uuid = @uuid`,
  );
  const changePassword = db.prepare<[string | null, string]>('UPDATE users SET password_hash = ? WHERE uuid = ?');
  const byUuid = db.prepare<[string], UserRow>(`SELECT ${columns} FROM users u WHERE u.uuid = ?`);
  const byUsername = db.prepare<[string], CredentialsRow>(
    `SELECT ${columns}, u.password_hash FROM users u WHERE u.username_key = ?`,
  );
  const byConfirmedEmail = db.prepare<[string], CredentialsRow>(
    `SELECT ${columns}, u.password_hash FROM emails m JOIN users u ON u.uuid = m.user_uuid
     WHERE m.address_key = ? AND m.confirmed = 1`,
  );
  // Upstream keeps unconfirmed addresses out of logins but not out of uniqueness checks.
  const loginOwners = db
    .prepare<{key: string}, string>(
      `SELECT uuid FROM users WHERE username_key = @key UNION SELECT user_uuid FROM emails WHERE address_key = @key`,
    )
    .pluck();
  // Sessions have no foreign key to users (see the schema); emails, policy and group links and
  // refresh tokens follow the user through ON DELETE CASCADE, tokens follow their sessions.
  const removeSessions = db.prepare<[string]>('DELETE FROM sessions WHERE user_uuid = ?');
  const remove = db.prepare<[string]>('DELETE FROM users WHERE uuid = ?');
  const link = db.prepare<[string, string]>(
    'INSERT INTO user_policies (user_uuid, policy_uuid) VALUES (?, ?) ON CONFLICT DO NOTHING',
  );
  const unlink = db.prepare<[string, string]>('DELETE FROM user_policies WHERE user_uuid = ? AND policy_uuid = ?');
  // Upstream puts the groups' accesses before the user's own. Membership of the all-users group
  // is not stored: it follows from the user's tenant.
  const policyAcls = db
    .prepare<{user: string}, string>(
      `SELECT p.acl FROM (
         SELECT gp.policy_uuid, 0 AS source, g.name AS group_name, g.uuid AS group_uuid, gp.rowid AS link
         FROM groups g JOIN group_policies gp ON gp.group_uuid = g.uuid
         WHERE g.uuid IN (SELECT group_uuid FROM group_users WHERE user_uuid = @user)
           OR (g.system_managed = 1 AND g.tenant_uuid = (SELECT tenant_uuid FROM users WHERE uuid = @user))
         UNION ALL
         SELECT up.policy_uuid, 1, NULL, NULL, up.rowid FROM user_policies up WHERE up.user_uuid = @user
       ) held JOIN policies p ON p.uuid = held.policy_uuid
       ORDER BY held.source, held.group_name, held.group_uuid, held.link`,
    )
    .pluck();
  const lister = (wide: boolean) => new Lister<UserRow>(db, {...userListing, from: `FROM users u WHERE ${inScope('u.tenant_uuid', wide)}`, filters: userFilters});
  const listers = {narrow: lister(false), wide: lister(true)};
  const policyLister = new Lister<PolicyRow>(db, {
    ...policyListing,
    from: 'FROM policies p JOIN user_policies held ON held.policy_uuid = p.uuid WHERE held.user_uuid = @user',
    filters: linkedPolicyFilters,
  });

  const create = db.transaction((user: User, passwordHash: string | null) => {
    try {
      insert.run({...userParams(user), tenantUuid: user.tenantUuid, passwordHash});
    } catch (error) {
      const conflict = asConflict(error, {...usernameConflict(user), 'users.uuid': ['uuid', user.uuid]});
      throw asMissingReference(conflict, `tenant ${user.tenantUuid} does not exist`);
    }
    for (const email of user.emails) {
      try {
        insertEmail.run({
          uuid: email.uuid,
          userUuid: user.uuid,
          address: email.address,
          addressKey: loginKey(email.address),
          main: email.main ? 1 : 0,
          confirmed: email.confirmed ? 1 : 0,
        });
      } catch (error) {
        throw asConflict(error, {'emails.address_key': ['email', email.address], 'emails.uuid': ['email', email.address]});
      }
    }
  });

  const removeUser = db.transaction((uuid: string): boolean => {
    removeSessions.run(uuid);
    return remove.run(uuid).changes > 0;
  });

  function get(uuid: string): User | undefined {
    const row = byUuid.get(uuid);
    return row && toUser(row);
  }

  return {
    ...createEmailQueries(db),
    async create(user: User, passwordHash: string | null): Promise<User> {
      create(user, passwordHash);
      return get(user.uuid)!;
    },
    async get(uuid: string): Promise<User | undefined> {
      return get(uuid);
    },
    async findByLogin(login: string): Promise<UserCredentials | undefined> {
      const key = loginKey(login);
      // A username wins over another user's confirmed address that happens to be equal.
      const row = byUsername.get(key) ?? byConfirmedEmail.get(key);
      return row && {user: toUser(row), passwordHash: row.password_hash};
    },
    async loginTaken(login: string, exceptUserUuid?: string): Promise<boolean> {
      return loginOwners.all({key: loginKey(login)}).some((owner) => owner !== exceptUserUuid);
    },
    async update(user: User): Promise<User> {
      let changes: number;
      try {
        changes = change.run(userParams(user)).changes;
      } catch (error) {
        throw asConflict(error, usernameConflict(user));
      }
      if (changes === 0) throw new Error(`user ${user.uuid} does not exist`);
      return get(user.uuid)!;
    },
    async setPasswordHash(uuid: string, passwordHash: string | null): Promise<void> {
      changePassword.run(passwordHash, uuid);
    },
    async delete(uuid: string): Promise<boolean> {
      return removeUser(uuid);
    },
    async list(tenantUuids: string[], params: ListParams, filters: UserFilters = {}): Promise<ListResult<User>> {
      const {total, filtered, rows} = listers[tenantUuids.length > WIDE_SCOPE ? 'wide' : 'narrow'].list({scope: uuidList(tenantUuids)}, params, {...filters});
      return {total, filtered, items: rows.map(toUser)};
    },
    async addPolicy(userUuid: string, policyUuid: string): Promise<void> {
      try {
        link.run(userUuid, policyUuid);
      } catch (error) {
        throw asMissingReference(error, `user ${userUuid} or policy ${policyUuid} does not exist`);
      }
    },
    async removePolicy(userUuid: string, policyUuid: string): Promise<void> {
      unlink.run(userUuid, policyUuid);
    },
    async listPolicies(userUuid: string, params: ListParams, filters: UserPolicyFilters = {}): Promise<ListResult<Policy>> {
      const {total, filtered, rows} = policyLister.list({user: userUuid}, params, {...filters});
      return {total, filtered, items: rows.map(toPolicy)};
    },
    async acl(userUuid: string): Promise<string[]> {
      const accesses = new Set<string>();
      for (const acl of policyAcls.all({user: userUuid})) {
        for (const access of JSON.parse(acl) as string[]) accesses.add(access);
      }
      return [...accesses];
    },
  };
}

// Users with their e-mail addresses and policy links on PostgreSQL; logins are unique and looked
// up regardless of case through the application's lower-cased keys.
import {loginKey} from '../login-key.js';
import type {AuthenticationMethod, Email, GroupMemberFilters, ListParams, ListResult, Policy, Purpose, User, UserCredentials, UserFilters, UserPolicyFilters} from '../../domain/types.js';
import type {UserStore} from '../store.js';
import {sql, type Database, type Queries} from './database.js';
import {asConflict, asMissingReference} from './errors.js';
import {Lister, searchMatches, type ListSpec} from './list.js';
import {linkedPolicyFilters, policyListing, toPolicy, type PolicyRow} from './policies.js';

export interface UserRow {
  uuid: string;
  tenant_uuid: string;
  username: string | null;
  firstname: string | null;
  lastname: string | null;
  purpose: Purpose;
  enabled: boolean;
  authentication_method: AuthenticationMethod;
  emails: Email[];
}

interface CredentialsRow extends UserRow {
  password_hash: string | null;
}

const columns = `u.uuid, u.tenant_uuid, u.username, u.firstname, u.lastname, u.purpose, u.enabled,
  u.authentication_method,
  COALESCE((SELECT json_agg(json_build_object('uuid', e.uuid, 'address', e.address, 'main', e.main, 'confirmed', e.confirmed)
     ORDER BY e.seq) FROM emails e WHERE e.user_uuid = u.uuid), '[]'::json) AS emails`;

export function toUser(row: UserRow): User {
  return {
    uuid: row.uuid,
    tenantUuid: row.tenant_uuid,
    username: row.username,
    firstname: row.firstname,
    lastname: row.lastname,
    purpose: row.purpose,
    enabled: row.enabled,
    authenticationMethod: row.authentication_method,
    emails: row.emails,
  };
}

/** Search and ordering of users, whichever scope selects them (a tenant's, a group's). */
export const userListing: Omit<ListSpec, 'from'> = {
  columns,
  search: `${searchMatches('u.username_key')} OR ${searchMatches('lower(u.firstname)')}
    OR ${searchMatches('lower(u.lastname)')}
    OR EXISTS (SELECT 1 FROM emails e WHERE e.user_uuid = u.uuid AND ${searchMatches('e.address_key')})`,
  orders: {
    username: 'u.username_key',
    firstname: 'lower(u.firstname)',
    lastname: 'lower(u.lastname)',
    uuid: 'u.uuid',
    purpose: 'u.purpose',
  },
  defaultOrder: 'username',
  tieBreak: 'u.uuid',
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
       OR (g.system_managed AND g.tenant_uuid = u.tenant_uuid)))`;

const userFilters: Readonly<Record<keyof UserFilters, string>> = {
  ...userFieldFilters,
  groupUuid: `EXISTS (SELECT 1 FROM group_users gu WHERE gu.user_uuid = u.uuid AND gu.group_uuid = @f_groupUuid)
    OR EXISTS (SELECT 1 FROM groups a WHERE a.uuid = @f_groupUuid AND a.system_managed AND a.tenant_uuid = u.tenant_uuid)`,
  policyUuid: holdsItself('p.uuid = @f_policyUuid'),
  policySlug: holdsItself('lower(p.slug) = lower(@f_policySlug)'),
  hasPolicyUuid: `${holdsItself('p.uuid = @f_hasPolicyUuid')} OR ${holdsThroughGroup('p.uuid = @f_hasPolicyUuid')}`,
  hasPolicySlug: `${holdsItself('lower(p.slug) = lower(@f_hasPolicySlug)')} OR ${holdsThroughGroup('lower(p.slug) = lower(@f_hasPolicySlug)')}`,
};

const insert = sql(
  `INSERT INTO users (uuid, tenant_uuid, username, username_key, firstname, lastname, purpose, enabled,
     authentication_method, password_hash)
   VALUES (@uuid, @tenantUuid, @username, @usernameKey, @firstname, @lastname, @purpose, @enabled,
     @authenticationMethod, @passwordHash)`,
);
const insertEmail = sql(
  `INSERT INTO emails (uuid, user_uuid, address, address_key, main, confirmed)
   VALUES (@uuid, @userUuid, @address, @addressKey, @main, @confirmed)`,
);
const removeEmails = sql('DELETE FROM emails WHERE user_uuid = @user');
const emailOwner = sql('SELECT user_uuid FROM emails WHERE uuid = @uuid');
const confirm = sql('UPDATE emails SET confirmed = true WHERE uuid = @uuid');
const change = sql(
  `UPDATE users SET username = @username, username_key = @usernameKey, firstname = @firstname,
     lastname = @lastname, purpose = @purpose, enabled = @enabled, authentication_method = @authenticationMethod
   WHERE uuid = @uuid`,
);
const changePassword = sql('UPDATE users SET password_hash = @hash WHERE uuid = @uuid');
const byUuid = sql(`SELECT ${columns} FROM users u WHERE u.uuid = @uuid`);
// A username wins over another user's confirmed address that happens to be equal.
const byLogin = sql(
  `SELECT ${columns}, u.password_hash FROM users u WHERE u.username_key = @key
   UNION ALL
   (SELECT ${columns}, u.password_hash FROM emails m JOIN users u ON u.uuid = m.user_uuid
    WHERE m.address_key = @key AND m.confirmed AND NOT EXISTS (SELECT 1 FROM users n WHERE n.username_key = @key))`,
);
// Upstream keeps unconfirmed addresses out of logins but not out of uniqueness checks.
const loginOwners = sql('SELECT uuid FROM users WHERE username_key = @key UNION SELECT user_uuid FROM emails WHERE address_key = @key');
// Sessions have no foreign key to users (see the schema); emails, policy and group links and
// refresh tokens follow the user through ON DELETE CASCADE, tokens follow their sessions.
const removeSessions = sql('DELETE FROM sessions WHERE user_uuid = @uuid');
const remove = sql('DELETE FROM users WHERE uuid = @uuid');
const link = sql('INSERT INTO user_policies (user_uuid, policy_uuid) VALUES (@user, @policy) ON CONFLICT DO NOTHING');
const unlink = sql('DELETE FROM user_policies WHERE user_uuid = @user AND policy_uuid = @policy');
// Upstream puts the groups' accesses before the user's own. Membership of the all-users group
// is not stored: it follows from the user's tenant.
const policyAcls = sql(
  `SELECT p.acl FROM (
     SELECT gp.policy_uuid, 0 AS source, g.name AS group_name, g.uuid AS group_uuid, gp.seq AS link
     FROM groups g JOIN group_policies gp ON gp.group_uuid = g.uuid
     WHERE g.uuid IN (SELECT group_uuid FROM group_users WHERE user_uuid = @user)
       OR (g.system_managed AND g.tenant_uuid = (SELECT tenant_uuid FROM users WHERE uuid = @user))
     UNION ALL
     SELECT up.policy_uuid, 1, NULL, NULL, up.seq FROM user_policies up WHERE up.user_uuid = @user
   ) held JOIN policies p ON p.uuid = held.policy_uuid
   ORDER BY held.source, held.group_name COLLATE "C", held.group_uuid, held.link`,
);

function usernameConflict(user: User) {
  return {users_username_key: ['username', user.username ?? '']} as const;
}

function emailConflict(email: Email) {
  return {emails_address_key: ['email', email.address], emails_pkey: ['email', email.address]} as const;
}

async function addEmails(q: Queries, userUuid: string, emails: readonly Email[]): Promise<void> {
  for (const email of emails) {
    try {
      await q.run(insertEmail, {
        uuid: email.uuid,
        userUuid,
        address: email.address,
        addressKey: loginKey(email.address),
        main: email.main,
        confirmed: email.confirmed,
      });
    } catch (error) {
      throw asMissingReference(asConflict(error, emailConflict(email)), `user ${userUuid} does not exist`);
    }
  }
}

export function createUserStore(db: Database): UserStore {
  const lister = new Lister<UserRow>(db, {
    ...userListing,
    from: 'FROM users u WHERE u.tenant_uuid = ANY (@scope::text[])',
    filters: userFilters,
  });
  const policyLister = new Lister<PolicyRow>(db, {
    ...policyListing,
    from: 'FROM policies p JOIN user_policies held ON held.policy_uuid = p.uuid WHERE held.user_uuid = @user',
    filters: linkedPolicyFilters,
  });

  async function get(uuid: string): Promise<User | undefined> {
    const row = await db.row<UserRow>(byUuid, {uuid});
    return row && toUser(row);
  }

  /** The named parameters of the user's own columns, for an insert or an update. */
  const userParams = (user: User) => ({
    uuid: user.uuid,
    username: user.username ?? null,
    usernameKey: user.username == null ? null : loginKey(user.username),
    firstname: user.firstname ?? null,
    lastname: user.lastname ?? null,
    purpose: user.purpose,
    enabled: user.enabled,
    authenticationMethod: user.authenticationMethod,
  });

  return {
    async create(user: User, passwordHash: string | null): Promise<User> {
      await db.transaction(async (tx) => {
        try {
          await tx.run(insert, {...userParams(user), tenantUuid: user.tenantUuid, passwordHash});
        } catch (error) {
          const conflict = asConflict(error, {...usernameConflict(user), users_pkey: ['uuid', user.uuid]});
          throw asMissingReference(conflict, `tenant ${user.tenantUuid} does not exist`);
        }
        await addEmails(tx, user.uuid, user.emails);
      });
      return (await get(user.uuid))!;
    },
    get,
    async findByLogin(login: string): Promise<UserCredentials | undefined> {
      const row = await db.row<CredentialsRow>(byLogin, {key: loginKey(login)});
      return row && {user: toUser(row), passwordHash: row.password_hash};
    },
    async loginTaken(login: string, exceptUserUuid?: string): Promise<boolean> {
      const owners = await db.rows<{uuid: string}>(loginOwners, {key: loginKey(login)});
      return owners.some((owner) => owner.uuid !== exceptUserUuid);
    },
    async update(user: User): Promise<User> {
      let changes: number;
      try {
        changes = await db.run(change, userParams(user));
      } catch (error) {
        throw asConflict(error, usernameConflict(user));
      }
      if (changes === 0) throw new Error(`user ${user.uuid} does not exist`);
      return (await get(user.uuid))!;
    },
    async setPasswordHash(uuid: string, passwordHash: string | null): Promise<void> {
      await db.run(changePassword, {uuid, hash: passwordHash});
    },
    async delete(uuid: string): Promise<boolean> {
      return db.transaction(async (tx) => {
        await tx.run(removeSessions, {uuid});
        return (await tx.run(remove, {uuid})) > 0;
      });
    },
    async list(tenantUuids: string[], params: ListParams, filters: UserFilters = {}): Promise<ListResult<User>> {
      const {total, filtered, rows} = await lister.list({scope: tenantUuids}, params, {...filters});
      return {total, filtered, items: rows.map(toUser)};
    },
    async addPolicy(userUuid: string, policyUuid: string): Promise<void> {
      try {
        await db.run(link, {user: userUuid, policy: policyUuid});
      } catch (error) {
        throw asMissingReference(error, `user ${userUuid} or policy ${policyUuid} does not exist`);
      }
    },
    async removePolicy(userUuid: string, policyUuid: string): Promise<void> {
      await db.run(unlink, {user: userUuid, policy: policyUuid});
    },
    async listPolicies(userUuid: string, params: ListParams, filters: UserPolicyFilters = {}): Promise<ListResult<Policy>> {
      const {total, filtered, rows} = await policyLister.list({user: userUuid}, params, {...filters});
      return {total, filtered, items: rows.map(toPolicy)};
    },
    async acl(userUuid: string): Promise<string[]> {
      const accesses = new Set<string>();
      for (const {acl} of await db.rows<{acl: string[]}>(policyAcls, {user: userUuid})) {
        for (const access of acl) accesses.add(access);
      }
      return [...accesses];
    },
    async setEmails(userUuid: string, emails: Email[]): Promise<void> {
      await db.transaction(async (tx) => {
        await tx.run(removeEmails, {user: userUuid});
        await addEmails(tx, userUuid, emails);
      });
    },
    async emailOwner(emailUuid: string): Promise<string | undefined> {
      return (await db.row<{user_uuid: string}>(emailOwner, {uuid: emailUuid}))?.user_uuid;
    },
    async confirmEmail(emailUuid: string): Promise<void> {
      await db.run(confirm, {uuid: emailUuid});
    },
  };
}

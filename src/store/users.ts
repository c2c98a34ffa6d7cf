// Users with their e-mail addresses and policy links; logins are unique and looked up regardless
// of case through the application's lower-cased keys (src/store/login-key.ts).
import {sql, type Kysely} from 'kysely';
import type {
  AuthenticationMethod,
  Email,
  GroupMemberFilters,
  ListParams,
  ListResult,
  Policy,
  Purpose,
  User,
  UserCredentials,
  UserFilters,
  UserPolicyFilters,
} from '../domain/types.js';
import type {StoreContext} from './context.js';
import type {Dialect} from './dialect.js';
import {like, list, type ListSpec, type Query} from './list.js';
import type {FilterValue} from './list-params.js';
import {loginKey} from './login-key.js';
import {linkedPolicyFilters, policyListing, toPolicy, type PolicyRow} from './policies.js';
import type {UserStore} from './store.js';
import type {Tables} from './tables.js';

export interface UserRow {
  uuid: string;
  tenant_uuid: string;
  username: string | null;
  firstname: string | null;
  lastname: string | null;
  purpose: Purpose;
  enabled: boolean | number;
  authentication_method: AuthenticationMethod;
  emails: string | {uuid: string; address: string; main: boolean | number; confirmed: boolean | number}[];
}

type Filter = (value: FilterValue) => ReturnType<typeof sql<boolean>>;

/** The columns of user `u`, its e-mail addresses in the order they were given. */
export function userColumns(dialect: Dialect) {
  return (query: Query): Query =>
    query.select((eb) => [
      'u.uuid',
      'u.tenant_uuid',
      'u.username',
      'u.firstname',
      'u.lastname',
      'u.purpose',
      'u.enabled',
      'u.authentication_method',
      dialect
        .jsonArrayFrom(
          eb
            .selectFrom('emails as e')
            .select(['e.uuid', 'e.address', 'e.main', 'e.confirmed'])
            .whereRef('e.user_uuid', '=', 'u.uuid')
            .orderBy(dialect.insertionOrder('e')),
        )
        .as('emails'),
    ]);
}

export function toUser(row: UserRow, dialect: Dialect): User {
  const emails = dialect
    .fromJson(row.emails)
    .map((email): Email => ({uuid: email.uuid, address: email.address, main: Boolean(email.main), confirmed: Boolean(email.confirmed)}));
  return {
    uuid: row.uuid,
    tenantUuid: row.tenant_uuid,
    username: row.username,
    firstname: row.firstname,
    lastname: row.lastname,
    purpose: row.purpose,
    enabled: Boolean(row.enabled),
    authenticationMethod: row.authentication_method,
    emails,
  };
}

/** Search and ordering of users `u`, whichever scope selects them (a tenant's, a group's). */
export function userListing(db: Kysely<Tables>, dialect: Dialect): Omit<ListSpec<UserRow>, 'from'> {
  const columns = userColumns(dialect);
  return {
    columns,
    search: (pattern) =>
      sql`${like(sql.ref('u.username_key'), pattern)} OR ${like(dialect.lower(sql.ref('u.firstname')), pattern)}
        OR ${like(dialect.lower(sql.ref('u.lastname')), pattern)}
        OR EXISTS (SELECT 1 FROM emails e WHERE e.user_uuid = u.uuid AND ${like(sql.ref('e.address_key'), pattern)})`,
    orders: {
      username: sql.ref('u.username_key'),
      firstname: dialect.caseless(sql.ref('u.firstname')),
      lastname: dialect.caseless(sql.ref('u.lastname')),
      uuid: sql.ref('u.uuid'),
      purpose: sql.ref('u.purpose'),
    },
    defaultOrder: 'username',
    tieBreak: sql.ref('u.uuid'),
    keysFirst: {
      key: sql.ref('u.uuid'),
      rows: async (keys) =>
        (await columns(db.selectFrom('users as u').where(dialect.inList(sql.ref('u.uuid'), keys)))
          .select(sql<string>`u.uuid`.as('late_key'))
          .execute()) as (UserRow & {late_key: string})[],
    },
  };
}

/** Exact-match filters on the user's own fields, for any list of users (a tenant's, a group's). */
export const userFieldFilters: Readonly<Record<keyof GroupMemberFilters, Filter>> = {
  uuid: (value) => sql`u.uuid = ${value}`,
  username: (value) => sql`u.username = ${value}`,
  firstname: (value) => sql`u.firstname = ${value}`,
  lastname: (value) => sql`u.lastname = ${value}`,
  purpose: (value) => sql`u.purpose = ${value}`,
  emailAddress: (value) => sql`EXISTS (SELECT 1 FROM emails e WHERE e.user_uuid = u.uuid AND e.address = ${value})`,
};

function userFilters(dialect: Dialect): Readonly<Record<keyof UserFilters, Filter>> {
  /** User `u` holds, itself, a policy `p` meeting `condition`. */
  const holdsItself = (condition: unknown) =>
    sql<boolean>`EXISTS (SELECT 1 FROM user_policies up JOIN policies p ON p.uuid = up.policy_uuid
      WHERE up.user_uuid = u.uuid AND ${condition})`;
  /** A group of user `u`, its tenant's all-users group included, holds a policy `p` meeting `condition`. */
  const holdsThroughGroup = (condition: unknown) =>
    sql<boolean>`EXISTS (SELECT 1 FROM group_policies gp JOIN groups g ON g.uuid = gp.group_uuid JOIN policies p ON p.uuid = gp.policy_uuid
      WHERE ${condition} AND (g.uuid IN (SELECT gu.group_uuid FROM group_users gu WHERE gu.user_uuid = u.uuid)
        OR (g.system_managed = ${true} AND g.tenant_uuid = u.tenant_uuid)))`;
  const slugIs = (value: FilterValue) => dialect.caselessIn(sql.ref('p.slug'), [value as string]);
  return {
    ...userFieldFilters,
    groupUuid: (value) =>
      sql`EXISTS (SELECT 1 FROM group_users gu WHERE gu.user_uuid = u.uuid AND gu.group_uuid = ${value})
        OR EXISTS (SELECT 1 FROM groups a WHERE a.uuid = ${value} AND a.system_managed = ${true} AND a.tenant_uuid = u.tenant_uuid)`,
    policyUuid: (value) => holdsItself(sql`p.uuid = ${value}`),
    policySlug: (value) => holdsItself(slugIs(value)),
    hasPolicyUuid: (value) => sql`${holdsItself(sql`p.uuid = ${value}`)} OR ${holdsThroughGroup(sql`p.uuid = ${value}`)}`,
    hasPolicySlug: (value) => sql`${holdsItself(slugIs(value))} OR ${holdsThroughGroup(slugIs(value))}`,
  };
}

/** The user's own columns, for an insert or an update. */
function userValues(user: User) {
  return {
    username: user.username ?? null,
    username_key: user.username == null ? null : loginKey(user.username),
    firstname: user.firstname ?? null,
    lastname: user.lastname ?? null,
    purpose: user.purpose,
    enabled: user.enabled,
    authentication_method: user.authenticationMethod,
  };
}

export function createUserStore({db, dialect}: StoreContext): UserStore {
  const columns = userColumns(dialect);
  const listing = userListing(db, dialect);
  const filters = userFilters(dialect);

  async function get(uuid: string): Promise<User | undefined> {
    const row = (await columns(db.selectFrom('users as u').where('u.uuid', '=', uuid)).executeTakeFirst()) as UserRow | undefined;
    return row && toUser(row, dialect);
  }

  async function addEmails(trx: Kysely<Tables>, userUuid: string, emails: readonly Email[]): Promise<void> {
    for (const email of emails) {
      try {
        await trx
          .insertInto('emails')
          .values({
            uuid: email.uuid,
            user_uuid: userUuid,
            address: email.address,
            address_key: loginKey(email.address),
            main: email.main,
            confirmed: email.confirmed,
          })
          .execute();
      } catch (error) {
        const conflict = dialect.asConflict(error, {'emails.address_key': ['email', email.address], 'emails.uuid': ['email', email.address]});
        throw dialect.asMissingReference(conflict, `user ${userUuid} does not exist`);
      }
    }
  }

  const usernameConflict = (user: User) => ({'users.username_key': ['username', user.username ?? '']}) as const;

  return {
    async create(user: User, passwordHash: string | null): Promise<User> {
      await db.transaction().execute(async (trx) => {
        try {
          await trx
            .insertInto('users')
            .values({uuid: user.uuid, tenant_uuid: user.tenantUuid, password_hash: passwordHash, ...userValues(user)})
            .execute();
        } catch (error) {
          const conflict = dialect.asConflict(error, {...usernameConflict(user), 'users.uuid': ['uuid', user.uuid]});
          throw dialect.asMissingReference(conflict, `tenant ${user.tenantUuid} does not exist`);
        }
        await addEmails(trx, user.uuid, user.emails);
      });
      return (await get(user.uuid))!;
    },
    get,
    async findByLogin(login: string): Promise<UserCredentials | undefined> {
      const key = loginKey(login);
      const withHash = (query: Query) => columns(query).select('u.password_hash');
      // A username wins over another user's confirmed address that happens to be equal.
      const row =
        ((await withHash(db.selectFrom('users as u').where('u.username_key', '=', key)).executeTakeFirst()) as
          | (UserRow & {password_hash: string | null})
          | undefined) ??
        ((await withHash(
          db.selectFrom('emails as m').innerJoin('users as u', 'u.uuid', 'm.user_uuid').where('m.address_key', '=', key).where('m.confirmed', '=', true),
        ).executeTakeFirst()) as (UserRow & {password_hash: string | null}) | undefined);
      return row && {user: toUser(row, dialect), passwordHash: row.password_hash};
    },
    async loginTaken(login: string, exceptUserUuid?: string): Promise<boolean> {
      // Upstream keeps unconfirmed addresses out of logins but not out of uniqueness checks.
      const key = loginKey(login);
      const owners = await db
        .selectFrom('users')
        .select('uuid')
        .where('username_key', '=', key)
        .union(db.selectFrom('emails').select('user_uuid as uuid').where('address_key', '=', key))
        .execute();
      return owners.some((owner) => owner.uuid !== exceptUserUuid);
    },
    async update(user: User): Promise<User> {
      let changed: bigint;
      try {
        changed = (await db.updateTable('users').set(userValues(user)).where('uuid', '=', user.uuid).executeTakeFirst()).numUpdatedRows;
      } catch (error) {
        throw dialect.asConflict(error, usernameConflict(user));
      }
      if (Number(changed) === 0) throw new Error(`user ${user.uuid} does not exist`);
      return (await get(user.uuid))!;
    },
    async setPasswordHash(uuid: string, passwordHash: string | null): Promise<void> {
      await db.updateTable('users').set({password_hash: passwordHash}).where('uuid', '=', uuid).execute();
    },
    async delete(uuid: string): Promise<boolean> {
      // Sessions have no foreign key to users (see the schema); emails, policy and group links and
      // refresh tokens follow the user through ON DELETE CASCADE, tokens follow their sessions.
      return db.transaction().execute(async (trx) => {
        await trx.deleteFrom('sessions').where('user_uuid', '=', uuid).execute();
        return Number((await trx.deleteFrom('users').where('uuid', '=', uuid).executeTakeFirst()).numDeletedRows) > 0;
      });
    },
    async list(tenantUuids: string[], params: ListParams, given: UserFilters = {}): Promise<ListResult<User>> {
      const from = db.selectFrom('users as u').where(dialect.inList(sql.ref('u.tenant_uuid'), tenantUuids, {wideScan: true}));
      const {total, filtered, rows} = await list<UserRow>({...listing, from, filters}, params, {...given}, dialect);
      return {total, filtered, items: rows.map((row) => toUser(row, dialect))};
    },
    async addPolicy(userUuid: string, policyUuid: string): Promise<void> {
      try {
        await db
          .insertInto('user_policies')
          .values({user_uuid: userUuid, policy_uuid: policyUuid})
          .onConflict((c) => c.doNothing())
          .execute();
      } catch (error) {
        throw dialect.asMissingReference(error, `user ${userUuid} or policy ${policyUuid} does not exist`);
      }
    },
    async removePolicy(userUuid: string, policyUuid: string): Promise<void> {
      await db.deleteFrom('user_policies').where('user_uuid', '=', userUuid).where('policy_uuid', '=', policyUuid).execute();
    },
    async listPolicies(userUuid: string, params: ListParams, given: UserPolicyFilters = {}): Promise<ListResult<Policy>> {
      const from = db.selectFrom('policies as p').innerJoin('user_policies as held', 'held.policy_uuid', 'p.uuid').where('held.user_uuid', '=', userUuid);
      const {total, filtered, rows} = await list<PolicyRow>({...policyListing(dialect), from, filters: linkedPolicyFilters}, params, {...given}, dialect);
      return {total, filtered, items: rows.map((row) => toPolicy(row, dialect))};
    },
    async acl(userUuid: string): Promise<string[]> {
      // Upstream puts the groups' accesses before the user's own. Membership of the all-users
      // group is not stored: it follows from the user's tenant.
      const {rows} = await sql<{acl: string[] | string}>`SELECT p.acl FROM (
          SELECT gp.policy_uuid, 0 AS source, g.name AS group_name, g.uuid AS group_uuid, ${dialect.insertionOrder('gp')} AS link
          FROM groups g JOIN group_policies gp ON gp.group_uuid = g.uuid
          WHERE g.uuid IN (SELECT group_uuid FROM group_users WHERE user_uuid = ${userUuid})
            OR (g.system_managed = ${true} AND g.tenant_uuid = (SELECT tenant_uuid FROM users WHERE uuid = ${userUuid}))
          UNION ALL
          SELECT up.policy_uuid, 1, NULL, NULL, ${dialect.insertionOrder('up')} FROM user_policies up WHERE up.user_uuid = ${userUuid}
        ) held JOIN policies p ON p.uuid = held.policy_uuid
        ORDER BY held.source, ${dialect.bytewise(sql.ref('held.group_name'))}, held.group_uuid, held.link`.execute(db);
      const accesses = new Set<string>();
      for (const row of rows) for (const access of dialect.fromJson(row.acl)) accesses.add(access);
      return [...accesses];
    },
    async setEmails(userUuid: string, emails: Email[]): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('emails').where('user_uuid', '=', userUuid).execute();
        await addEmails(trx, userUuid, emails);
      });
    },
    async emailOwner(emailUuid: string): Promise<string | undefined> {
      return (await db.selectFrom('emails').select('user_uuid').where('uuid', '=', emailUuid).executeTakeFirst())?.user_uuid;
    },
    async confirmEmail(emailUuid: string): Promise<void> {
      await db.updateTable('emails').set({confirmed: true}).where('uuid', '=', emailUuid).execute();
    },
  };
}

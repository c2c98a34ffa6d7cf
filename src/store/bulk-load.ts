// Whole tables written at once, in one transaction: what `wazo-auth db import` writes into the
// configured database. The rows come ready-made (src/daemon/import/); this module knows only how
// to write many of them quickly on either engine, and checks that every one landed.
import {sql, type Insertable} from 'kysely';
import type {StoreContext} from './context.js';
import type {Tables} from './tables.js';

/** The tables an import fills, parents before children: the order of the writes. */
export const LOAD_TABLES = [
  'tenants',
  'tenant_domains',
  'users',
  'emails',
  'policies',
  'user_policies',
  'groups',
  'group_users',
  'group_policies',
  'ldap_configs',
  'saml_configs',
  'external_auth_configs',
  'user_external_auths',
  'refresh_tokens',
  'sessions',
  'tokens',
] as const;

export type LoadTable = (typeof LOAD_TABLES)[number];

/** JSON columns hold values here; the loader writes them as the engine keeps JSON. */
type JsonValues<T, K extends keyof T> = Omit<T, K> & {[P in K]: unknown};

export interface LoadRows {
  tenants: Insertable<Tables['tenants']>[];
  tenant_domains: Insertable<Tables['tenant_domains']>[];
  users: Insertable<Tables['users']>[];
  emails: Insertable<Tables['emails']>[];
  policies: JsonValues<Insertable<Tables['policies']>, 'acl'>[];
  user_policies: Insertable<Tables['user_policies']>[];
  groups: Insertable<Tables['groups']>[];
  group_users: Insertable<Tables['group_users']>[];
  group_policies: Insertable<Tables['group_policies']>[];
  ldap_configs: Insertable<Tables['ldap_configs']>[];
  saml_configs: Insertable<Tables['saml_configs']>[];
  external_auth_configs: Insertable<Tables['external_auth_configs']>[];
  user_external_auths: Insertable<Tables['user_external_auths']>[];
  refresh_tokens: Insertable<Tables['refresh_tokens']>[];
  sessions: Insertable<Tables['sessions']>[];
  tokens: JsonValues<Insertable<Tables['tokens']>, 'acl' | 'metadata'>[];
}

export type TableCounts = Record<LoadTable, number>;

/** What the target already holds that an import may clash with. */
export interface TargetKeys {
  tenants: {uuid: string; slug: string; parent_uuid: string; name: string | null}[];
  tenant_domains: {uuid: string; name: string}[];
  users: {uuid: string; username_key: string | null}[];
  emails: {uuid: string; address_key: string}[];
  policies: {uuid: string; tenant_uuid: string; name: string; slug: string; config_managed: boolean}[];
  groups: {uuid: string; tenant_uuid: string; name: string; slug: string; system_managed: boolean}[];
  user_policies: {user_uuid: string; policy_uuid: string}[];
  group_users: {group_uuid: string; user_uuid: string}[];
  group_policies: {group_uuid: string; policy_uuid: string}[];
  ldap_configs: {tenant_uuid: string}[];
  saml_configs: {tenant_uuid: string}[];
  external_auth_configs: {tenant_uuid: string; type: string}[];
  user_external_auths: {user_uuid: string; type: string}[];
  refresh_tokens: {uuid: string; user_uuid: string; client_id: string}[];
  sessions: {uuid: string}[];
  tokens: {digest: string}[];
}

export interface LoadOptions {
  /** Tenants removed first, with all they hold (what a daemon's start made in an otherwise empty database). */
  removeTenants: string[];
  /** meta rows written when absent; a different value present throws MetaMismatch. */
  metaIfAbsent: Record<string, string>;
  /** Runs it all, then rolls back. */
  dryRun: boolean;
  onProgress?: (table: LoadTable, done: number, total: number) => void;
}

/** The rows a table gained differ from the rows written: the transaction is rolled back. */
export class LoadMismatch extends Error {}

/** A meta row of the target holds another value than the one the import needs. */
export class MetaMismatch extends Error {
  constructor(readonly key: string) {
    super(`meta ${key} differs`);
  }
}

/** Thrown to roll a dry run back, carrying the counts it would have left. */
class DryRunDone extends Error {
  constructor(readonly after: TableCounts) {
    super('dry run');
  }
}

/** Parameters per statement, under SQLite's 32 766 and PostgreSQL's 65 535. */
const PARAMETERS = 30_000;

export interface BulkLoader {
  counts(): Promise<TableCounts>;
  keys(): Promise<TargetKeys>;
  /** Writes every row in one transaction and returns the counts after it (those it would leave, on a dry run). */
  load(rows: LoadRows, options: LoadOptions): Promise<TableCounts>;
}

export function createBulkLoader({db, dialect}: StoreContext): BulkLoader {
  type Db = typeof db;
  const countAll = async (on: Db): Promise<TableCounts> => {
    const counts = {} as TableCounts;
    for (const table of LOAD_TABLES) {
      const row = await on.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      counts[table] = Number(row.n);
    }
    return counts;
  };

  const stored = (table: LoadTable, row: Record<string, unknown>): Record<string, unknown> => {
    if (table === 'policies') return {...row, acl: dialect.toJson(row.acl)};
    if (table === 'tokens') return {...row, acl: dialect.toJson(row.acl), metadata: dialect.toJson(row.metadata)};
    return row;
  };

  return {
    counts: () => countAll(db),

    async keys() {
      const flag = (value: boolean | number) => Boolean(value);
      return {
        tenants: await db.selectFrom('tenants').select(['uuid', 'slug', 'parent_uuid', 'name']).execute(),
        tenant_domains: await db.selectFrom('tenant_domains').select(['uuid', 'name']).execute(),
        users: await db.selectFrom('users').select(['uuid', 'username_key']).execute(),
        emails: await db.selectFrom('emails').select(['uuid', 'address_key']).execute(),
        policies: (await db.selectFrom('policies').select(['uuid', 'tenant_uuid', 'name', 'slug', 'config_managed']).execute()).map((row) => ({
          ...row,
          config_managed: flag(row.config_managed),
        })),
        groups: (await db.selectFrom('groups').select(['uuid', 'tenant_uuid', 'name', 'slug', 'system_managed']).execute()).map((row) => ({
          ...row,
          system_managed: flag(row.system_managed),
        })),
        user_policies: await db.selectFrom('user_policies').select(['user_uuid', 'policy_uuid']).execute(),
        group_users: await db.selectFrom('group_users').select(['group_uuid', 'user_uuid']).execute(),
        group_policies: await db.selectFrom('group_policies').select(['group_uuid', 'policy_uuid']).execute(),
        ldap_configs: await db.selectFrom('ldap_configs').select(['tenant_uuid']).execute(),
        saml_configs: await db.selectFrom('saml_configs').select(['tenant_uuid']).execute(),
        external_auth_configs: await db.selectFrom('external_auth_configs').select(['tenant_uuid', 'type']).execute(),
        user_external_auths: await db.selectFrom('user_external_auths').select(['user_uuid', 'type']).execute(),
        refresh_tokens: await db.selectFrom('refresh_tokens').select(['uuid', 'user_uuid', 'client_id']).execute(),
        sessions: await db.selectFrom('sessions').select(['uuid']).execute(),
        tokens: await db.selectFrom('tokens').select(['digest']).execute(),
      };
    },

    async load(rows, options) {
      try {
        return await dialect.writeTransaction(db, async (trx) => {
          // Held to the end: a daemon starting meanwhile would write its own key checks.
          await dialect.lockTable(trx, 'meta');
          for (const [key, value] of Object.entries(options.metaIfAbsent)) {
            const kept = await trx.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
            if (!kept) await trx.insertInto('meta').values({key, value}).execute();
            else if (kept.value !== value) throw new MetaMismatch(key);
          }
          if (options.removeTenants.length > 0) {
            // The tenants' rows go with them (ON DELETE CASCADE); a top tenant is its own parent, and
            // the contact link points at users about to go.
            await trx.updateTable('tenants').set({contact_uuid: null}).where('uuid', 'in', options.removeTenants).execute();
            await trx.deleteFrom('tenants').where('uuid', 'in', options.removeTenants).execute();
          }
          const before = await countAll(trx);
          for (const table of LOAD_TABLES) {
            const list = rows[table] as Record<string, unknown>[];
            // A tenant's contact is a user written after it: set once the users are in.
            const written = table === 'tenants' ? list.map((row) => ({...row, contact_uuid: null})) : list;
            const columns = written[0] ? Object.keys(written[0]).length : 1;
            const perStatement = Math.max(1, Math.floor(PARAMETERS / columns));
            for (let start = 0; start < written.length; start += perStatement) {
              const chunk = written.slice(start, start + perStatement).map((row) => stored(table, row));
              await trx
                .insertInto(table)
                .values(chunk as never)
                .execute();
              options.onProgress?.(table, Math.min(start + perStatement, written.length), written.length);
            }
            if (written.length === 0) options.onProgress?.(table, 0, 0);
          }
          for (const tenant of rows.tenants.filter((row) => row.contact_uuid)) {
            await trx.updateTable('tenants').set({contact_uuid: tenant.contact_uuid}).where('uuid', '=', tenant.uuid).execute();
          }
          const after = await countAll(trx);
          const wrong = LOAD_TABLES.filter((table) => after[table] - before[table] !== rows[table].length);
          if (wrong.length > 0) {
            const detail = wrong.map((table) => `${table}: ${rows[table].length} written, ${after[table] - before[table]} more rows`).join('; ');
            throw new LoadMismatch(`the rows written and the rows found differ (${detail})`);
          }
          if (options.dryRun) throw new DryRunDone(after);
          return after;
        });
      } catch (error) {
        if (error instanceof DryRunDone) return error.after;
        throw error;
      }
    },
  };
}

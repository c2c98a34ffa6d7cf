// Every difference between the two engines the store runs on, in one place: the entity modules
// (src/store/tenants.ts, ...) are written once against Kysely and ask this module whenever SQLite
// and PostgreSQL need different SQL or a different reading of what comes back.
import Database from 'better-sqlite3';
import {sql, type Expression, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool} from 'kysely';
import {jsonArrayFrom as postgresJsonArray} from 'kysely/helpers/postgres';
import {jsonArrayFrom as sqliteJsonArray} from 'kysely/helpers/sqlite';
import {ConflictError} from '../domain/errors.js';
import {jsonParam} from './postgres/storable.js';
import type {Tables} from './tables.js';

export type Engine = 'sqlite' | 'postgresql';

/** `table.column` of a unique constraint -> the API field and the value at fault. */
export type ConflictFields = Record<string, readonly [field: string, value: string]>;

export interface Dialect {
  readonly engine: Engine;
  /**
   * Lower-cases text in every script: PostgreSQL's lower() does; SQLite's folds ASCII only, so
   * there it is unicode_lower(), a function each connection registers (src/store/sqlite/database.ts).
   */
  lower(value: Expression<string | null>): RawBuilder<string>;
  /**
   * The key to order names by regardless of case: SQLite's NOCASE collation (which its indexes
   * use), PostgreSQL's lower().
   */
  caseless(value: Expression<string | null>): RawBuilder<string>;
  /**
   * `column` equals one of `values` regardless of case, as the unique constraint of such a column
   * has it: SQLite's NOCASE collation of the column (ASCII), PostgreSQL's lower() index.
   */
  caselessIn(column: Expression<string>, values: readonly string[]): RawBuilder<SqlBool>;
  /**
   * `value IN values`, the list bound as one parameter so that the SQL text (and the statement
   * SQLite keeps prepared) is the same whatever its length. `wideScan` for a scope column: see WIDE_SCOPE.
   */
  inList(value: Expression<string>, values: readonly string[], options?: {wideScan?: boolean}): RawBuilder<SqlBool>;
  /** A JSON value to write (json/jsonb on PostgreSQL, text on SQLite). */
  toJson(value: unknown): string;
  /** A JSON value read back: parsed already by PostgreSQL's driver, text on SQLite. */
  fromJson<T>(value: T | string): T;
  /**
   * The order in which a table's rows were inserted, for the tables that show rows that way:
   * SQLite's rowid, the identity column `seq` on PostgreSQL. `alias` is the table or its alias.
   */
  insertionOrder(alias: string): RawBuilder<number>;
  /** An aggregate of `value` in `order` as a list (read it with readList): json_group_array vs array_agg. */
  listAgg(value: Expression<string>, order: Expression<unknown>): RawBuilder<string[] | string>;
  readList(value: string[] | string | null): string[];
  /** The rows of `query` (in its order) as one JSON array of objects; read it with fromJson. Flags come back as 0/1 on SQLite. */
  jsonArrayFrom<O>(query: SelectQueryBuilder<Tables, keyof Tables, O>): RawBuilder<O[] | string>;
  /**
   * A flag column is set, written as the schema's partial indexes write it (`= 1` on SQLite, the
   * bare column on PostgreSQL), so that ON CONFLICT finds the index.
   */
  isSet(column: Expression<unknown>): RawBuilder<SqlBool>;
  /** Compares text byte by byte, whatever the database's collation: SQLite's default, PostgreSQL's "C". */
  bytewise(value: Expression<string | null>): RawBuilder<string>;
  /** The ConflictError for a unique violation on one of `fields`, else the error unchanged. */
  asConflict(error: unknown, fields: ConflictFields): unknown;
  /** A plain error naming what is missing, instead of the engine's anonymous foreign-key failure. */
  asMissingReference(error: unknown, message: string): unknown;
  /**
   * The statement an atomic section or a transaction declared 'read write' begins with
   * (src/store/atomic.ts), when not Kysely's BEGIN: SQLite's BEGIN IMMEDIATE takes the file's
   * write lock at once, so that a transaction that reads then writes never fails to upgrade its
   * lock. Other SQLite transactions stay deferred: one that writes nothing locks nothing.
   */
  readonly writeBegin: string | undefined;
  /**
   * Runs `body` in a transaction that others cannot write beside: SQLite's holds the file's write
   * lock (writeBegin); PostgreSQL runs a plain transaction whose rows are locked by forUpdate()
   * and lockTable(). Within an atomic section, a savepoint of the section's transaction.
   */
  writeTransaction<T>(db: Kysely<Tables>, body: (trx: Kysely<Tables>) => Promise<T>): Promise<T>;
  /**
   * Runs `body` unless another daemon of the database runs a body under the same `key` right now
   * (then `busy`): PostgreSQL's transaction-scoped advisory lock, tried, not waited for, and let
   * go with the transaction even when its daemon dies; on SQLite the file has one daemon
   * (src/store/sqlite/daemon-lock.ts), so `body` runs outside any transaction, holding nothing
   * while it awaits others.
   */
  exclusively<T>(db: Kysely<Tables>, key: number, busy: T, body: (trx: Kysely<Tables>) => Promise<T>): Promise<T>;
  /**
   * Locks the selected rows until the transaction ends (FOR UPDATE, with SKIP LOCKED: rows another
   * transaction holds are left out rather than waited for). Nothing on SQLite, where a
   * writeTransaction holds the whole file.
   */
  forUpdate<Q extends SelectQueryBuilder<Tables, keyof Tables, object>>(query: Q, options?: {skipLocked?: boolean}): Q;
  /** Keeps other writers off a table until the transaction ends (PostgreSQL); a writeTransaction does on SQLite. */
  lockTable(trx: Kysely<Tables>, table: keyof Tables): Promise<void>;
  /** Whether a listing's page should be chosen on its keys first, its costly columns computed for that page only. */
  readonly keysFirst: boolean;
  /** The LIMIT that means none: SQLite's -1, PostgreSQL's NULL. */
  readonly noLimit: number | null;
  /**
   * Written after a table in FROM: makes SQLite walk it through `index` (its statistics can make a
   * good index look useless); nothing on PostgreSQL.
   */
  indexedBy(index: string): RawBuilder<unknown>;
}

/**
 * A scope of more tenants than this is checked on each row of a scan (SQLite builds a Bloom
 * filter of it) instead of driving one index lookup per tenant: with 5 000 tenants, a page of
 * users costs 10 ms instead of 17.
 */
const WIDE_SCOPE = 256;

export const sqliteDialect: Dialect = {
  engine: 'sqlite',
  lower: (value) => sql<string>`unicode_lower(${value})`,
  caseless: (value) => sql<string>`${value} COLLATE NOCASE`,
  // The column's own collation (NOCASE) decides: it is the left operand.
  caselessIn: (column, values) => sql<SqlBool>`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`,
  inList(value, values, options = {}) {
    // `+column` keeps the column's index out: the list is then checked on each row of a scan.
    const wide = options.wideScan === true && values.length > WIDE_SCOPE;
    return sql<SqlBool>`${wide ? sql`+` : sql``}${value} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
  },
  toJson: (value) => JSON.stringify(value),
  fromJson: <T>(value: T | string) => JSON.parse(value as string) as T,
  insertionOrder: (alias) => sql<number>`${sql.raw(alias)}.rowid`,
  listAgg: (value, order) => sql<string>`json_group_array(${value} ORDER BY ${order})`,
  readList: (value) => (value === null ? [] : (JSON.parse(value as string) as string[])),
  jsonArrayFrom: (query) => sqliteJsonArray(query) as unknown as RawBuilder<never>,
  bytewise: (value) => sql<string>`${value}`,
  isSet: (column) => sql<SqlBool>`${column} = 1`,
  asConflict(error, fields) {
    if (!(error instanceof Database.SqliteError)) return error;
    if (error.code !== 'SQLITE_CONSTRAINT_UNIQUE' && error.code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return error;
    // "UNIQUE constraint failed: policies.tenant_uuid, policies.name"
    const columns =
      /constraint failed: (.+)$/
        .exec(error.message)?.[1]
        ?.split(',')
        .map((column) => column.trim()) ?? [];
    return conflictOn(columns, fields) ?? error;
  },
  asMissingReference(error, message) {
    return error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' ? new Error(message) : error;
  },
  writeBegin: 'BEGIN IMMEDIATE',
  // One connection: Kysely's own queue keeps every other query out until this one ends.
  writeTransaction: (db, body) => db.transaction().setAccessMode('read write').execute(body),
  exclusively: (db, _key, _busy, body) => body(db),
  forUpdate: (query) => query,
  lockTable: async () => undefined,
  // SQLite would compute the subquery columns of every row it sorts, skipped rows included
  // (10 000 users: 41 ms, not 17).
  keysFirst: true,
  noLimit: -1,
  indexedBy: (index) => sql`INDEXED BY ${sql.id(index)}`,
};

/**
 * An error the PostgreSQL server reported with this SQLSTATE. Read off the error rather than
 * checked against pg's class: pg is loaded only for a PostgreSQL store, and only its errors carry
 * a five-character state with the table at fault.
 */
function hasSqlState(error: unknown, state: string): error is Error & {code: string; table?: string; detail?: string} {
  return error instanceof Error && (error as {code?: unknown}).code === state;
}

export const postgresDialect: Dialect = {
  engine: 'postgresql',
  lower: (value) => sql<string>`lower(${value})`,
  caseless: (value) => sql<string>`lower(${value})`,
  caselessIn: (column, values) => sql<SqlBool>`lower(${column}) = ANY (SELECT lower(n) FROM unnest(${values}::text[]) n)`,
  inList: (value, values) => sql<SqlBool>`${value} = ANY (${values}::text[])`,
  // Its strings made storable (no U+0000; no lone surrogate, which PostgreSQL's json refuses even escaped).
  toJson: jsonParam,
  fromJson: <T>(value: T | string) => value as T,
  insertionOrder: (alias) => sql<number>`${sql.raw(alias)}.seq`,
  listAgg: (value, order) => sql<string[]>`coalesce(array_agg(${value} ORDER BY ${order}), '{}')`,
  readList: (value) => (value ?? []) as string[],
  jsonArrayFrom: (query) => postgresJsonArray(query) as unknown as RawBuilder<never>,
  bytewise: (value) => sql<string>`${value} COLLATE "C"`,
  isSet: (column) => sql<SqlBool>`${column}`,
  asConflict(error, fields) {
    if (!hasSqlState(error, '23505') || !error.table) return error;
    // detail: "Key (tenant_uuid, lower(slug))=(...) already exists."
    const key = /^Key \((.+?)\)=\(/.exec(error.detail ?? '')?.[1] ?? '';
    const columns = key.split(', ').map((column) => `${error.table}.${column.replace(/^lower\((.+)\)$/, '$1')}`);
    return conflictOn(columns, fields) ?? error;
  },
  asMissingReference(error, message) {
    return hasSqlState(error, '23503') ? new Error(message) : error;
  },
  writeBegin: undefined,
  writeTransaction: (db, body) => db.transaction().execute(body),
  exclusively: (db, key, busy, body) =>
    db.transaction().execute(async (trx) => {
      // The second key is the schema's, so that schemas sharing a database lock apart.
      const {rows} = await sql<{locked: boolean}>`SELECT pg_try_advisory_xact_lock(${key}, hashtext(current_schema())) AS locked`.execute(trx);
      return rows[0]?.locked ? body(trx) : busy;
    }),
  forUpdate<Q extends SelectQueryBuilder<Tables, keyof Tables, object>>(query: Q, options: {skipLocked?: boolean} = {}): Q {
    const locked = query.forUpdate();
    return (options.skipLocked ? locked.skipLocked() : locked) as Q;
  },
  async lockTable(trx, table) {
    await sql`LOCK TABLE ${sql.table(table)} IN SHARE ROW EXCLUSIVE MODE`.execute(trx);
  },
  keysFirst: false,
  noLimit: null,
  indexedBy: () => sql``,
};

function conflictOn(columns: string[], fields: ConflictFields): ConflictError | undefined {
  for (const column of columns) {
    const conflict = fields[column];
    if (conflict) return new ConflictError(conflict[0], conflict[1]);
  }
  return undefined;
}

export function dialectOf(engine: Engine): Dialect {
  return engine === 'sqlite' ? sqliteDialect : postgresDialect;
}

// Paging, ordering, filters and search shared by every listing, on both engines. What may be
// ordered or filtered on comes only from each listing's own declarations (checked in
// list-params.ts); every value a caller gives is a bound parameter.
import {sql, type Expression, type SelectQueryBuilder, type SqlBool} from 'kysely';
import type {ListParams} from '../domain/types.js';
import type {Dialect} from './dialect.js';
import {checkFilters, checkListParams, type FilterValue, type FilterValues} from './list-params.js';

// The listing's queries are built by each entity module from its own tables; here they are
// handled alike whatever their shape.
export type Query = SelectQueryBuilder<any, any, any>;

export interface ListSpec<Row> {
  /** The rows in scope, without their select list (FROM, joins, the scope condition). */
  from: Query;
  /** Adds the select list to a query made from `from`. */
  columns(query: Query): Query;
  /** True when the row matches the LIKE `pattern` (search words, lower-cased, see searchPattern). */
  search(pattern: string): Expression<SqlBool>;
  /** API field name -> what to order by, or several, each taken in the requested direction. */
  orders: Readonly<Record<string, Expression<unknown> | readonly Expression<unknown>[]>>;
  defaultOrder: string;
  /** Appended to every ordering so that pages are stable when the ordered values tie. */
  tieBreak: Expression<unknown>;
  /** Exact-match filters by name, applied when given; like the search they count in `filtered`, not `total`. */
  filters?: Readonly<Record<string, (value: FilterValue) => Expression<SqlBool>>>;
  /**
   * When the columns hold subqueries (a tenant's domains, a user's e-mails) and the dialect says
   * so: the page is chosen on `key` alone and `rows` computes the columns of its rows only.
   */
  keysFirst?: {key: Expression<string>; rows(keys: string[]): Promise<(Row & {late_key: string})[]>};
}

export interface ListRows<Row> {
  total: number;
  filtered: number;
  rows: Row[];
}

/**
 * Upstream's search as a LIKE pattern (with ESCAPE '\'): the words of `search`, in this order,
 * anywhere in the value. Unlike upstream, `%` and `_` are literal.
 */
export function searchPattern(search: string): string {
  return `%${search.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_').replaceAll(' ', '%')}%`;
}

/** `value` (lower-cased already) matches the pattern of searchPattern. */
export function like(value: Expression<string | null>, pattern: string): Expression<SqlBool> {
  return sql<SqlBool>`${value} LIKE ${pattern} ESCAPE '\\'`;
}

async function count(query: Query): Promise<number> {
  const row = (await query.clearSelect().select(sql<number>`count(*)`.as('n')).executeTakeFirst()) as {n: number | string} | undefined;
  return Number(row?.n ?? 0);
}

export async function list<Row>(spec: ListSpec<Row>, params: ListParams, filters: FilterValues, dialect: Dialect): Promise<ListRows<Row>> {
  const {order, direction, limit, offset, search} = checkListParams(params, spec.orders, spec.defaultOrder);
  const conditions: Expression<SqlBool>[] = [];
  if (search !== null) conditions.push(spec.search(searchPattern(search)));
  for (const [name, value] of Object.entries(checkFilters(filters, spec.filters ?? {}))) {
    if (value !== null) conditions.push(spec.filters![name]!(value));
  }
  // Each in parentheses: a search is often several conditions joined by OR.
  const narrowed =
    conditions.length > 0
      ? spec.from.where(
          sql<SqlBool>`${sql.join(
            conditions.map((c) => sql`(${c})`),
            sql` AND `,
          )}`,
        )
      : spec.from;
  const total = await count(spec.from);
  const filtered = conditions.length > 0 ? await count(narrowed) : total;

  // Nulls sort as the largest value (PostgreSQL's default), whatever the engine.
  const nulls = sql.raw(direction === 'asc' ? 'ASC NULLS LAST' : 'DESC NULLS FIRST');
  let page = narrowed;
  for (const key of ([] as Expression<unknown>[]).concat(spec.orders[order]!)) page = page.orderBy(sql`${key} ${nulls}`);
  // A limit always, so that the SQL text stays the same with or without one.
  page = page
    .orderBy(spec.tieBreak)
    .limit((limit ?? dialect.noLimit) as number)
    .offset(offset);

  if (spec.keysFirst && dialect.keysFirst) {
    const keys = ((await page.select(sql<string>`${spec.keysFirst.key}`.as('late_key')).execute()) as {late_key: string}[]).map((row) => row.late_key);
    if (keys.length === 0) return {total, filtered, rows: []};
    const byKey = new Map((await spec.keysFirst.rows(keys)).map(({late_key, ...row}) => [late_key, row as Row]));
    return {total, filtered, rows: keys.map((key) => byKey.get(key)!)};
  }
  return {total, filtered, rows: (await spec.columns(page).execute()) as Row[]};
}

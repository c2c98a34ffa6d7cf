// Paging, ordering and search shared by every list query on PostgreSQL. Column names in ORDER BY
// come only from each resource's whitelist; every user-supplied value is a bound parameter.
import {checkFilters, checkListParams, type FilterValues} from '../list-params.js';
import type {ListParams} from '../../domain/types.js';
import {sql, type Params, type Queries, type Sql} from './database.js';

export {searchMatches} from '../list-params.js';

export interface ListSpec {
  /** The select list. */
  columns: string;
  /** `FROM ... WHERE <scope>` with named parameters; the search is appended with AND. */
  from: string;
  /** A condition true when the row matches `@search` (a lower-cased substring). */
  search: string;
  /** API field name -> SQL expression to order by, or several, each taken in the requested direction. */
  orders: Readonly<Record<string, string | readonly string[]>>;
  defaultOrder: string;
  /** Appended to every ORDER BY so that pages are stable when the ordered values tie. */
  tieBreak: string;
  /**
   * Exact-match filters by name: a condition on the bound value `@f_<name>`, in the query only
   * when the caller gives that filter. Like the search, they count in `filtered`, not in `total`.
   */
  filters?: Readonly<Record<string, string>>;
}

export interface ListRows<Row> {
  total: number;
  filtered: number;
  rows: Row[];
}

export class Lister<Row> {
  private readonly total: Sql;
  // Statements by the search and filters a call uses (only those given are in the SQL), then by
  // order: compiled on first use and kept.
  private readonly counts = new Map<string, Sql>();
  private readonly pages = new Map<string, Sql>();

  constructor(
    private readonly db: Queries,
    private readonly spec: ListSpec,
  ) {
    this.total = sql(`SELECT count(*) AS n ${spec.from}`);
  }

  async list(scope: Params, params: ListParams, filters: FilterValues = {}): Promise<ListRows<Row>> {
    const {order, direction, limit, offset, search} = checkListParams(params, this.spec.orders, this.spec.defaultOrder);
    const given = Object.entries(checkFilters(filters, this.spec.filters ?? {})).filter(([, value]) => value !== null);
    const bind: Record<string, unknown> = {...scope};
    for (const [name, value] of given) bind[`f_${name}`] = value;
    if (search !== null) bind['search'] = search;
    const narrowing = this.narrowing(search !== null, given.map(([name]) => name));
    const total = (await this.db.row<{n: number}>(this.total, scope))?.n ?? 0;
    const filtered = narrowing ? ((await this.db.row<{n: number}>(this.count(narrowing), bind))?.n ?? 0) : total;
    const rows = await this.db.rows<Row>(this.page(narrowing, order, direction), {...bind, limit, offset});
    return {total, filtered, rows};
  }

  /** The conditions appended to the scope for a search and these filters. */
  private narrowing(search: boolean, filters: string[]): string {
    const conditions = filters.map((name) => ` AND (${this.spec.filters![name]})`);
    if (search) conditions.unshift(` AND (${this.spec.search})`);
    return conditions.join('');
  }

  private count(narrowing: string): Sql {
    let statement = this.counts.get(narrowing);
    if (!statement) this.counts.set(narrowing, (statement = sql(`SELECT count(*) AS n ${this.spec.from}${narrowing}`)));
    return statement;
  }

  private page(narrowing: string, order: string, direction: 'asc' | 'desc'): Sql {
    const key = `${order} ${direction}${narrowing}`;
    let statement = this.pages.get(key);
    if (!statement) {
      // Nulls sort as the largest value, as on SQLite.
      const nulls = direction === 'asc' ? 'NULLS LAST' : 'NULLS FIRST';
      const keys = ([] as string[]).concat(this.spec.orders[order]!).map((key) => `${key} ${direction.toUpperCase()} ${nulls}`);
      statement = sql(
        `SELECT ${this.spec.columns} ${this.spec.from}${narrowing}
         ORDER BY ${keys.join(', ')}, ${this.spec.tieBreak}
         LIMIT @limit OFFSET @offset`,
      );
      this.pages.set(key, statement);
    }
    return statement;
  }
}

// The checks of a listing's paging, ordering and filters before its query is built (only
// declared orders and filters, only non-negative counts); src/store/list.ts builds the query.
import type {ListParams} from '../domain/types.js';

export interface CheckedListParams {
  order: string;
  direction: 'asc' | 'desc';
  /** null: no limit. */
  limit: number | null;
  offset: number;
  /** Lower-cased; null: no search. */
  search: string | null;
}

/** Filter values by name; undefined ones do not filter. */
export type FilterValues = Readonly<Record<string, FilterValue | undefined>>;
export type FilterValue = string | number | boolean | readonly string[];

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

export function checkListParams(params: ListParams, orders: Readonly<Record<string, unknown>>, defaultOrder: string): CheckedListParams {
  const order = params.order ?? defaultOrder;
  if (!Object.hasOwn(orders, order)) {
    throw new Error(`cannot order by "${order}": expected one of ${Object.keys(orders).join(', ')}`);
  }
  const direction = params.direction ?? 'asc';
  if (direction !== 'asc' && direction !== 'desc') {
    throw new Error(`direction must be "asc" or "desc", not "${String(direction)}"`);
  }
  if (params.limit != null && !isCount(params.limit)) {
    throw new Error(`limit must be a non-negative integer, not ${String(params.limit)}`);
  }
  const offset = params.offset ?? 0;
  if (!isCount(offset)) throw new Error(`offset must be a non-negative integer, not ${String(offset)}`);
  return {order, direction, limit: params.limit ?? null, offset, search: params.search ? params.search.toLowerCase() : null};
}

/** Every declared filter by name, null when not given; throws on a filter not declared. */
export function checkFilters(filters: FilterValues, declared: Readonly<Record<string, unknown>>): Record<string, FilterValue | null> {
  for (const name of Object.keys(filters)) {
    if (!Object.hasOwn(declared, name)) {
      throw new Error(`cannot filter on "${name}": expected one of ${Object.keys(declared).join(', ')}`);
    }
  }
  const values: Record<string, FilterValue | null> = {};
  for (const name of Object.keys(declared)) values[name] = filters[name] ?? null;
  return values;
}

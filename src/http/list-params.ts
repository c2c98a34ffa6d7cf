// Paging, ordering, search, `recurse` and exact-match filters of list endpoints, read from the
// query string with upstream's names and defaults; a bad value is upstream's 400 invalid-list-param.

import {apiError, type HttpError} from './errors.js';
import type {QueryParameter} from './route.js';
import {firstErrors, validate, type BooleanSchema, type ObjectSchema, type StringSchema} from './schema.js';

export interface ListQuery {
  limit: number | null;
  offset: number;
  order: string;
  direction: 'asc' | 'desc';
  search: string | null;
  /** Whether the tenants below the scoping one are included. */
  recurse: boolean;
}

export interface ListQueryParser {
  /** For the API document. */
  parameters: QueryParameter[];
  /** Throws the 400 answer when a parameter is invalid. */
  parse(query: URLSearchParams): ListQuery;
}

function listSchema(orders: readonly string[], defaultOrder: string): ObjectSchema {
  return {
    type: 'object',
    properties: {
      limit: {type: 'integer', minimum: 0, description: 'At most this many items (all when absent)'},
      offset: {type: 'integer', minimum: 0, default: 0, description: 'Items skipped before the first one returned'},
      order: {type: 'string', enum: orders, default: defaultOrder, description: 'The field the items are sorted by'},
      direction: {type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'Sort direction'},
      search: {type: 'string', description: 'Only items with this text in one of their searchable fields'},
      recurse: {type: 'boolean', default: false, description: 'Include the tenants below the scoping tenant'},
    },
  };
}

/** Upstream's body: the first message, with that parameter's error in `details`. */
export function invalidListParam(errors: ReturnType<typeof firstErrors>, resource: string): HttpError {
  const [name, error] = Object.entries(errors)[0]!;
  return apiError(400, 'invalid-list-param', error.message, {[name]: error}, resource);
}

/** A parser for one resource's lists: `orders` are the fields it can be sorted by. */
export function listQuery(resource: string, orders: readonly string[], defaultOrder: string): ListQueryParser {
  const schema = listSchema(orders, defaultOrder);
  const names = Object.keys(schema.properties);
  return {
    parameters: names.map((name) => ({name, schema: schema.properties[name]!})),
    parse(query) {
      const given: Record<string, string> = {};
      for (const name of names) {
        const value = query.get(name);
        if (value !== null) given[name] = value;
      }
      const result = validate<Omit<ListQuery, 'limit' | 'search'> & {limit?: number; search?: string}>(schema, given);
      if (!result.ok) throw invalidListParam(firstErrors(result.errors), resource);
      return {...result.value, limit: result.value.limit ?? null, search: result.value.search || null};
    },
  };
}

/** One exact-match filter of a list (upstream's strict filters): the key it sets and its type. */
export interface ListFilter<F> {
  key: keyof F & string;
  schema: StringSchema | BooleanSchema;
}

export interface ListFilterParser<F> {
  /** For the API document. */
  parameters: QueryParameter[];
  /** The filters the query string gives; throws the 400 answer when one is invalid. */
  parse(query: URLSearchParams): F;
}

/** A parser for one list's filters: query parameter name -> the filter it sets. */
export function listFilters<F>(resource: string, fields: Record<string, ListFilter<F>>): ListFilterParser<F> {
  const schema: ObjectSchema = {
    type: 'object',
    properties: Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.schema])),
  };
  return {
    parameters: Object.entries(fields).map(([name, field]) => ({name, schema: field.schema})),
    parse(query) {
      const given: Record<string, string> = {};
      for (const name of Object.keys(fields)) {
        const value = query.get(name);
        if (value !== null) given[name] = value;
      }
      const result = validate(schema, given);
      if (!result.ok) throw invalidListParam(firstErrors(result.errors), resource);
      return Object.fromEntries(Object.entries(result.value).map(([name, value]) => [fields[name]!.key, value])) as F;
    },
  };
}

// Paging, ordering, search, `recurse` and exact-match filters of list endpoints, read from the
// query string with upstream's names and defaults; a bad value is upstream's 400 invalid-list-param.

import type {BooleanSchema, ObjectSchema, StringSchema} from '../schema/schema.js';
import {InvalidListParam} from './request-errors.js';
import type {QueryParser} from './route.js';
import {firstErrors, validate, type FieldErrors} from './schema.js';

export interface ListQuery {
  limit: number | null;
  offset: number;
  order: string;
  direction: 'asc' | 'desc';
  search: string | null;
  /** Whether the tenants below the scoping one are included. */
  recurse: boolean;
}

const recurse = {type: 'boolean', default: false, description: 'Include the tenants below the scoping tenant'} as const satisfies BooleanSchema;

function listSchema(orders: readonly string[], defaultOrder: string) {
  return {
    type: 'object',
    properties: {
      limit: {type: 'integer', minimum: 0, description: 'At most this many items (all when absent)'},
      offset: {type: 'integer', minimum: 0, default: 0, description: 'Items skipped before the first one returned'},
      order: {type: 'string', enum: orders, default: defaultOrder, description: 'The field the items are sorted by'},
      direction: {type: 'string', enum: ['asc', 'desc'], default: 'asc', description: 'Sort direction'},
      search: {type: 'string', description: 'Only items with this text in one of their searchable fields'},
      recurse,
    },
  } as const satisfies ObjectSchema;
}

/** The parameters of `schema` the query string gives, each once. */
function given(query: URLSearchParams, schema: ObjectSchema): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(schema.properties)) {
    const value = query.get(name);
    if (value !== null) out[name] = value;
  }
  return out;
}

/** Upstream's body: the first message, with that parameter's error in `details`. */
function invalidListParam(errors: FieldErrors, resource: string): InvalidListParam {
  const [name, error] = Object.entries(firstErrors(errors))[0]!;
  return new InvalidListParam(name, error, resource);
}

function parser<S extends ObjectSchema>(schema: S, resource: string) {
  return {
    parameters: Object.entries(schema.properties).map(([name, s]) => ({name, schema: s})),
    parse(query: URLSearchParams) {
      const result = validate(schema, given(query, schema));
      if (!result.ok) throw invalidListParam(result.errors, resource);
      return result.value;
    },
  };
}

/** One resource's lists: `orders` are the fields they can be sorted by; `resource` is named in errors. */
export function listQuery(resource: string, orders: readonly string[], defaultOrder: string): QueryParser<ListQuery> {
  const {parameters, parse} = parser(listSchema(orders, defaultOrder), resource);
  return {
    parameters,
    parse(query) {
      const value = parse(query);
      return {...value, limit: value.limit ?? null, search: value.search || null};
    },
  };
}

/** `recurse` alone, for the lists that have no paging. */
export function recurseQuery(resource: string, description: string): QueryParser<{recurse: boolean}> {
  return parser({type: 'object', properties: {recurse: {...recurse, description}}} as const satisfies ObjectSchema, resource);
}

/** One exact-match filter of a list (upstream's strict filters): the key it sets and its type. */
export interface ListFilter<F> {
  key: keyof F & string;
  schema: StringSchema | BooleanSchema;
}

/** One list's filters: query parameter name -> the filter it sets. */
export function listFilters<F>(resource: string, fields: Record<string, ListFilter<F>>): QueryParser<F> {
  const schema: ObjectSchema = {
    type: 'object',
    properties: Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.schema])),
  };
  const {parameters, parse} = parser(schema, resource);
  return {
    parameters,
    parse(query) {
      const filters: Partial<Record<keyof F, unknown>> = {};
      for (const [name, value] of Object.entries(parse(query))) filters[fields[name]!.key] = value;
      return filters as F;
    },
  };
}

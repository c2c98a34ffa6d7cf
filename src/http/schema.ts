// The API's view of request schemas (src/schema): a failed validation as upstream's marshmallow
// error details, the helpers its answers are built from, and the Swagger description.

import type {Infer, ObjectSchema, Schema} from '../schema/schema.js';
import {validate as check, type FieldError, type Issue} from '../schema/validate.js';

export type {ObjectSchema} from '../schema/schema.js';
export type {FieldError} from '../schema/validate.js';

/** Type errors are one object; constraint errors a list, as upstream's marshmallow reports them. */
export type FieldErrors = Record<string, FieldError | FieldError[] | Record<string, unknown>>;

export type Validation<T> = {ok: true; value: T} | {ok: false; errors: FieldErrors};

/** Marshmallow's tree of errors: one entry per field at fault, nested as the value is. */
export function fieldErrors(issues: readonly Issue[]): FieldErrors {
  const root: Record<string, unknown> = {};
  for (const {path, error} of issues) {
    const keys = path.map(String);
    // A value that is no mapping: `{"_schema": [error]}` where the mapping was expected.
    if (error.constraint === 'dict') keys.push('_schema');
    let node = root;
    for (const key of keys.slice(0, -1)) node = entry(node, key, () => ({})) as Record<string, unknown>;
    const last = keys[keys.length - 1]!;
    if (error.constraint_id === 'type' && error.constraint !== 'dict') entry(node, last, () => error);
    else (entry(node, last, () => []) as FieldError[]).push(error);
  }
  return root as FieldErrors;
}

function entry(node: Record<string, unknown>, key: string, make: () => unknown): unknown {
  if (!Object.hasOwn(node, key)) Object.defineProperty(node, key, {value: make(), enumerable: true, writable: true, configurable: true});
  return node[key];
}

/** Validates and normalises a decoded JSON body or query; unknown fields are dropped, as upstream ignores them. */
export function validate<S extends ObjectSchema>(schema: S, body: unknown): Validation<Infer<S>> {
  const r = check(schema, body);
  return r.ok ? r : {ok: false, errors: fieldErrors(r.issues)};
}

/** Upstream's invalid-data details: the first error of each field. */
export function firstErrors(errors: FieldErrors): Record<string, FieldError> {
  const out: Record<string, FieldError> = {};
  for (const [field, e] of Object.entries(errors)) {
    const first = Array.isArray(e) ? e[0] : e;
    out[field] = (first && 'message' in first ? first : {constraint_id: 'invalid', message: 'Invalid value.', constraint: first}) as FieldError;
  }
  return out;
}

/** The message of the first error, however deep in lists and objects it lies. */
export function firstMessage(errors: unknown): string {
  if (Array.isArray(errors)) return errors.length ? firstMessage(errors[0]) : 'Invalid value.';
  if (typeof errors !== 'object' || errors === null) return 'Invalid value.';
  if ('message' in errors && typeof errors.message === 'string') return errors.message;
  const first = Object.values(errors)[0];
  return first === undefined ? 'Invalid value.' : firstMessage(first);
}

/** The Python repr of a value, for the token routes whose `reason` carries marshmallow's error dict as text. */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const body = value.replace(/\\/g, '\\\\').replace(quote === "'" ? /'/g : /"/g, quote === "'" ? "\\'" : '\\"');
    return quote + body + quote;
  }
  if (Array.isArray(value)) return '[' + value.map(pythonRepr).join(', ') + ']';
  return (
    '{' +
    Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`)
      .join(', ') +
    '}'
  );
}

/** Swagger 2.0 description of a schema. */
export function toSwagger(s: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {type: s.type === 'map' ? 'object' : s.type};
  if (s.description) out.description = s.description;
  if (s.nullable) out['x-nullable'] = true;
  if (s.default !== undefined) out.default = s.default;
  if (s.example !== undefined) out.example = s.example;
  switch (s.type) {
    case 'string':
      if (s.minLength !== undefined) out.minLength = s.minLength;
      if (s.maxLength !== undefined) out.maxLength = s.maxLength;
      if (s.enum) out.enum = [...s.enum];
      if (s.format) out.format = s.format;
      if (s.pattern) out.pattern = s.pattern.source;
      break;
    case 'integer':
    case 'number':
      if (s.minimum !== undefined) out.minimum = s.minimum;
      if (s.type === 'integer' && s.maximum !== undefined) out.maximum = s.maximum;
      break;
    case 'array':
      out.items = toSwagger(s.items);
      if (s.maxItems !== undefined) out.maxItems = s.maxItems;
      break;
    case 'object':
      out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toSwagger(v)]));
      if (s.required?.length) out.required = [...s.required];
      break;
    case 'map':
      out.additionalProperties = toSwagger(s.values);
      break;
  }
  return out;
}

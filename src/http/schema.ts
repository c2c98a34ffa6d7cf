// Request schemas: one declaration validates a body (with upstream's error details) and
// describes it in the OpenAPI document, so the two never disagree.

export interface FieldError {
  constraint_id: string;
  constraint?: unknown;
  message: string;
}

/** Type errors are one object; constraint errors a list, as upstream's marshmallow reports them. */
export type FieldErrors = Record<string, FieldError | FieldError[] | Record<string, unknown>>;

interface Base<T> {
  description?: string;
  nullable?: boolean;
  /** Value used when the field is missing. */
  default?: T;
  example?: unknown;
}

export interface StringSchema extends Base<string> {
  type: 'string';
  minLength?: number;
  maxLength?: number;
  enum?: readonly string[];
  format?: 'uuid' | 'email';
  pattern?: RegExp;
}
export interface IntegerSchema extends Base<number> {
  type: 'integer';
  minimum?: number;
  maximum?: number;
}
export interface BooleanSchema extends Base<boolean> {
  type: 'boolean';
}
export interface ArraySchema extends Base<unknown[]> {
  type: 'array';
  items: Schema;
  maxItems?: number;
}
export interface ObjectSchema extends Base<Record<string, unknown>> {
  type: 'object';
  properties: Record<string, Schema>;
  required?: readonly string[];
  /** `[]`, `""`, `0` and `false` count as `{}`, as upstream's schemas take any falsy value (not null). */
  falsyIsEmpty?: boolean;
}
export type Schema = StringSchema | IntegerSchema | BooleanSchema | ArraySchema | ObjectSchema;

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

const typeError = (name: string, constraint: string): FieldError => ({
  message: `Not a valid ${name}.`,
  constraint_id: 'type',
  constraint,
});

type Outcome = {ok: true; value: unknown} | {ok: false; error: FieldError | FieldError[] | FieldErrors};

function checkString(s: StringSchema, v: unknown): Outcome {
  if (typeof v !== 'string') return {ok: false, error: typeError('string', 'string')};
  const errs: FieldError[] = [];
  if ((s.minLength !== undefined && v.length < s.minLength) || (s.maxLength !== undefined && v.length > s.maxLength)) {
    const min = s.minLength ?? null;
    const max = s.maxLength ?? null;
    const message =
      min !== null && max !== null
        ? `Length must be between ${min} and ${max}.`
        : min !== null
          ? `Shorter than minimum length ${min}.`
          : `Longer than maximum length ${max}.`;
    errs.push({constraint_id: 'length', constraint: {min, max}, message});
  }
  if (s.enum && !s.enum.includes(v)) {
    errs.push({constraint_id: 'enum', constraint: {choices: s.enum}, message: `Must be one of: ${s.enum.join(', ')}.`});
  }
  if (s.format === 'uuid' && !UUID.test(v)) return {ok: false, error: typeError('UUID', 'uuid')};
  if (s.format === 'email' && !EMAIL.test(v)) {
    errs.push({constraint_id: 'email', constraint: 'email', message: 'Not a valid email address.'});
  }
  if (s.pattern && !s.pattern.test(v)) {
    errs.push({constraint_id: 'regex', constraint: s.pattern.source, message: 'String does not match expected pattern.'});
  }
  if (errs.length) return {ok: false, error: errs};
  return {ok: true, value: s.format === 'uuid' ? v.toLowerCase() : v};
}

function checkInteger(s: IntegerSchema, v: unknown): Outcome {
  // Numeric strings and floats are accepted and truncated, booleans are not, as upstream does.
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string' && /^\s*[-+]?\d+(\.\d*)?\s*$/.test(v)) n = Number(v);
  else return {ok: false, error: typeError('integer', 'integer')};
  if (!Number.isFinite(n) || !Number.isSafeInteger(Math.trunc(n))) return {ok: false, error: typeError('integer', 'integer')};
  n = Math.trunc(n);
  if ((s.minimum !== undefined && n < s.minimum) || (s.maximum !== undefined && n > s.maximum)) {
    const min = s.minimum ?? null;
    const max = s.maximum ?? null;
    const message =
      min !== null && max !== null
        ? `Must be greater than or equal to ${min} and less than or equal to ${max}.`
        : min !== null
          ? `Must be greater than or equal to ${min}.`
          : `Must be less than or equal to ${max}.`;
    return {ok: false, error: [{constraint_id: 'range', constraint: {min, max}, message}]};
  }
  return {ok: true, value: n};
}

const TRUTHY = new Set(['true', 'True', 'TRUE', '1', 'yes', 'on']);
const FALSY = new Set(['false', 'False', 'FALSE', '0', 'no', 'off']);

function checkBoolean(v: unknown): Outcome {
  if (typeof v === 'boolean') return {ok: true, value: v};
  if (v === 1 || v === 0) return {ok: true, value: v === 1};
  if (typeof v === 'string' && TRUTHY.has(v)) return {ok: true, value: true};
  if (typeof v === 'string' && FALSY.has(v)) return {ok: true, value: false};
  return {ok: false, error: typeError('boolean', 'boolean')};
}

function checkArray(s: ArraySchema, v: unknown): Outcome {
  if (!Array.isArray(v)) return {ok: false, error: typeError('list', 'list')};
  if (s.maxItems !== undefined && v.length > s.maxItems) {
    return {ok: false, error: [{constraint_id: 'length', constraint: {max: s.maxItems}, message: `Longer than maximum length ${s.maxItems}.`}]};
  }
  const out: unknown[] = [];
  const errors: FieldErrors = {};
  v.forEach((item, i) => {
    const r = check(s.items, item);
    if (r.ok) out.push(r.value);
    else errors[String(i)] = r.error as FieldError;
  });
  return Object.keys(errors).length ? {ok: false, error: errors} : {ok: true, value: out};
}

function checkObject(s: ObjectSchema, v: unknown): Outcome {
  if (s.falsyIsEmpty && (v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0))) v = {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return {ok: false, error: {_schema: [{constraint_id: 'type', constraint: 'dict', message: 'Invalid input type.'}]}};
  }
  const input = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const [name, field] of Object.entries(s.properties)) {
    const present = Object.prototype.hasOwnProperty.call(input, name) && input[name] !== undefined;
    if (!present) {
      if (s.required?.includes(name)) {
        errors[name] = [{constraint_id: 'required', constraint: true, message: 'Missing data for required field.'}];
      } else if (field.default !== undefined) {
        out[name] = structuredClone(field.default);
      }
      continue;
    }
    const r = check(field, input[name]);
    if (r.ok) out[name] = r.value;
    else errors[name] = r.error as FieldError;
  }
  return Object.keys(errors).length ? {ok: false, error: errors} : {ok: true, value: out};
}

function check(s: Schema, v: unknown): Outcome {
  if (v === null) {
    return s.nullable ? {ok: true, value: null} : {ok: false, error: [{constraint_id: 'not_null', constraint: true, message: 'Field may not be null.'}]};
  }
  switch (s.type) {
    case 'string':
      return checkString(s, v);
    case 'integer':
      return checkInteger(s, v);
    case 'boolean':
      return checkBoolean(v);
    case 'array':
      return checkArray(s, v);
    case 'object':
      return checkObject(s, v);
  }
}

export type Validation<T> = {ok: true; value: T} | {ok: false; errors: FieldErrors};

/** Validates and normalises a decoded JSON body; unknown fields are dropped, as upstream ignores them. */
export function validate<T = Record<string, unknown>>(schema: ObjectSchema, body: unknown): Validation<T> {
  const r = checkObject(schema, body);
  return r.ok ? {ok: true, value: r.value as T} : {ok: false, errors: r.error as FieldErrors};
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
  return '{' + Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pythonRepr(k)}: ${pythonRepr(v)}`).join(', ') + '}';
}

/** Swagger 2.0 description of a schema. */
export function toSwagger(s: Schema): Record<string, unknown> {
  const out: Record<string, unknown> = {type: s.type};
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
      if (s.minimum !== undefined) out.minimum = s.minimum;
      if (s.maximum !== undefined) out.maximum = s.maximum;
      break;
    case 'array':
      out.items = toSwagger(s.items);
      if (s.maxItems !== undefined) out.maxItems = s.maxItems;
      break;
    case 'object':
      out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toSwagger(v)]));
      if (s.required?.length) out.required = [...s.required];
      break;
  }
  return out;
}

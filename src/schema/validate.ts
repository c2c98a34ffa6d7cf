// Checks a value against a schema: the value normalised (defaults filled, unknown fields
// dropped, coerced as marshmallow does for requests), or every problem found with where it is,
// in marshmallow's words, for each reader to word its own way (API bodies, config, policy files).

import type {ArraySchema, BooleanSchema, Infer, IntegerSchema, MapSchema, NumberSchema, ObjectSchema, Schema, StringSchema} from './schema.js';

export interface FieldError {
  constraint_id: string;
  constraint?: unknown;
  message: string;
}

export interface Issue {
  /** Keys and list indexes from the root to the value at fault; empty for the root itself. */
  path: (string | number)[];
  /** The schema of the value at fault. */
  schema: Schema;
  /** The value at fault; undefined when it is missing. */
  value: unknown;
  error: FieldError;
}

export interface ValidateOptions {
  /**
   * Files: every value as typed. Requests (the default) take what marshmallow takes: "12" and
   * 12.7 for the integer 12, "yes" and 1 for true.
   */
  strict?: boolean;
}

export type Validation<T> = {ok: true; value: T} | {ok: false; issues: [Issue, ...Issue[]]};

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const NUMERIC = /^\s*[-+]?\d+(\.\d*)?\s*$/;
const TRUTHY = new Set(['true', 'True', 'TRUE', '1', 'yes', 'on']);
const FALSY = new Set(['false', 'False', 'FALSE', '0', 'no', 'off']);

/** Where a value lies, built only when a problem is reported there. */
type Path = {parent: Path; key: string | number} | undefined;

function keysOf(path: Path): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let at = path; at; at = at.parent) keys.unshift(at.key);
  return keys;
}

const INVALID = Symbol('invalid');
type Checked = unknown;

const typeError = (name: string, constraint: string): FieldError => ({message: `Not a valid ${name}.`, constraint_id: 'type', constraint});
const notAMapping: FieldError = {constraint_id: 'type', constraint: 'dict', message: 'Invalid input type.'};

function limits(min: number | undefined, max: number | undefined, both: string, atLeast: string, atMost: string): string {
  if (min !== undefined && max !== undefined) return both;
  return min !== undefined ? atLeast : atMost;
}

class Checker {
  readonly issues: Issue[] = [];

  constructor(private readonly strict: boolean) {}

  private fail(path: Path, schema: Schema, value: unknown, ...errors: FieldError[]): typeof INVALID {
    const keys = keysOf(path);
    for (const error of errors) this.issues.push({path: keys, schema, value, error});
    return INVALID;
  }

  value(s: Schema, v: unknown, path: Path): Checked {
    if (v === null) {
      return s.nullable ? null : this.fail(path, s, v, {constraint_id: 'not_null', constraint: true, message: 'Field may not be null.'});
    }
    switch (s.type) {
      case 'string':
        return this.string(s, v, path);
      case 'integer':
        return this.integer(s, v, path);
      case 'number':
        return this.number(s, v, path);
      case 'boolean':
        return this.boolean(s, v, path);
      case 'array':
        return this.array(s, v, path);
      case 'object':
        return this.object(s, v, path);
      case 'map':
        return this.map(s, v, path);
    }
  }

  private string(s: StringSchema, v: unknown, path: Path): Checked {
    if (typeof v !== 'string') return this.fail(path, s, v, typeError('string', 'string'));
    const errors: FieldError[] = [];
    if ((s.minLength !== undefined && v.length < s.minLength) || (s.maxLength !== undefined && v.length > s.maxLength)) {
      const [min, max] = [s.minLength ?? null, s.maxLength ?? null];
      const message = limits(
        s.minLength,
        s.maxLength,
        `Length must be between ${min} and ${max}.`,
        `Shorter than minimum length ${min}.`,
        `Longer than maximum length ${max}.`,
      );
      errors.push({constraint_id: 'length', constraint: {min, max}, message});
    }
    const value = s.anyCase ? v.toLowerCase() : v;
    if (s.enum && !s.enum.includes(value)) {
      errors.push({constraint_id: 'enum', constraint: {choices: s.enum}, message: `Must be one of: ${s.enum.join(', ')}.`});
    }
    // Not a UUID is a type error, alone, as marshmallow's UUID field says it.
    if (s.format === 'uuid' && !UUID.test(v)) return this.fail(path, s, v, typeError('UUID', 'uuid'));
    if (s.format === 'email' && !EMAIL.test(v)) {
      errors.push({constraint_id: 'email', constraint: 'email', message: 'Not a valid email address.'});
    }
    if (s.pattern && !s.pattern.test(v)) {
      errors.push({constraint_id: 'regex', constraint: s.pattern.source, message: 'String does not match expected pattern.'});
    }
    if (errors.length) return this.fail(path, s, v, ...errors);
    return s.format === 'uuid' ? v.toLowerCase() : value;
  }

  private integer(s: IntegerSchema, v: unknown, path: Path): Checked {
    // Booleans are no integers; floats are truncated, as upstream does.
    let n: number;
    if (typeof v === 'number') n = v;
    else if (!this.strict && typeof v === 'string' && NUMERIC.test(v)) n = Number(v);
    else return this.fail(path, s, v, typeError('integer', 'integer'));
    if (!Number.isSafeInteger(Math.trunc(n)) || (this.strict && !Number.isInteger(n))) {
      return this.fail(path, s, v, typeError('integer', 'integer'));
    }
    n = Math.trunc(n);
    if ((s.minimum !== undefined && n < s.minimum) || (s.maximum !== undefined && n > s.maximum)) {
      const [min, max] = [s.minimum ?? null, s.maximum ?? null];
      const message = limits(
        s.minimum,
        s.maximum,
        `Must be greater than or equal to ${min} and less than or equal to ${max}.`,
        `Must be greater than or equal to ${min}.`,
        `Must be less than or equal to ${max}.`,
      );
      return this.fail(path, s, v, {constraint_id: 'range', constraint: {min, max}, message});
    }
    return n;
  }

  private number(s: NumberSchema, v: unknown, path: Path): Checked {
    const n = typeof v === 'number' ? v : !this.strict && typeof v === 'string' && NUMERIC.test(v) ? Number(v) : NaN;
    if (!Number.isFinite(n)) return this.fail(path, s, v, typeError('number', 'number'));
    if (s.minimum !== undefined && n < s.minimum) {
      const message = `Must be greater than or equal to ${s.minimum}.`;
      return this.fail(path, s, v, {constraint_id: 'range', constraint: {min: s.minimum, max: null}, message});
    }
    return n;
  }

  private boolean(s: BooleanSchema, v: unknown, path: Path): Checked {
    if (typeof v === 'boolean') return v;
    if (!this.strict) {
      if (v === 1 || v === 0) return v === 1;
      if (typeof v === 'string' && TRUTHY.has(v)) return true;
      if (typeof v === 'string' && FALSY.has(v)) return false;
    }
    return this.fail(path, s, v, typeError('boolean', 'boolean'));
  }

  private array(s: ArraySchema, v: unknown, path: Path): Checked {
    if (!Array.isArray(v)) return this.fail(path, s, v, typeError('list', 'list'));
    if (s.maxItems !== undefined && v.length > s.maxItems) {
      return this.fail(path, s, v, {constraint_id: 'length', constraint: {max: s.maxItems}, message: `Longer than maximum length ${s.maxItems}.`});
    }
    const out: unknown[] = [];
    let valid = true;
    v.forEach((item, i) => {
      const r = this.value(s.items, item, {parent: path, key: i});
      if (r === INVALID) valid = false;
      else out.push(r);
    });
    return valid ? out : INVALID;
  }

  object(s: ObjectSchema, v: unknown, path: Path): Checked {
    if (s.falsyIsEmpty && (v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0))) v = {};
    if (!isMapping(v)) return this.fail(path, s, v, notAMapping);
    const out: Record<string, unknown> = {};
    let valid = true;
    for (const [name, field] of Object.entries(s.properties)) {
      const given = Object.hasOwn(v, name) ? v[name] : undefined;
      if (given === undefined) {
        if (s.required?.includes(name)) {
          this.fail({parent: path, key: name}, field, undefined, {constraint_id: 'required', constraint: true, message: 'Missing data for required field.'});
          valid = false;
        } else if (field.default !== undefined) {
          out[name] = structuredClone(field.default);
        }
        continue;
      }
      const r = this.value(field, given, {parent: path, key: name});
      if (r === INVALID) valid = false;
      else out[name] = r;
    }
    return valid ? out : INVALID;
  }

  private map(s: MapSchema, v: unknown, path: Path): Checked {
    if (!isMapping(v)) return this.fail(path, s, v, notAMapping);
    const out: Record<string, unknown> = {};
    let valid = true;
    for (const [key, given] of Object.entries(v)) {
      const r = this.value(s.values, given, {parent: path, key});
      if (r === INVALID) valid = false;
      // A key named "__proto__" stays a plain key.
      else Object.defineProperty(out, key, {value: r, enumerable: true, writable: true, configurable: true});
    }
    return valid ? out : INVALID;
  }
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The value normalised, or every problem found. An object at the root that is null is "not a
 * mapping" rather than "null", as upstream answers a `null` body.
 */
export function validate<S extends Schema>(schema: S, value: unknown, options: ValidateOptions = {}): Validation<Infer<S>> {
  const checker = new Checker(options.strict ?? false);
  const r = schema.type === 'object' ? checker.object(schema, value, undefined) : checker.value(schema, value, undefined);
  const [first, ...more] = checker.issues;
  return first ? {ok: false, issues: [first, ...more]} : {ok: true, value: r as Infer<S>};
}

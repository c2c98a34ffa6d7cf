// What a value must be, and what it was, in words: the messages about files (the daemon's
// configuration, policy files) name the key and these.

import type {Schema} from './schema.js';

/** "an integer between 1 and 65535", "true or false", or the schema's own `expect`. */
export function expectation(s: Schema): string {
  if (s.expect) return s.expect;
  const orNull = s.nullable ? ' or null' : '';
  switch (s.type) {
    case 'boolean':
      return 'true or false';
    case 'integer': {
      const range = s.maximum !== undefined ? ` between ${s.minimum} and ${s.maximum}` : s.minimum !== undefined ? ` >= ${s.minimum}` : '';
      return `an integer${range}${orNull}`;
    }
    case 'number':
      return `a number${s.minimum !== undefined ? ` >= ${s.minimum}` : ''}${orNull}`;
    case 'string':
      return `${s.enum ? `one of ${s.enum.join(', ')}` : s.minLength ? 'a non-empty string' : 'a string'}${orNull}`;
    case 'array':
      return `${s.items.type === 'string' ? 'a list of strings' : 'a list'}${orNull}`;
    case 'object':
    case 'map':
      return `a mapping${orNull}`;
  }
}

/** A value as a message shows it: strings quoted and cut short, containers by their kind. */
export function described(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return JSON.stringify(shown);
  }
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

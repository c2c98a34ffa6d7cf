// Strings PostgreSQL can store, apart from the driver: the dialect (src/store/dialect.ts) needs
// them on either engine's path, and loading pg costs a SQLite daemon's start about 90 ms.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * PostgreSQL text cannot hold U+0000, nor its json a lone surrogate: each becomes U+FFFD, the
 * replacement character (what UTF-8 makes of a lone surrogate anyway, as on SQLite), so that a
 * lookup or search with it finds nothing instead of failing.
 */
function storable(value: string): string {
  const text = value.includes('\0') ? value.replaceAll('\0', '\uFFFD') : value;
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** A value for a json or jsonb column, its strings storable. */
export function jsonParam(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' ? storable(item) : item));
}

/** A query parameter, its strings (alone or in an array) storable. */
export function storableValue(value: unknown): unknown {
  if (typeof value === 'string') return storable(value);
  if (Array.isArray(value)) return value.map((item: unknown) => (typeof item === 'string' ? storable(item) : item));
  return value ?? null;
}

// The keys of a configuration that the daemon does not read: a misspelt one is otherwise a
// silent mistake (`rest_api.certifcate` would leave the daemon serving plain HTTP). Each is
// reported with the nearest known key, for a warning at start; the start goes on, as upstream's
// would, since upstream ignores unknown keys.

import {editDistance} from '../edit-distance.js';
import type {ObjectSchema, Schema} from '../schema/schema.js';
import {isMapping, type RawMapping} from './merge.js';

/**
 * Upstream's keys that this daemon takes and ignores (it has no threads, no Consul, no
 * profiler, no confd database), so that an upstream file gets no warning for them.
 */
const UPSTREAM_ONLY: Readonly<Record<string, readonly string[]>> = {
  '': ['update_policy_on_startup', 'profiling_enabled', 'consul', 'service_discovery', 'confd_db_uri'],
  rest_api: ['max_threads', 'num_threads'],
};

/** Read before the configuration is validated (src/config/index.ts, database.ts). */
const READ_APART = ['db_uri', 'config_file', 'extra_config_files'];

/**
 * One warning per unknown key of `raw`, in file order: `rest_api.certifcate: unknown key, did you
 * mean rest_api.certificate?`. Within maps (plugin switches, policies by name) any key is a name;
 * an object schema without properties takes anything (upstream's per-domain SAML settings).
 */
export function unknownKeyWarnings(raw: RawMapping, schema: ObjectSchema): string[] {
  return unknownIn(raw, {...schema, properties: {...schema.properties, ...Object.fromEntries(READ_APART.map((key) => [key, {type: 'string'}]))}}, []);
}

function unknownIn(raw: RawMapping, schema: ObjectSchema, path: string[]): string[] {
  const known = Object.keys(schema.properties);
  if (!known.length) return [];
  const ignored = UPSTREAM_ONLY[path.join('.')] ?? [];
  return Object.entries(raw).flatMap(([key, value]) => {
    const inner = schema.properties[key];
    if (inner) return unknownBelow(value, inner, [...path, key]);
    if (ignored.includes(key)) return [];
    const name = [...path, key].join('.');
    const near = nearest(key, known);
    return [`${name}: unknown key${near ? `, did you mean ${[...path, near].join('.')}?` : ''}`];
  });
}

function unknownBelow(value: unknown, schema: Schema, path: string[]): string[] {
  if (!isMapping(value)) return [];
  if (schema.type === 'object') return unknownIn(value, schema, path);
  if (schema.type === 'map') return Object.entries(value).flatMap(([key, item]) => unknownBelow(item, schema.values, [...path, key]));
  return [];
}

/** The known key a typo most likely meant: within a few edits, or the same in another case. */
function nearest(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(key.length / 3)) + 1;
  for (const candidate of known) {
    const distance = editDistance(key.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

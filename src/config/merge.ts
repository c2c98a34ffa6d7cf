// Layered merge of raw configuration objects, with the semantics of the upstream
// xivo ChainMap: earlier layers win, mappings merge key by key at every depth.

export type RawMapping = Record<string, unknown>;

export function isMapping(value: unknown): value is RawMapping {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

// defineProperty rather than assignment: a YAML key named "__proto__" must stay
// an ordinary own key instead of replacing the object's prototype.
function setOwn(target: RawMapping, key: string, value: unknown): void {
  Object.defineProperty(target, key, {value, enumerable: true, writable: true, configurable: true});
}

function clone(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clone);
  if (isMapping(value)) {
    const out: RawMapping = {};
    for (const [key, item] of Object.entries(value)) setOwn(out, key, clone(item));
    return out;
  }
  return value;
}

function update(current: RawMapping, next: RawMapping, accumulateLists: boolean): RawMapping {
  const out: RawMapping = {};
  for (const [key, item] of Object.entries(current)) setOwn(out, key, item);
  for (const [key, item] of Object.entries(next)) {
    if (!Object.hasOwn(out, key)) {
      setOwn(out, key, clone(item));
      continue;
    }
    const existing = out[key];
    if (isMapping(existing) && isMapping(item)) {
      setOwn(out, key, update(existing, item, accumulateLists));
    } else if (accumulateLists && Array.isArray(existing) && Array.isArray(item)) {
      setOwn(out, key, [...existing, ...item.map(clone)]);
    }
    // Anything else: the earlier layer keeps its value, even null.
  }
  return out;
}

/**
 * Merges layers given highest priority first. With `accumulateLists`, lists found
 * under the same key in several layers are concatenated (earlier layer's items
 * first) instead of the earlier list winning: upstream does this across its
 * config files, so that e.g. several conf.d files can each add ACL entries.
 */
export function chainMerge(layers: readonly RawMapping[], accumulateLists = false): RawMapping {
  let out: RawMapping = {};
  for (const layer of layers) out = update(out, layer, accumulateLists);
  return out;
}

/** Drops keys whose value is undefined, at any depth (absent CLI flags). */
export function withoutUndefined(value: RawMapping): RawMapping {
  const out: RawMapping = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    setOwn(out, key, isMapping(item) ? withoutUndefined(item) : item);
  }
  return out;
}

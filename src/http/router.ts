// Finds the route for a method and path: a trie of path segments, static segments before
// parameters, so a lookup costs one map probe per segment whatever the number of routes.

export type Converter = 'uuid' | 'string' | 'path';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

interface Param<R> {
  name: string;
  converter: Converter;
  node: Node<R>;
}

interface Node<R = unknown> {
  statics: Map<string, Node<R>>;
  params: Param<R>[];
  methods: Map<string, R>;
}

function node<R>(): Node<R> {
  return {statics: new Map(), params: [], methods: new Map()};
}

export type Match<R> = {kind: 'found'; route: R; params: Record<string, string>} | {kind: 'method-not-allowed'; allow: string[]} | {kind: 'not-found'};

/** Parses `{name}` or `{name:converter}`. */
function parseParam(segment: string): {name: string; converter: Converter} | undefined {
  const m = /^\{(\w+)(?::(uuid|string|path))?\}$/.exec(segment);
  return m ? {name: m[1]!, converter: (m[2] as Converter | undefined) ?? 'string'} : undefined;
}

export class Router<R> {
  private readonly root: Node<R> = node();

  /** `path` like `/token/{token:uuid}`; a `path` parameter takes the rest of the URL, slashes included. */
  add(method: string, path: string, route: R): void {
    let current = this.root;
    for (const segment of path.split('/').slice(1)) {
      const param = parseParam(segment);
      if (!param) {
        let next = current.statics.get(segment);
        if (!next) current.statics.set(segment, (next = node<R>()));
        current = next;
        continue;
      }
      let existing = current.params.find((p) => p.name === param.name && p.converter === param.converter);
      if (!existing) {
        existing = {...param, node: node<R>()};
        current.params.push(existing);
        // uuid parameters are tried before free strings, so `/policies/{uuid}` wins over a slug
        current.params.sort((a, b) => rank(a.converter) - rank(b.converter));
      }
      current = existing.node;
    }
    if (current.methods.has(method)) throw new Error(`duplicate route ${method} ${path}`);
    current.methods.set(method, route);
  }

  find(method: string, path: string): Match<R> {
    const segments = path.split('/');
    const params: Record<string, string> = {};
    const found = walk(this.root, segments, 1, params);
    if (!found) return {kind: 'not-found'};
    const route = found.methods.get(method);
    if (route) return {kind: 'found', route, params};
    return {kind: 'method-not-allowed', allow: [...found.methods.keys()]};
  }
}

function rank(c: Converter): number {
  return c === 'uuid' ? 0 : c === 'string' ? 1 : 2;
}

function walk<R>(current: Node<R>, segments: string[], i: number, params: Record<string, string>): Node<R> | undefined {
  if (i === segments.length) return current.methods.size ? current : undefined;
  const segment = segments[i]!;
  const next = current.statics.get(segment);
  if (next) {
    const found = walk(next, segments, i + 1, params);
    if (found) return found;
  }
  for (const param of current.params) {
    let value: string;
    let rest = i + 1;
    if (param.converter === 'path') {
      value = segments.slice(i).join('/');
      rest = segments.length;
    } else {
      value = segment;
    }
    if (value === '') continue;
    let decoded: string;
    try {
      decoded = decodeURIComponent(value);
    } catch {
      continue;
    }
    if (param.converter === 'uuid') {
      if (!UUID.test(decoded)) continue;
      decoded = decoded.toLowerCase();
    }
    const found = walk(param.node, segments, rest, params);
    if (found) {
      params[param.name] = decoded;
      return found;
    }
  }
  return undefined;
}

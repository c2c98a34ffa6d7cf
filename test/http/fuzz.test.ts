// A seeded fuzz of every route of the daemon's own api.yml: hostile paths, queries, headers,
// bodies (mutations of each route's schema) and credentials, sent with the administrator's token,
// a user's, a forged one or none. No answer may be a 5xx or show an internal detail (a stack, an
// error class, a file path, SQL), and the daemon must still answer and log in at the end. No line
// it logs may show a password or a whole token.
//
// WAZO_AUTH_FUZZ_SEED replays a run (its seed is printed when it fails); WAZO_AUTH_FUZZ_REQUESTS
// and WAZO_AUTH_FUZZ_SECONDS bound it (by default 5 000 requests or 40 s, whichever comes first).

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {parse} from 'yaml';
import {basic, startTestDaemon, type Answer, type CallOptions, type TestDaemon} from '../helpers/daemon.js';
import {recordingLog} from '../helpers/recording-log.js';
import {createTenant, createUser} from '../helpers/users.js';

const SEED = Number(process.env.WAZO_AUTH_FUZZ_SEED ?? 0x5eed_0010) >>> 0;
const MAX_REQUESTS = Number(process.env.WAZO_AUTH_FUZZ_REQUESTS ?? 5000);
const MAX_MS = Number(process.env.WAZO_AUTH_FUZZ_SECONDS ?? 40) * 1000;

/** mulberry32: small, seeded, good enough to pick among cases. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(SEED);
const int = (n: number) => Math.floor(random() * n);
const chance = (p: number) => random() < p;
const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
function uuid(): string {
  const hex = Array.from({length: 32}, () => int(16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20)}`;
}

// Hostile text, free of what the checks below look for, so that an echo is never mistaken for a leak.
const HOSTILE_TEXT = [
  '',
  ' ',
  'me',
  '#',
  '*',
  '!#',
  'a.b.c',
  '..',
  '../..',
  '%00',
  '%2F%2E%2E',
  '%E2%82%AC',
  '%ZZ',
  '\u0000',
  '\ud800',
  '\udfff',
  '😀'.repeat(50),
  'ａｄｍｉｎ',
  'A\u0301',
  '\u202eevil',
  '\r\nSet-Cookie: x=1',
  "' OR '1'='1",
  '"; --',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '__proto__',
  'constructor',
  'prototype',
  'null',
  'true',
  '-1',
  '0',
  '1e309',
  'NaN',
  'x'.repeat(300),
  'x'.repeat(5000),
  '00000000-0000-0000-0000-000000000000',
  'ZZZZZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZZZZZZZZZ',
];
const hostileText = (): string => (chance(0.02) ? 'y'.repeat(100_000 + int(400_000)) : pick(HOSTILE_TEXT));

/** Percent-encodes the UTF-8 bytes of `text` (a lone surrogate as U+FFFD), or only what a URL cannot carry raw. */
function encode(text: string, everything = true): string {
  const table = everything ? ENCODE_ALL : ENCODE_UNSAFE;
  let out = '';
  for (const b of Buffer.from(text, 'utf8')) out += table[b];
  return out;
}
/** What each byte becomes: itself when kept, else %XX (never '#', '?', '&' raw). */
function encodingTable(keep: RegExp): string[] {
  return Array.from({length: 256}, (_, b) => {
    const char = String.fromCharCode(b);
    return keep.test(char) && !'#?&'.includes(char) ? char : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  });
}
const ENCODE_ALL = encodingTable(/[A-Za-z0-9\-_.~]/);
const ENCODE_UNSAFE = encodingTable(/[\x21-\x7e]/);

interface Known {
  tenants: string[];
  users: string[];
  policies: string[];
  slugs: string[];
  groups: string[];
  sessions: string[];
  tokens: string[];
}

let td: TestDaemon;
let userToken = '';
const known: Known = {tenants: [], users: [], policies: [], slugs: [], groups: [], sessions: [], tokens: []};
let generation = 0;

/** Keeps the last few of each, so that paths name resources that exist. */
function remember(list: string[], value: string | undefined): void {
  if (value === undefined) return;
  list.push(value);
  if (list.length > 4) list.shift();
}

/**
 * A tenant, a user logged in (the low-privileged token), a policy and a group, made afresh now and
 * then: the fuzz deletes what it finds.
 */
async function replenish(): Promise<void> {
  const n = ++generation;
  const store = td.daemon.services.store;
  const top = (await store.tenants.top())!.uuid;
  remember(known.tenants, await createTenant(store, top, `fuzzed-tenant-${n}`));
  const acl = ['auth.users.me.#', 'confd.users.me.#', '!auth.users.me.password.update'];
  remember(known.users, await createUser(store, {username: `fuzzed-user-${n}`, password: 'user-pass', acl}));
  const admin = {token: td.admin.token};
  const policy = (await td.call('POST', '/0.1/policies', {...admin, body: {name: `fuzzed-policy-${n}`, acl: ['a.b']}})).json;
  remember(known.policies, policy?.uuid);
  remember(known.slugs, policy?.slug);
  remember(known.groups, (await td.call('POST', '/0.1/groups', {...admin, body: {name: `fuzzed-group-${n}`}})).json?.uuid);
  const login = await td.call('POST', '/0.1/token', {body: {expiration: 3600}, headers: {authorization: basic(`fuzzed-user-${n}`, 'user-pass')}});
  assert.equal(login.status, 200, login.text);
  userToken = login.json.data.token;
  remember(known.sessions, login.json.data.session_uuid);
  remember(known.tokens, userToken);
  issued.push(userToken);
}

/** Every token the fuzz's user logins got. */
const issued: string[] = [];
// Kept in memory and checked for secrets: the fuzz turns debug on (PATCH /config), and some ten
// thousand lines went to the test output.
const log = recordingLog();

before(async () => {
  td = await startTestDaemon({log});
  await replenish();
});
after(() => td.stop());

// ---- the operations of api.yml ----

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'body';
  type?: string;
  format?: string;
  enum?: unknown[];
  schema?: Schema;
}
interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
}

function operationsOf(document: {basePath: string; paths: Record<string, Record<string, {parameters?: Parameter[]}>>}): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      operations.push({method: method.toUpperCase(), path: document.basePath + path, parameters: operation.parameters ?? []});
    }
  }
  return operations;
}

// ---- values: most of the time plausible (to get past validation), else hostile ----

function pathValue(name: string, format?: string): string {
  if (chance(0.55)) {
    const byName: Record<string, string[]> = {
      user_uuid: known.users,
      tenant_uuid: known.tenants,
      parent_tenant_uuid: known.tenants,
      policy_uuid: known.policies,
      policy_slug: known.slugs,
      group_uuid: known.groups,
      session_uuid: known.sessions,
      token: known.tokens,
      client_id: ['fuzzed-client'],
      access: ['a.b', 'a.#', '!a.b'],
    };
    const values = byName[name];
    if (values?.length) return encode(pick(values));
  }
  if (format === 'uuid' && chance(0.5)) return uuid();
  return encode(hostileText(), chance(0.6));
}

function valueOf(schema: Schema | undefined, depth = 0): unknown {
  if (!schema || depth > 6) return hostileText();
  if (schema.enum && chance(0.8)) return pick(schema.enum);
  switch (schema.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {})) {
        if (schema.required?.includes(key) || chance(0.6)) out[key] = valueOf(property, depth + 1);
      }
      return out;
    }
    case 'array':
      return Array.from({length: int(4)}, () => valueOf(schema.items, depth + 1));
    case 'integer':
      return chance(0.7) ? (schema.minimum ?? 0) + int(100) : pick([-1, 0, 2 ** 31, 2 ** 53 + 1, 1e308, 1.5]);
    case 'number':
      return random() * 1000;
    case 'boolean':
      return chance(0.5);
    case 'string':
      if (schema.format === 'uuid') return chance(0.6) ? pick([...known.users, ...known.tenants, ...known.policies]) : uuid();
      return chance(0.6) ? `fuzz-${int(1e6)}` : hostileText();
    default:
      return hostileText();
  }
}

/** JSON nested `depth` deep, as text: too deep for JSON.stringify's own recursion. */
function nested(depth: number): string {
  return chance(0.5) ? `${'['.repeat(depth)}"bottom"${']'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** A mutation of a plausible body: wrong types, deep nesting, pollution keys, oddities. */
function mutated(value: unknown): unknown {
  const wrong = () => pick<unknown>([null, 0, -1, true, '', [], {}, 'text', 1e308, [null], {x: {}}, hostileText()]);
  switch (int(8)) {
    case 0:
      return wrong();
    case 1:
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? {...value, ['__proto__']: {polluted: true}, constructor: {prototype: {polluted: true}}, prototype: 1}
        : value;
    case 2: {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
      const keys = Object.keys(value);
      if (keys.length === 0) return {[hostileText()]: wrong()};
      return {...value, [pick(keys)]: wrong()};
    }
    case 3:
      return [value, value];
    case 4:
      return typeof value === 'object' && value !== null ? {...value, extra: hostileText(), [hostileText()]: 1} : value;
    default:
      return value;
  }
}

function rawBody(operation: Operation): string | undefined {
  const parameter = operation.parameters.find((p) => p.in === 'body');
  if (!parameter && !chance(0.1)) return undefined;
  if (chance(0.08)) return pick(['', '{', '[1,', '{"a": }', 'null', '[]', '"x"', '\u0000', '{"a":1}{"b":2}', '\ufeff{}', '{"__proto__": {"admin": true}}']);
  if (chance(0.04)) return nested(10 + int(5000));
  const value = valueOf(parameter?.schema);
  const text = JSON.stringify(chance(0.5) ? mutated(value) : value) ?? '';
  // An object literal's __proto__ key sets its prototype and never reaches the text: written in.
  return chance(0.1) ? text.replace(/^\{/, '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, ') : text;
}

function query(operation: Operation): string {
  const pairs: string[] = [];
  for (const parameter of operation.parameters.filter((p) => p.in === 'query')) {
    if (!chance(0.35)) continue;
    const value =
      parameter.enum && chance(0.6) ? String(pick(parameter.enum)) : parameter.type === 'integer' && chance(0.5) ? String(int(50) - 5) : hostileText();
    pairs.push(`${parameter.name}=${encode(value, chance(0.8))}`);
  }
  if (chance(0.1)) pairs.push(pick(['__proto__[x]=1', 'constructor=1', 'limit=1&limit=2', 'token=' + userToken, '=', '&&', 'a[]=1', '%ZZ=%ZZ']));
  return pairs.length ? `?${pairs.join('&')}` : '';
}

function headers(operation: Operation): Record<string, string> {
  const out: Record<string, string> = {};
  const token = pick([td.admin.token, td.admin.token, userToken, '', uuid(), 'x'.repeat(2000), td.admin.token.toUpperCase()]);
  if (token && chance(0.9)) out['x-auth-token'] = token;
  if (chance(0.4)) out['wazo-tenant'] = pick([...known.tenants, uuid(), '', 'not-a-tenant', 'x'.repeat(3000), '\u00e9']);
  if (chance(0.7))
    out['content-type'] = pick([
      'application/json',
      'application/json; charset=utf-8',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=utf-16',
      '',
    ]);
  if (chance(0.2))
    out['x-forwarded-for'] = pick([
      '1.2.3.4',
      '127.0.0.1, 10.0.0.1',
      'not an address',
      '::1',
      Array.from({length: 200}, (_, i) => `10.0.${i % 256}.1`).join(', '),
      '',
    ]);
  if (chance(0.1)) out['x-fuzz-large'] = 'v'.repeat(int(8000));
  if (chance(0.05)) out['wazo-session-type'] = pick(['mobile', 'MOBILE', '', 'x'.repeat(500)]);
  if (chance(0.05)) out['accept-encoding'] = pick(['gzip', 'br', '*', 'identity;q=0']);
  if (operation.path.endsWith('/token') || chance(0.05)) {
    const pair = pick([
      'admin:wrong',
      `fuzzed-user-${generation}:user-pass`,
      'fuzzed-user-1:',
      ':',
      'nobody:x',
      `${hostileText()}:${hostileText()}`,
      'no-colon',
    ]);
    out.authorization = pick([
      basic(...(pair.split(/:(.*)/s).slice(0, 2) as [string, string])),
      `Basic ${Buffer.from(pair, 'latin1').toString('base64')}`,
      'Basic !!!',
      'Basic',
      'Bearer x',
      `Basic ${'A'.repeat(6000)}`,
    ]);
  }
  return out;
}

// ---- what an answer must not show ----

const LEAKS: [string, RegExp][] = [
  ['a stack frame', /\n\s+at \S|\bat \S+ \(\S+:\d+:\d+\)|\.(?:ts|js|mjs|cjs):\d+:\d+/],
  ['an error class', /\b\w*Error:|\bError\b: /],
  ['node_modules', /node_modules/],
  ['a file path', /(?:^|[\s"'(])\/(?:work|home|root|tmp|usr|var|etc|opt|srv)\//],
  ['SQL', /SQLITE_|\bsqlite3?\b|syntax error|\bSELECT\b|\bINSERT INTO\b|\bUPDATE \w+ SET\b|relation "|violates .* constraint|duplicate key/i],
];

function leaks(answer: Answer, sent: string, operation: Operation): string[] {
  // GET and PATCH /config show the configuration, paths and database URI included, to administrators on purpose.
  if (operation.path === '/0.1/config' && answer.status === 200) return [];
  return LEAKS.filter(([, pattern]) => pattern.test(answer.text) && !pattern.test(sent)).map(([what]) => what);
}

/** Upstream's own 500s, answered in its shape: a SAML domain without a usable configuration, a logout response it cannot process. */
function upstreamSaml500(answer: {status: number; json?: any}): boolean {
  return answer.status === 500 && answer.json?.resource === 'saml' && ['configuration-error', 'processing-error'].includes(answer.json?.error_id);
}

test(`every route of api.yml, fuzzed (seed ${SEED}): no 5xx, nothing internal shown, no secret logged, the daemon alive`, async () => {
  const document = parse((await td.call('GET', '/0.1/api/api.yml')).text);
  const operations = operationsOf(document);
  assert.ok(operations.length > 60, `only ${operations.length} operations in api.yml`);

  const failures: string[] = [];
  const start = Date.now();
  let sent = 0;
  for (; sent < MAX_REQUESTS && Date.now() - start < MAX_MS; sent++) {
    const operation = operations[sent % operations.length]!; // every route in turn, each with random input
    if (sent % 150 === 149) await replenish();
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const declared = operation.parameters.find((p) => p.in === 'path' && p.name === name);
      return pathValue(name, declared?.format);
    });
    const url = path + query(operation);
    const options: CallOptions = {headers: headers(operation)};
    const body = rawBody(operation);
    if (body !== undefined) options.rawBody = body;
    let answer: Answer;
    try {
      answer = await td.call(operation.method, url, options);
    } catch (error) {
      // The daemon may cut a request it refuses (a header too large): fine, as long as it lives on.
      if (!/socket|closed|reset|ECONNRESET|UND_ERR/i.test(String(error))) throw error;
      continue;
    }
    const what = `${operation.method} ${url.slice(0, 200)} ${JSON.stringify(options.headers).slice(0, 200)} ${JSON.stringify(body ?? '').slice(0, 200)}`;
    if (answer.status >= 500 && !upstreamSaml500(answer)) failures.push(`${answer.status} for ${what}: ${answer.text.slice(0, 300)}`);
    const shown = leaks(answer, url + JSON.stringify(options.headers) + (body ?? ''), operation);
    if (shown.length) failures.push(`${shown.join(', ')} in the ${answer.status} answer to ${what}: ${answer.text.slice(0, 300)}`);
    if (failures.length >= 20) break;
  }

  assert.equal((await td.call('HEAD', '/0.1/status')).status, 200, 'the daemon still answers');
  const login = await td.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic(td.admin.username, td.admin.password)}});
  assert.equal(login.status, 200, `a login still works: ${login.text}`);
  assert.deepEqual(failures, [], `seed ${SEED} (replay with WAZO_AUTH_FUZZ_SEED=${SEED}), ${sent} requests`);
  const secrets = [td.admin.password, td.admin.token, ...issued];
  const shown = log.lines.filter(({message}) => secrets.some((secret) => message.includes(secret)));
  assert.deepEqual(shown, [], `seed ${SEED}: log lines that show a password or a whole token`);
  assert.ok(log.lines.length > 0, 'the daemon logged nothing');
  assert.ok(sent >= Math.min(MAX_REQUESTS, operations.length), `only ${sent} requests sent in the time budget`);
});

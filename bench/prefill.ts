// Fills the daemon's SQLite file before the daemon starts, through the store's own API:
//  - prefillTokens: live tokens spread over many users of their own (one session and one
//    token per call, as a login stores them): logging in 100 000 times over HTTP would take
//    minutes of argon2;
//  - populateTenants: tenants below the top tenant and users spread over them, for the
//    administration API scenario.

import {randomUUID} from 'node:crypto';
import Database from 'better-sqlite3';
import {tokenDigest} from '../src/store/digest.js';
import {openSqliteStore} from '../src/store/sqlite/index.js';
import type {TokenRecord, User} from '../src/domain/types.js';

export interface Prefill {
  /** Values of the tokens stored, for benchmarks that spread over them. */
  values: string[];
  inserted: number;
  /** Users created to own the tokens. */
  users: number;
  /** Users and tokens together. */
  seconds: number;
  xivoUuid: string;
}

/** A plausible user ACL: a dozen accesses, some with wildcards, `some.access` among them. */
export const PREFILL_ACL = [
  'auth.users.me.read',
  'auth.users.me.password.edit',
  'auth.users.me.tokens.*.read',
  'confd.users.me.read',
  'confd.users.me.*.read',
  'confd.users.me.funckeys.#',
  'calld.users.me.#',
  'chatd.users.me.#',
  'dird.directories.lookup.*.read',
  'websocketd',
  'some.access',
  'events.#',
];

/** A user of the top tenant or of another, with no password: it never logs in. */
function benchUser(tenantUuid: string, username: string, firstname: string, lastname: string, email?: string): User {
  return {
    uuid: randomUUID(),
    tenantUuid,
    username,
    firstname,
    lastname,
    purpose: 'user',
    enabled: true,
    authenticationMethod: 'default',
    emails: email ? [{uuid: randomUUID(), address: email, main: true, confirmed: true}] : [],
  };
}

/**
 * `count` tokens, each with its session, spread round-robin over `users` users created in the
 * top tenant for the purpose (token i belongs to user i mod `users`).
 */
export async function prefillTokens(options: {
  dbPath: string;
  count: number;
  users: number;
  lifetimeS: number;
  /** Bounds the work: stops and throws when exceeded. */
  timeoutMs: number;
  onProgress?: (done: number) => void;
}): Promise<Prefill> {
  const store = await openSqliteStore(options.dbPath);
  try {
    const top = await store.tenants.top();
    if (!top) throw new Error('no top tenant in the database: bootstrap must run before the pre-fill');
    // What the daemon itself does on start when the config has no uuid.
    const xivoUuid = await store.meta.setIfAbsent('xivo_uuid', randomUUID());
    const values: string[] = [];
    const started = performance.now();
    const now = Math.floor(Date.now() / 1000);
    const owners: string[] = [];
    const userCount = Math.max(1, Math.min(options.users, options.count));
    for (let i = 0; i < userCount; i += 1) {
      const n = String(i).padStart(5, '0');
      owners.push((await store.users.create(benchUser(top.uuid, `bench-prefill-${n}`, 'Prefill', n), null)).uuid);
    }
    for (let i = 0; i < options.count; i += 1) {
      const userUuid = owners[i % owners.length]!;
      if (i % 5000 === 0) {
        if (performance.now() - started > options.timeoutMs) {
          throw new Error(`pre-fill too slow: ${i} tokens in ${options.timeoutMs} ms`);
        }
        options.onProgress?.(i);
      }
      const value = randomUUID();
      const sessionUuid = randomUUID();
      const record: TokenRecord = {
        digest: tokenDigest(value),
        sessionUuid,
        authId: userUuid,
        pbxUserUuid: null,
        xivoUuid,
        issuedAt: now,
        expiresAt: now + options.lifetimeS,
        acl: PREFILL_ACL,
        metadata: {
          uuid: userUuid,
          tenant_uuid: top.uuid,
          auth_id: userUuid,
          pbx_user_uuid: null,
          xivo_uuid: xivoUuid,
          purpose: 'user',
        },
        userAgent: 'wazo-auth-bench',
        remoteAddr: '127.0.0.1',
        refreshTokenUuid: null,
      };
      await store.tokens.create({uuid: sessionUuid, tenantUuid: top.uuid, userUuid, mobile: false, createdAt: now}, record);
      values.push(value);
    }
    options.onProgress?.(options.count);
    return {values, inserted: values.length, users: owners.length, seconds: (performance.now() - started) / 1000, xivoUuid};
  } finally {
    await store.close();
  }
}

export interface Population {
  tenants: number;
  users: number;
  seconds: number;
  topTenantUuid: string;
  /** The uuid of one tenant created, to check a token against. */
  lastTenantUuid: string;
}

/**
 * `tenants` tenants directly below the top tenant (name, slug, one domain name each) and
 * `users` users spread round-robin over them (user i in tenant i mod `tenants`), each with a
 * confirmed e-mail address and no password. Their all-users groups are left to the daemon,
 * which creates those of every tenant on start.
 */
export async function populateTenants(options: {
  dbPath: string;
  tenants: number;
  users: number;
  timeoutMs: number;
  onProgress?: (what: string) => void;
}): Promise<Population> {
  const store = await openSqliteStore(options.dbPath);
  try {
    const top = await store.tenants.top();
    if (!top) throw new Error('no top tenant in the database: bootstrap must run before populating it');
    const started = performance.now();
    const check = (done: number, what: string) => {
      if (performance.now() - started > options.timeoutMs) throw new Error(`populating too slow: ${done} ${what} in ${options.timeoutMs} ms`);
    };
    const empty = {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null};
    const tenantUuids: string[] = [];
    for (let i = 0; i < options.tenants; i += 1) {
      if (i % 1000 === 0) {
        check(i, 'tenants');
        if (i) options.onProgress?.(`${i} tenants`);
      }
      const n = String(i).padStart(5, '0');
      const uuid = randomUUID();
      await store.tenants.create({
        uuid,
        name: `Bench tenant ${n}`,
        slug: `bt${n}`,
        parentUuid: top.uuid,
        contactUuid: null,
        phone: null,
        address: empty,
        domainNames: [`t${n}.bench.example`],
      });
      tenantUuids.push(uuid);
    }
    options.onProgress?.(`${tenantUuids.length} tenants`);
    for (let i = 0; i < options.users; i += 1) {
      if (i % 2000 === 0) {
        check(i, 'users');
        if (i) options.onProgress?.(`${i} users`);
      }
      const n = String(i).padStart(5, '0');
      const tenantUuid = tenantUuids.length ? tenantUuids[i % tenantUuids.length]! : top.uuid;
      await store.users.create(benchUser(tenantUuid, `bench-user-${n}`, 'User', n, `user${n}@bench.example`), null);
    }
    options.onProgress?.(`${options.users} users`);
    return {
      tenants: tenantUuids.length,
      users: options.users,
      seconds: (performance.now() - started) / 1000,
      topTenantUuid: top.uuid,
      lastTenantUuid: tenantUuids.at(-1) ?? top.uuid,
    };
  } finally {
    await store.close();
  }
}

/**
 * Deletes, through the store (the daemon stopped), every tenant whose name starts with
 * `namePrefix`; returns how many, and how many tenants remain.
 */
export async function removeTenantsNamed(dbPath: string, namePrefix: string): Promise<{removed: number; remaining: number}> {
  // Read with a connection of its own: the store has no listing by name that skips the tenant tree.
  const reader = new Database(dbPath, {readonly: true, fileMustExist: true});
  let uuids: string[];
  try {
    uuids = reader.prepare<[string], string>('SELECT uuid FROM tenants WHERE instr(name, ?) = 1').pluck().all(namePrefix);
  } finally {
    reader.close();
  }
  const store = await openSqliteStore(dbPath);
  try {
    for (const uuid of uuids) {
      const outcome = await store.tenants.delete(uuid);
      if (outcome !== 'deleted') throw new Error(`deleting tenant ${uuid} through the store: ${outcome}`);
    }
  } finally {
    await store.close();
  }
  const counter = new Database(dbPath, {readonly: true, fileMustExist: true});
  try {
    return {removed: uuids.length, remaining: counter.prepare<[], number>('SELECT count(*) FROM tenants').pluck().get()!};
  } finally {
    counter.close();
  }
}

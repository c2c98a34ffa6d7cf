// Fills the daemon's SQLite file with live tokens before the daemon starts, through the
// store's own API (one session and one token per call, as a login stores them): logging
// in 100 000 times over HTTP would take minutes of argon2.

import {randomUUID} from 'node:crypto';
import {tokenDigest} from '../src/store/digest.js';
import {openSqliteStore} from '../src/store/sqlite/index.js';
import type {TokenRecord} from '../src/store/store.js';

export interface Prefill {
  /** Values of the tokens stored, for benchmarks that spread over them. */
  values: string[];
  inserted: number;
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

export async function prefillTokens(options: {
  dbPath: string;
  count: number;
  userUuid: string;
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
    for (let i = 0; i < options.count; i += 1) {
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
        authId: options.userUuid,
        pbxUserUuid: null,
        xivoUuid,
        issuedAt: now,
        expiresAt: now + options.lifetimeS,
        acl: PREFILL_ACL,
        metadata: {
          uuid: options.userUuid,
          tenant_uuid: top.uuid,
          auth_id: options.userUuid,
          pbx_user_uuid: null,
          xivo_uuid: xivoUuid,
          purpose: 'internal',
        },
        userAgent: 'wazo-auth-bench',
        remoteAddr: '127.0.0.1',
        refreshTokenUuid: null,
      };
      await store.tokens.create(
        {uuid: sessionUuid, tenantUuid: top.uuid, userUuid: options.userUuid, mobile: false, createdAt: now},
        record,
      );
      values.push(value);
    }
    options.onProgress?.(options.count);
    return {values, inserted: values.length, seconds: (performance.now() - started) / 1000, xivoUuid};
  } finally {
    await store.close();
  }
}

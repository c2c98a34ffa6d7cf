// Login throttling: failed logins counted per (login, client address) and per client address, in
// the store, so that daemons sharing a database share the counts. After enough failures a key
// waits, each further failure doubling the wait up to a cap; a quiet window forgets the count.
// The owner of a login never waits for what happens at another address.

import {createHmac} from 'node:crypto';
import {isIP} from 'node:net';
import type {Clock} from '../clock.js';
import {LoginThrottled} from '../domain/errors.js';
import type {Logger} from '../log.js';
import {loginKey} from '../store/login-key.js';
import type {LoginFailureCount, LoginFailureKey, LoginFailureStore} from '../store/store.js';

export interface ThrottleSettings {
  enabled: boolean;
  /** Failures of one login from one address before it waits. */
  maxFailures: number;
  /** Failures of any login from one address before every login from it waits; 0: no such count. */
  perAddressMaxFailures: number;
  /** A count is forgotten this long after its last failure, or after its wait when longer. */
  windowSeconds: number;
  firstDelaySeconds: number;
  maxDelaySeconds: number;
}

/** An attempt let through, told how it ended. */
export interface LoginAttempt {
  /** Wrong credentials: counted for the pair and the address. */
  failed(): Promise<void>;
  /** Right credentials: the pair's count is forgotten; the address's keeps its failures. */
  succeeded(): Promise<void>;
}

/** What the operator sees of one (login, address) count. */
export interface ThrottleEntry {
  login: string;
  address: string;
  failures: number;
  /** Milliseconds since the epoch. */
  lastFailureAt: number;
  /** Whole seconds before the next attempt is judged; 0: attempts are judged now. */
  retryAfter: number;
}

const UNCOUNTED: LoginAttempt = {failed: async () => undefined, succeeded: async () => undefined};
/** A login longer than this in a log line is cut; it may be anything a client sent. */
const LOGGED_LOGIN = 256;

/**
 * The address counts are kept under: IPv4 as is, IPv6 by its /64 network, which one subscriber
 * holds whole (an attacker there would otherwise get 2^64 fresh counts).
 */
export function addressKey(address: string): string {
  const bare = address.replace(/%.*$/, '');
  if (isIP(bare) !== 6) return address.slice(0, 64);
  const groups = (part: string) =>
    part
      ? part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [parseInt(g, 16)];
          const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number];
          return [a * 256 + b, c * 256 + d];
        })
      : [];
  const [head = '', tail] = bare.split('::');
  const first = groups(head);
  const last = tail === undefined ? [] : groups(tail);
  const all = [...first, ...Array<number>(8 - first.length - last.length).fill(0), ...last];
  // An IPv4 client of a dual-stack socket (::ffff:a.b.c.d) counts as that IPv4 address.
  if (all.slice(0, 5).every((g) => g === 0) && all[5] === 0xffff) {
    return [all[6]! >> 8, all[6]! & 255, all[7]! >> 8, all[7]! & 255].join('.');
  }
  return `${all
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

export class LoginThrottle {
  private readonly loginHmacKey: Buffer;

  constructor(
    private readonly store: LoginFailureStore,
    private readonly clock: Clock,
    private readonly settings: ThrottleSettings,
    /** Derives the key of login digests: daemons sharing a database share it. */
    secret: Buffer,
    private readonly log: Logger,
  ) {
    this.loginHmacKey = createHmac('sha256', secret).update('wazo-auth login throttle').digest();
  }

  /**
   * Lets an attempt of `login` (undefined: a refresh token or no credentials, counted for the
   * address alone) from `address` through, or throws LoginThrottled while one of its counts waits.
   * The same for a login that exists and one that does not: nothing here reads the users.
   * Attempts let through together are all judged, then all counted: at most the hash queue's
   * bound of them past the limit.
   */
  async check(login: string | undefined, address: string): Promise<LoginAttempt> {
    if (!this.settings.enabled) return UNCOUNTED;
    const network = addressKey(address);
    const keys: LoginFailureKey[] = [];
    const limits: number[] = [];
    if (login !== undefined) {
      keys.push({loginDigest: this.loginDigest(login), address: network});
      limits.push(this.settings.maxFailures);
    }
    if (this.settings.perAddressMaxFailures > 0) {
      keys.push({loginDigest: '', address: network});
      limits.push(this.settings.perAddressMaxFailures);
    }
    if (keys.length === 0) return UNCOUNTED;

    const now = this.nowMs();
    const counts = await this.store.find(keys);
    const wait = Math.max(0, ...counts.map((count, i) => (this.live(count, now) ? this.waitEnd(count, limits[i]!) - now : 0)));
    if (wait > 0) throw new LoginThrottled(Math.ceil(wait / 1000));
    // Most logins find no count: their success then costs no write.
    const pairCounted = login !== undefined && counts[0] !== undefined;
    return {
      failed: () => this.countFailure(keys, limits, login, address),
      succeeded: async () => {
        if (pairCounted) await this.store.change([keys[0]!], () => ({counts: [null], result: undefined}));
      },
    };
  }

  /** The counts kept for these logins (any address), newest failure first. */
  async entries(logins: readonly string[]): Promise<ThrottleEntry[]> {
    const byDigest = new Map(logins.map((login) => [this.loginDigest(login), login]));
    if (byDigest.size === 0) return [];
    const now = this.nowMs();
    const counts = await this.store.listByLogins([...byDigest.keys()], now);
    return counts.map((count) => ({
      login: byDigest.get(count.loginDigest)!,
      address: count.address,
      failures: count.failures,
      lastFailureAt: count.lastFailureAt,
      retryAfter: Math.max(0, Math.ceil((this.waitEnd(count, this.settings.maxFailures) - now) / 1000)),
    }));
  }

  /** Forgets the counts of these logins, from every address; returns how many. */
  async clear(logins: readonly string[]): Promise<number> {
    return logins.length ? this.store.deleteByLogins([...new Set(logins.map((login) => this.loginDigest(login)))]) : 0;
  }

  /** Forgets the counts whose window has passed, in batches. */
  async removeExpired(batchSize: number): Promise<number> {
    const now = this.nowMs();
    let total = 0;
    for (;;) {
      const removed = await this.store.deleteExpired(now, batchSize);
      total += removed;
      if (removed < batchSize) return total;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private async countFailure(keys: LoginFailureKey[], limits: number[], login: string | undefined, address: string): Promise<void> {
    const now = this.nowMs();
    const counted = await this.store.change(keys, (stored) => {
      const counts = stored.map((count, i) => this.counted(keys[i]!, this.live(count, now) ? count : undefined, now, limits[i]!));
      return {counts, result: counts};
    });
    counted.forEach((count, i) => {
      if (count.failures >= limits[i]!) this.sayWaiting(count, login, address, now);
    });
  }

  private live(count: LoginFailureCount | undefined, now: number): count is LoginFailureCount {
    return count !== undefined && count.expiresAt > now;
  }

  private loginDigest(login: string): string {
    return createHmac('sha256', this.loginHmacKey).update(loginKey(login)).digest('hex');
  }

  private nowMs(): number {
    return Math.floor(this.clock.nowMicros() / 1000);
  }

  /** The wait after `failures`: the first at the limit, doubled by each failure past it, capped. */
  private delayMs(failures: number, limit: number): number {
    const {firstDelaySeconds, maxDelaySeconds} = this.settings;
    return Math.min(firstDelaySeconds * 2 ** (failures - limit), maxDelaySeconds) * 1000;
  }

  /** When the count's wait ends; 0 when it has none. */
  private waitEnd(count: LoginFailureCount | undefined, limit: number): number {
    return count && count.failures >= limit ? count.lastFailureAt + this.delayMs(count.failures, limit) : 0;
  }

  private counted(key: LoginFailureKey, count: LoginFailureCount | undefined, now: number, limit: number): LoginFailureCount {
    const next = {...key, failures: (count?.failures ?? 0) + 1, lastFailureAt: now, expiresAt: 0};
    next.expiresAt = Math.max(now, this.waitEnd(next, limit)) + this.settings.windowSeconds * 1000;
    return next;
  }

  /** One line when a wait begins, none per refused attempt. */
  private sayWaiting(count: LoginFailureCount, login: string | undefined, address: string, now: number): void {
    const seconds = Math.ceil((this.waitEnd(count, count.loginDigest ? this.settings.maxFailures : this.settings.perAddressMaxFailures) - now) / 1000);
    const who = count.loginDigest ? `login ${JSON.stringify(login!.slice(0, LOGGED_LOGIN))}` : 'every login';
    this.log.warning(`Login throttled: ${who} from ${address} after ${count.failures} failures, next attempt judged in ${seconds} s`);
  }
}

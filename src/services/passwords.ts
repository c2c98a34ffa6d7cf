// Password hashing: argon2id for every new hash, plus verification of the
// PBKDF2 hashes carried over from an upstream wazo-auth database.

import {hashSync, parseOptions, type Algorithm, type Options} from '@node-rs/argon2';
import {randomUUID, timingSafeEqual} from 'node:crypto';
import {availableParallelism} from 'node:os';
import {HashQueueFull} from '../domain/errors.js';
import {HashPool} from './hash-pool.js';

/** One hash per core but one: a core stays with the event loop whatever the flood of logins. */
export function defaultHashWorkers(): number {
  return Math.max(1, availableParallelism() - 1);
}

/**
 * Four logins per worker: a login admitted behind a full queue waits about four hashes (some
 * 100 ms) before its own, and a burst of that many (phones after a restart) still waits rather
 * than fails. A longer queue would only make every login slower, not let more through.
 */
export function defaultMaxPendingHashes(workers: number): number {
  return 4 * workers;
}

let pool = new HashPool(defaultHashWorkers(), defaultMaxPendingHashes(defaultHashWorkers()));

/** How many hashes may run at once (`password_hash_workers`) and how many logins may run or wait (`max_pending_password_hashes`). */
export function setHashWorkers(workers: number, maxPending = defaultMaxPendingHashes(workers)): void {
  if (workers !== pool.size) pool = new HashPool(workers);
  pool.maxPending = maxPending;
}

/** The daemon's pool: whether a login would be refused now, and how many hashes it has spent. */
export function hashPool(): HashPool {
  return pool;
}

/** `bounded`: a login's verification, refused with HashQueueFull rather than queued behind a full pool. */
export interface VerifyOptions {
  bounded?: boolean;
}

// The binding declares Algorithm as a const enum and its runtime object is
// empty, so the value must be written out for code not compiled by tsc.
const ARGON2ID = 2 as Algorithm;
const ARGON2_VERSION_0x13 = 1;

/** What an argon2id hash costs: memory in KiB, and passes over it. */
export interface HashCost {
  memoryCost: number;
  timeCost: number;
}

/** OWASP's minimum for argon2id: 19 MiB, two passes. */
export const DEFAULT_HASH_COST: HashCost = {memoryCost: 19456, timeCost: 2};

// Upstream's PasswordEncrypter: PBKDF2-HMAC-SHA512 over the UTF-8 password,
// 250 000 iterations, a 64-byte salt, a 64-byte key stored as lowercase hex.
const LEGACY_PREFIX = 'pbkdf2-sha512$';
const LEGACY_ITERATIONS = 250_000;
const LEGACY_KEY_BYTES = 64;
const HEX = /^(?:[0-9a-f]{2})+$/i;

// An argon2id hash, at DEFAULT_HASH_COST, of a random password nobody kept:
// verifying against it costs what a real verification costs and always fails.
// A test checks its parameters still match DEFAULT_HASH_COST.
export const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$SdNb0mUj6rHxSoyKgYflqw$muONw9j0R3hh3IWVDugNuW0rOM7UwypKR+mZxYcBLcQ';

/**
 * The daemon's passwords: argon2id for every new hash at one cost, and the checks of stored
 * hashes, upstream's PBKDF2 ones included. The work runs in the process's hash pool.
 */
export class Passwords {
  readonly #options: Options;
  /** A hash at this cost of a password nobody kept: what an unknown login is checked against. */
  readonly #dummy: string;

  /** A cost other than the default is for test daemons, whose every user would otherwise spend 20 MiB and two passes. */
  constructor(cost: HashCost = DEFAULT_HASH_COST) {
    this.#options = {algorithm: ARGON2ID, parallelism: 1, outputLen: 32, ...cost};
    const usual = cost.memoryCost === DEFAULT_HASH_COST.memoryCost && cost.timeCost === DEFAULT_HASH_COST.timeCost;
    // Made here, outside the pool, so that no login pays for it or finds it counted among its hashes.
    this.#dummy = usual ? DUMMY_HASH : hashSync(randomUUID(), this.#options);
  }

  async hash(password: string): Promise<string> {
    return (await pool.run({op: 'hash', password, options: this.#options})) as string;
  }

  /**
   * Checks a password against its stored hash. `needsRehash` asks the caller to store a fresh
   * hash(): set after a successful check of an upstream PBKDF2 hash or of an argon2 hash made at
   * another cost.
   */
  async verify(password: string, stored: string | null, options: VerifyOptions = {}): Promise<{ok: boolean; needsRehash: boolean}> {
    if (stored?.startsWith(LEGACY_PREFIX)) {
      const ok = await this.#verifyLegacy(password, stored, options);
      return {ok, needsRehash: ok};
    }
    if (stored?.startsWith('$argon2')) {
      let ok: boolean;
      try {
        ok = await argon2Verify(stored, password, options);
      } catch (error) {
        if (error instanceof HashQueueFull) throw error;
        // A damaged hash in the store refuses the login like a wrong password, in the same time.
        await this.verifyNothing(password);
        return {ok: false, needsRehash: false};
      }
      return {ok, needsRehash: ok && !this.#current(stored)};
    }
    // No password set, or a format we do not know.
    await this.verifyNothing(password, options);
    return {ok: false, needsRehash: false};
  }

  /** Burns the time of a real verification, so an unknown user costs the same as a bad password. */
  async verifyNothing(password: string, options: VerifyOptions = {}): Promise<void> {
    await argon2Verify(this.#dummy, password, options).catch((error: unknown) => {
      if (error instanceof HashQueueFull) throw error;
    });
  }

  #current(stored: string): boolean {
    const used = parseOptions(stored);
    const wanted = this.#options;
    return (
      used.algorithm === wanted.algorithm &&
      used.version === ARGON2_VERSION_0x13 &&
      used.memoryCost === wanted.memoryCost &&
      used.timeCost === wanted.timeCost &&
      used.parallelism === wanted.parallelism &&
      used.outputLen === wanted.outputLen
    );
  }

  async #verifyLegacy(password: string, stored: string, options: VerifyOptions): Promise<boolean> {
    const [saltHex, hashHex] = stored.slice(LEGACY_PREFIX.length).split('$');
    if (!saltHex || !hashHex || !HEX.test(saltHex) || !HEX.test(hashHex) || hashHex.length !== LEGACY_KEY_BYTES * 2) {
      await this.verifyNothing(password, options);
      return false;
    }
    // No Unicode normalisation: upstream hashed the UTF-8 bytes as typed.
    const job = {op: 'pbkdf2', password, saltHex, iterations: LEGACY_ITERATIONS, keyBytes: LEGACY_KEY_BYTES} as const;
    const derived = (await pool.run(job, options)) as Uint8Array;
    return timingSafeEqual(derived, Buffer.from(hashHex, 'hex'));
  }
}

const argon2Verify = async (stored: string, password: string, options: VerifyOptions) => (await pool.run({op: 'verify', stored, password}, options)) as boolean;

/** Builds the stored form of an upstream hash (salt bytes and derived key, both as hex). */
export function legacyHash(saltHex: string, hashHex: string): string {
  if (!HEX.test(saltHex)) throw new Error('legacy password salt must be non-empty hex');
  if (!HEX.test(hashHex) || hashHex.length !== LEGACY_KEY_BYTES * 2) {
    throw new Error(`legacy password hash must be ${LEGACY_KEY_BYTES * 2} hex characters`);
  }
  return `${LEGACY_PREFIX}${saltHex.toLowerCase()}$${hashHex.toLowerCase()}`;
}

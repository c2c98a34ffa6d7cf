// The failed-login counts of login throttling, shared by every daemon of the database: each
// change reads and writes its keys under locks, so that no attempt is counted twice or lost.
import {sql, type SqlBool} from 'kysely';
import type {StoreContext} from './context.js';
import type {LoginFailureCount, LoginFailureKey, LoginFailureStore} from './store.js';

const COLUMNS = ['login_digest as loginDigest', 'address', 'failures', 'last_failure_at as lastFailureAt', 'expires_at as expiresAt'] as const;

const same = (a: LoginFailureKey, b: LoginFailureKey) => a.loginDigest === b.loginDigest && a.address === b.address;

export function createLoginFailureStore({db, dialect}: StoreContext): LoginFailureStore {
  /** The rows of these keys, matched as (digest, address) pairs bound as two lists. */
  const ofKeys = (keys: LoginFailureKey[]) =>
    db
      .selectFrom('login_failures')
      .select(COLUMNS)
      .where(
        dialect.inList(
          sql.ref('login_digest'),
          keys.map((key) => key.loginDigest),
        ),
      )
      .where(
        dialect.inList(
          sql.ref('address'),
          keys.map((key) => key.address),
        ),
      );

  return {
    async find(keys) {
      if (keys.length === 0) return [];
      const rows = await ofKeys(keys).where('failures', '>', 0).execute();
      return keys.map((key) => rows.find((row) => same(row, key)));
    },
    async change(keys, decide) {
      // Keys in one order everywhere, so that two changes never wait on each other's locks.
      const sorted = [...keys].sort(compare);
      return dialect.writeTransaction(db, async (trx) => {
        // A key never counted gets a placeholder row, no failure and already expired, which reads
        // as no count: then there is a row to lock, and two daemons counting a new key's first
        // failures wait for each other.
        for (const key of sorted) {
          await trx
            .insertInto('login_failures')
            .values({login_digest: key.loginDigest, address: key.address, failures: 0, last_failure_at: 0, expires_at: 0})
            .onConflict((conflict) => conflict.doNothing())
            .execute();
        }
        const rows: LoginFailureCount[] = [];
        for (const key of sorted) {
          const row = await dialect
            .forUpdate(trx.selectFrom('login_failures').select(COLUMNS).where('login_digest', '=', key.loginDigest).where('address', '=', key.address))
            .executeTakeFirst();
          if (row && row.failures > 0) rows.push(row);
        }
        const {counts, result} = decide(keys.map((key) => rows.find((row) => same(row, key))));
        for (const [index, count] of counts.entries()) {
          const key = keys[index]!;
          if (count === null) {
            await trx.deleteFrom('login_failures').where('login_digest', '=', key.loginDigest).where('address', '=', key.address).execute();
          } else if (count) {
            // An upsert all the same: a row forgotten meanwhile (an operator's clear) is written anew.
            await trx
              .insertInto('login_failures')
              .values({
                login_digest: count.loginDigest,
                address: count.address,
                failures: count.failures,
                last_failure_at: count.lastFailureAt,
                expires_at: count.expiresAt,
              })
              .onConflict((conflict) =>
                conflict.columns(['login_digest', 'address']).doUpdateSet((eb) => ({
                  failures: eb.ref('excluded.failures'),
                  last_failure_at: eb.ref('excluded.last_failure_at'),
                  expires_at: eb.ref('excluded.expires_at'),
                })),
              )
              .execute();
          }
        }
        return result;
      });
    },
    async listByLogins(loginDigests, now) {
      return db
        .selectFrom('login_failures')
        .select(COLUMNS)
        .where(dialect.inList(sql.ref('login_digest'), loginDigests))
        .where('expires_at', '>', now)
        .orderBy('last_failure_at', 'desc')
        .orderBy('address')
        .execute();
    },
    async deleteByLogins(loginDigests) {
      const result = await db
        .deleteFrom('login_failures')
        .where(dialect.inList(sql.ref('login_digest'), loginDigests))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async deleteExpired(now, limit) {
      // SKIP LOCKED: a daemon cleaning at the same moment takes other rows instead of waiting.
      const expired = dialect.forUpdate(db.selectFrom('login_failures').select(['login_digest', 'address']).where('expires_at', '<=', now).limit(limit), {
        skipLocked: true,
      });
      const result = await db.deleteFrom('login_failures').where(sql<SqlBool>`(login_digest, address) IN (${expired})`).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

function compare(a: LoginFailureKey, b: LoginFailureKey): number {
  return a.loginDigest < b.loginDigest ? -1 : a.loginDigest > b.loginDigest ? 1 : a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
}

// The failed-login counts of login throttling, shared by every daemon of the database: each
// change reads and writes its keys under row locks, so that no attempt is counted twice or lost.
import type {LoginFailureCount, LoginFailureStore} from '../store.js';
import {sql, type Database} from './database.js';

const COLUMNS = `login_digest AS "loginDigest", address, failures, last_failure_at AS "lastFailureAt", expires_at AS "expiresAt"`;

// A key never counted gets a placeholder row, no failure and already expired, which reads as no
// count: then there is a row to lock, and two daemons counting a new key's first failures wait
// for each other.
const placeholders = sql(
  `INSERT INTO login_failures (login_digest, address, failures, last_failure_at, expires_at)
   SELECT d, a, 0, 0, 0 FROM unnest(@digests::text[], @addresses::text[]) AS k (d, a)
   ON CONFLICT DO NOTHING`,
);
const counts = sql(
  `SELECT ${COLUMNS} FROM login_failures
   WHERE (login_digest, address) IN (SELECT * FROM unnest(@digests::text[], @addresses::text[])) AND failures > 0`,
);
const lockedCounts = sql(
  `SELECT ${COLUMNS} FROM login_failures
   WHERE (login_digest, address) IN (SELECT * FROM unnest(@digests::text[], @addresses::text[]))
   ORDER BY login_digest COLLATE "C", address COLLATE "C" FOR UPDATE`,
);
// An upsert all the same: a row forgotten meanwhile (an operator's clear) is written anew.
const write = sql(
  `INSERT INTO login_failures (login_digest, address, failures, last_failure_at, expires_at)
   VALUES (@loginDigest, @address, @failures, @lastFailureAt, @expiresAt)
   ON CONFLICT (login_digest, address) DO UPDATE SET
     failures = excluded.failures, last_failure_at = excluded.last_failure_at, expires_at = excluded.expires_at`,
);
const forget = sql('DELETE FROM login_failures WHERE login_digest = @loginDigest AND address = @address');
const listByLogins = sql(
  `SELECT ${COLUMNS} FROM login_failures WHERE login_digest = ANY (@digests::text[]) AND expires_at > @now
   ORDER BY last_failure_at DESC, address`,
);
const deleteByLogins = sql('DELETE FROM login_failures WHERE login_digest = ANY (@digests::text[])');
const deleteExpired = sql(
  `DELETE FROM login_failures WHERE (login_digest, address) IN
     (SELECT login_digest, address FROM login_failures WHERE expires_at <= @now LIMIT @limit FOR UPDATE SKIP LOCKED)`,
);

export function createLoginFailureStore(db: Database): LoginFailureStore {
  return {
    async find(keys) {
      const rows = await db.rows<LoginFailureCount>(counts, {digests: keys.map((k) => k.loginDigest), addresses: keys.map((k) => k.address)});
      return keys.map((key) => rows.find((row) => row.loginDigest === key.loginDigest && row.address === key.address));
    },
    change(keys, decide) {
      // Keys in one order everywhere, so that two changes never wait on each other's locks.
      const order = keys.map((_, index) => index).sort((i, j) => compare(keys[i]!, keys[j]!));
      const digests = order.map((i) => keys[i]!.loginDigest);
      const addresses = order.map((i) => keys[i]!.address);
      return db.transaction(async (tx) => {
        await tx.run(placeholders, {digests, addresses});
        const rows = await tx.rows<LoginFailureCount>(lockedCounts, {digests, addresses});
        const found = (key: {loginDigest: string; address: string}) =>
          rows.find((row) => row.loginDigest === key.loginDigest && row.address === key.address && row.failures > 0);
        const {counts, result} = decide(keys.map(found));
        for (const [index, count] of counts.entries()) {
          if (count === null) await tx.run(forget, {...keys[index]!});
          else if (count) await tx.run(write, {...count});
        }
        return result;
      });
    },
    listByLogins(loginDigests, now) {
      return db.rows<LoginFailureCount>(listByLogins, {digests: loginDigests, now});
    },
    deleteByLogins(loginDigests) {
      return db.run(deleteByLogins, {digests: loginDigests});
    },
    deleteExpired(now, limit) {
      return db.run(deleteExpired, {now, limit});
    },
  };
}

function compare(a: {loginDigest: string; address: string}, b: {loginDigest: string; address: string}): number {
  return a.loginDigest < b.loginDigest ? -1 : a.loginDigest > b.loginDigest ? 1 : a.address < b.address ? -1 : a.address > b.address ? 1 : 0;
}

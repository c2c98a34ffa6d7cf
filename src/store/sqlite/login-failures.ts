// The failed-login counts of login throttling, in the daemon's SQLite file.
import type {LoginFailureCount, LoginFailureKey, LoginFailureStore} from '../store.js';
import type {Db} from './database.js';

const COLUMNS = `login_digest AS loginDigest, address, failures, last_failure_at AS lastFailureAt, expires_at AS expiresAt`;

export function createLoginFailureStore(db: Db): LoginFailureStore {
  const read = db.prepare<[string, string], LoginFailureCount>(`SELECT ${COLUMNS} FROM login_failures WHERE login_digest = ? AND address = ?`);
  const write = db.prepare<LoginFailureCount>(
    `INSERT INTO login_failures (login_digest, address, failures, last_failure_at, expires_at)
     VALUES (@loginDigest, @address, @failures, @lastFailureAt, @expiresAt)
     ON CONFLICT (login_digest, address) DO UPDATE SET
       failures = excluded.failures, last_failure_at = excluded.last_failure_at, expires_at = excluded.expires_at`,
  );
  const forget = db.prepare<[string, string]>('DELETE FROM login_failures WHERE login_digest = ? AND address = ?');
  const listByLogins = db.prepare<[string, number], LoginFailureCount>(
    `SELECT ${COLUMNS} FROM login_failures
     WHERE login_digest IN (SELECT value FROM json_each(?)) AND expires_at > ?
     ORDER BY last_failure_at DESC, address`,
  );
  const deleteByLogins = db.prepare<[string]>('DELETE FROM login_failures WHERE login_digest IN (SELECT value FROM json_each(?))');
  const deleteExpired = db.prepare<[number, number]>(
    `DELETE FROM login_failures WHERE (login_digest, address) IN
       (SELECT login_digest, address FROM login_failures WHERE expires_at <= ? LIMIT ?)`,
  );

  return {
    async find(keys) {
      return keys.map((key) => read.get(key.loginDigest, key.address));
    },
    async change(keys, decide) {
      // IMMEDIATE: the write lock from the first read, as PostgreSQL's row locks.
      return db
        .transaction(() => {
          const {counts, result} = decide(keys.map((key: LoginFailureKey) => read.get(key.loginDigest, key.address)));
          counts.forEach((count, index) => {
            if (count === null) forget.run(keys[index]!.loginDigest, keys[index]!.address);
            else if (count) write.run(count);
          });
          return result;
        })
        .immediate();
    },
    async listByLogins(loginDigests, now) {
      return listByLogins.all(JSON.stringify(loginDigests), now);
    },
    async deleteByLogins(loginDigests) {
      return deleteByLogins.run(JSON.stringify(loginDigests)).changes;
    },
    async deleteExpired(now, limit) {
      return deleteExpired.run(now, limit).changes;
    },
  };
}

// Schema step 5: the failed-login counts behind login throttling.
import type {Migration} from '../index.js';

export const loginFailuresMigration: Migration = {
  version: 5,
  name: 'login throttling',
  sql: `
    CREATE TABLE login_failures (
      -- a keyed digest of the lower-cased login ('' for the address's own count): a password
      -- typed as a login is never kept in clear
      login_digest TEXT NOT NULL,
      address TEXT NOT NULL,
      failures INTEGER NOT NULL,
      -- milliseconds since the epoch
      last_failure_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      PRIMARY KEY (login_digest, address)
    ) WITHOUT ROWID;
    CREATE INDEX login_failures_expiry ON login_failures (expires_at);
  `,
};

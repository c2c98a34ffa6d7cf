// Schema step 2 on PostgreSQL: the failed-login counts behind login throttling, shared by every
// daemon of the database.
import type {Migration} from '../index.js';

export const loginFailuresMigration: Migration = {
  version: 2,
  name: 'login throttling',
  sql: `
    CREATE TABLE login_failures (
      -- a keyed digest of the lower-cased login ('' for the address's own count): a password
      -- typed as a login is never kept in clear
      login_digest text NOT NULL,
      address text NOT NULL,
      failures integer NOT NULL,
      -- milliseconds since the epoch
      last_failure_at bigint NOT NULL,
      expires_at bigint NOT NULL,
      PRIMARY KEY (login_digest, address)
    );
    CREATE INDEX login_failures_expiry ON login_failures (expires_at);
  `,
};

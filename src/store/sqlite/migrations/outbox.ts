// Schema step 7: the bus outbox and the sessions already told they expire soon.
import type {Migration} from '../migrations.js';

export const outboxMigration: Migration = {
  version: 7,
  name: 'bus outbox',
  sql: `
    CREATE TABLE bus_outbox (
      -- AUTOINCREMENT: an id is never reused, so the order of ids is the order of the changes
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      routing_key TEXT NOT NULL,
      headers TEXT NOT NULL,
      data TEXT NOT NULL,
      -- milliseconds since the epoch
      created_at INTEGER NOT NULL
    );
    CREATE INDEX bus_outbox_created ON bus_outbox (created_at);

    CREATE TABLE session_expiry_notices (
      session_uuid TEXT PRIMARY KEY,
      -- the token's expiry (seconds): the notice is forgotten after it
      expire_t INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX session_expiry_notices_expire ON session_expiry_notices (expire_t);
  `,
};

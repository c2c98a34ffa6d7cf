// Step 7: the bus outbox (events written in the transaction of their change, published after)
// and the sessions already told they expire soon.
import type {Step} from './index.js';

export const outboxStep: Step = {
  version: 7,
  name: 'bus outbox',
  sql: {
    sqlite: `
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
      CREATE INDEX session_expiry_notices_expire ON session_expiry_notices (expire_t);`,
    postgresql: `
      CREATE TABLE bus_outbox (
        -- ids follow commit order only roughly; one drain at a time takes them in id order
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        routing_key text NOT NULL,
        -- json, not jsonb: the headers keep upstream's order
        headers json NOT NULL,
        data json NOT NULL,
        -- milliseconds since the epoch
        created_at bigint NOT NULL
      );
      CREATE INDEX bus_outbox_created ON bus_outbox (created_at);

      CREATE TABLE session_expiry_notices (
        session_uuid text PRIMARY KEY,
        -- the token's expiry (seconds): the notice is forgotten after it
        expire_t bigint NOT NULL
      );
      CREATE INDEX session_expiry_notices_expire ON session_expiry_notices (expire_t);`,
  },
};

// Schema step 4 on PostgreSQL: the bus outbox, shared by the daemons of the database, and the
// sessions already told they expire soon.
import type {Migration} from '../migrations.js';

export const outboxMigration: Migration = {
  version: 4,
  name: 'bus outbox',
  sql: `
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
    CREATE INDEX session_expiry_notices_expire ON session_expiry_notices (expire_t);
  `,
};

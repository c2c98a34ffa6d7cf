// The bus outbox on PostgreSQL, shared by every daemon of the database. A drain holds a
// transaction-scoped advisory lock while it publishes: one daemon drains at a time, so each
// message goes out once and in order; the lock goes with the transaction, even when its daemon
// dies.
import type {ExpiringSession, NewOutboxMessage, OutboxMessage, OutboxStore} from '../store.js';
import {jsonParam, sql, type Database, type Queries} from './database.js';

/** First key of the drain's advisory lock: "bo" (bus outbox); the second is the schema's hash. */
const LOCK_CLASS = 0x626f;

interface MessageRow {
  id: number;
  routing_key: string;
  headers: Record<string, unknown>;
  data: Record<string, unknown>;
  created_at: number;
}

interface ExpiringRow {
  session_uuid: string;
  tenant_uuid: string;
  auth_id: string;
}

const insert = sql(
  `INSERT INTO bus_outbox (routing_key, headers, data, created_at)
   SELECT * FROM unnest(@keys::text[], @headers::json[], @data::json[], @at::bigint[])`,
);
const tryLock = sql('SELECT pg_try_advisory_xact_lock(@class, hashtext(current_schema())) AS locked');
const oldest = sql('SELECT id, routing_key, headers, data, created_at FROM bus_outbox ORDER BY id LIMIT @limit');
const remove = sql('DELETE FROM bus_outbox WHERE id = ANY (@ids::bigint[])');
const count = sql('SELECT count(*) AS n FROM bus_outbox');
const dropOlder = sql('DELETE FROM bus_outbox WHERE created_at < @before');
const dropBeyond = sql('DELETE FROM bus_outbox WHERE id <= (SELECT id FROM bus_outbox ORDER BY id DESC LIMIT 1 OFFSET @keep)');
// The notice rows decide: a session another daemon noted at the same moment conflicts and is left out.
const noteExpiring = sql(
  `WITH due AS (
     SELECT t.session_uuid, coalesce(t.metadata->>'tenant_uuid', s.tenant_uuid) AS tenant_uuid, t.auth_id, t.expire_t
     FROM tokens t JOIN sessions s ON s.uuid = t.session_uuid
     WHERE t.expire_t >= @now::float8 AND t.expire_t < @horizon::float8
       AND NOT EXISTS (SELECT 1 FROM session_expiry_notices n WHERE n.session_uuid = t.session_uuid)
     ORDER BY t.expire_t LIMIT @limit),
   noted AS (
     INSERT INTO session_expiry_notices (session_uuid, expire_t) SELECT session_uuid, expire_t FROM due
     ON CONFLICT DO NOTHING RETURNING session_uuid)
   SELECT due.session_uuid, due.tenant_uuid, due.auth_id FROM due JOIN noted USING (session_uuid) ORDER BY due.expire_t`,
);
const forget = sql('DELETE FROM session_expiry_notices WHERE expire_t < @now::float8');

async function record(tx: Queries, messages: NewOutboxMessage[], at: number): Promise<void> {
  if (messages.length === 0) return;
  await tx.run(insert, {
    keys: messages.map((message) => message.routingKey),
    headers: messages.map((message) => jsonParam(message.headers)),
    data: messages.map((message) => jsonParam(message.data)),
    at: messages.map(() => at),
  });
}

export function createOutboxStore(db: Database, now: () => number = Date.now): OutboxStore {
  return {
    atomically<T>(change: () => Promise<T>, messages: (result: T) => NewOutboxMessage[]): Promise<T> {
      return db.atomically(async (tx) => {
        const result = await change();
        await record(tx, messages(result), now());
        return result;
      });
    },

    drain(limit: number, publish: (messages: OutboxMessage[]) => Promise<void>): Promise<number> {
      return db.transaction(async (tx) => {
        const lock = await tx.row<{locked: boolean}>(tryLock, {class: LOCK_CLASS});
        if (!lock?.locked) return 0;
        const rows = await tx.rows<MessageRow>(oldest, {limit});
        if (rows.length === 0) return 0;
        await publish(
          rows.map((row) => ({id: row.id, routingKey: row.routing_key, headers: row.headers, data: row.data, createdAt: row.created_at})),
        );
        await tx.run(remove, {ids: rows.map((row) => row.id)});
        return rows.length;
      });
    },

    async depth(): Promise<number> {
      return (await db.row<{n: number}>(count))!.n;
    },

    trim(before: number, keep: number): Promise<number> {
      return db.transaction(async (tx) => (await tx.run(dropOlder, {before})) + (await tx.run(dropBeyond, {keep})));
    },

    noticeExpiring(from: number, horizon: number, limit: number, messages: (sessions: ExpiringSession[]) => NewOutboxMessage[]) {
      return db.transaction(async (tx) => {
        const rows = await tx.rows<ExpiringRow>(noteExpiring, {now: from, horizon, limit});
        const sessions = rows.map((row) => ({sessionUuid: row.session_uuid, tenantUuid: row.tenant_uuid, userUuid: row.auth_id}));
        await record(tx, messages(sessions), now());
        return sessions;
      });
    },

    forgetNotices(before: number): Promise<number> {
      return db.run(forget, {now: before});
    },
  };
}

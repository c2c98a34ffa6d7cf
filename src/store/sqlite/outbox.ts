// The bus outbox on SQLite. One daemon owns the file (daemon-lock.ts), so one drain at a time
// within this process is one drain at a time.
import type {ExpiringSession, NewOutboxMessage, OutboxMessage, OutboxStore} from '../store.js';
import type {Db} from './database.js';

interface MessageRow {
  id: number;
  routing_key: string;
  headers: string;
  data: string;
  created_at: number;
}

interface ExpiringRow {
  session_uuid: string;
  tenant_uuid: string;
  auth_id: string;
  metadata: string;
  expire_t: number;
}

/** Runs the async bodies given to it one after the other. */
class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(body: () => Promise<T>): Promise<T> {
    const result = this.tail.then(body, body);
    this.tail = result.catch(() => undefined);
    return result;
  }
}

/** The tenant a session's events name: its token's metadata says it, as upstream reads it. */
function noticeTenant(metadata: string, fallback: string): string {
  try {
    const tenant = (JSON.parse(metadata) as Record<string, unknown>)['tenant_uuid'];
    return typeof tenant === 'string' ? tenant : fallback;
  } catch {
    return fallback;
  }
}

export function createOutboxStore(db: Db, now: () => number = Date.now): OutboxStore {
  const insert = db.prepare<[string, string, string, number]>(
    'INSERT INTO bus_outbox (routing_key, headers, data, created_at) VALUES (?, ?, ?, ?)',
  );
  const oldest = db.prepare<[number], MessageRow>('SELECT id, routing_key, headers, data, created_at FROM bus_outbox ORDER BY id LIMIT ?');
  const removeUpTo = db.prepare<[number]>('DELETE FROM bus_outbox WHERE id <= ?');
  const count = db.prepare<[], number>('SELECT count(*) FROM bus_outbox').pluck();
  const dropOlder = db.prepare<[number]>('DELETE FROM bus_outbox WHERE created_at < ?');
  const dropBeyond = db.prepare<[number]>(
    'DELETE FROM bus_outbox WHERE id <= (SELECT id FROM bus_outbox ORDER BY id DESC LIMIT 1 OFFSET ?)',
  );
  const expiring = db.prepare<[number, number, number], ExpiringRow>(
    `SELECT t.session_uuid, s.tenant_uuid, t.auth_id, t.metadata, t.expire_t
     FROM tokens t JOIN sessions s ON s.uuid = t.session_uuid
     WHERE t.expire_t >= ? AND t.expire_t < ?
       AND NOT EXISTS (SELECT 1 FROM session_expiry_notices n WHERE n.session_uuid = t.session_uuid)
     ORDER BY t.expire_t LIMIT ?`,
  );
  const note = db.prepare<[string, number]>('INSERT INTO session_expiry_notices (session_uuid, expire_t) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const forget = db.prepare<[number]>('DELETE FROM session_expiry_notices WHERE expire_t < ?');

  const record = (messages: NewOutboxMessage[]) => {
    const at = now();
    for (const message of messages) {
      insert.run(message.routingKey, JSON.stringify(message.headers), JSON.stringify(message.data), at);
    }
  };
  const notice = db.transaction((from: number, horizon: number, limit: number, messages: (sessions: ExpiringSession[]) => NewOutboxMessage[]) => {
    const sessions: ExpiringSession[] = [];
    for (const row of expiring.all(from, horizon, limit)) {
      if (note.run(row.session_uuid, row.expire_t).changes === 1) {
        sessions.push({sessionUuid: row.session_uuid, tenantUuid: noticeTenant(row.metadata, row.tenant_uuid), userUuid: row.auth_id});
      }
    }
    record(messages(sessions));
    return sessions;
  });
  // Atomic sections wait for one another: SQLite has one transaction per connection.
  const sections = new Serial();
  let draining = false;

  return {
    atomically<T>(change: () => Promise<T>, messages: (result: T) => NewOutboxMessage[]): Promise<T> {
      return sections.run(async () => {
        // The store's SQLite calls run synchronously when called, so the change's statements all
        // fall inside this transaction. A statement of another request that runs while it is
        // open joins it and is committed with it. A change that fails has undone its own writes
        // (each store call is one statement or a savepoint): what the transaction holds is then
        // committed all the same, so that nothing another request wrote is lost.
        db.exec('BEGIN IMMEDIATE');
        try {
          const result = await change();
          record(messages(result));
          return result;
        } finally {
          if (db.inTransaction) db.exec('COMMIT');
        }
      });
    },

    async drain(limit: number, publish: (messages: OutboxMessage[]) => Promise<void>): Promise<number> {
      if (draining) return 0;
      draining = true;
      try {
        const rows = oldest.all(limit);
        if (rows.length === 0) return 0;
        await publish(
          rows.map((row) => ({
            id: row.id,
            routingKey: row.routing_key,
            headers: JSON.parse(row.headers) as Record<string, unknown>,
            data: JSON.parse(row.data) as Record<string, unknown>,
            createdAt: row.created_at,
          })),
        );
        // Ids only grow and nothing but trim() removes others: the published ones are those up to the last.
        await sections.run(async () => removeUpTo.run(rows.at(-1)!.id));
        return rows.length;
      } finally {
        draining = false;
      }
    },

    async depth(): Promise<number> {
      return count.get()!;
    },

    async trim(before: number, keep: number): Promise<number> {
      return sections.run(async () => dropOlder.run(before).changes + dropBeyond.run(keep).changes);
    },

    async noticeExpiring(from, horizon, limit, messages) {
      return sections.run(async () => notice.immediate(from, horizon, limit, messages));
    },

    async forgetNotices(before: number): Promise<number> {
      return sections.run(async () => forget.run(before).changes);
    },
  };
}

// The bus outbox: the events of a change are written in the change's own transaction (an atomic
// section, src/store/atomic.ts) and published afterwards, in order, once. One drain at a time
// across the daemons of a database (dialect.exclusively); within this process, one at all.
import {sql, type Kysely} from 'kysely';
import type {StoreContext} from './context.js';
import type {Dialect} from './dialect.js';
import type {ExpiringSession, NewOutboxMessage, OutboxMessage, OutboxStore} from './store.js';
import type {Tables} from './tables.js';

/** First key of the drain's lock: "bo" (bus outbox). */
const DRAIN_LOCK = 0x626f;

/** Seconds with their fraction, compared as such by both engines (a bound number would be bigint to PostgreSQL). */
const fractional = (seconds: number) => sql<number>`CAST(${seconds} AS double precision)`;

/** The tenant a session's events name: its token's metadata says it, as upstream reads it. */
function noticeTenant(metadata: unknown, dialect: Dialect, fallback: string): string {
  try {
    const tenant = dialect.fromJson<Record<string, unknown> | null>(metadata as string)?.['tenant_uuid'];
    return typeof tenant === 'string' ? tenant : fallback;
  } catch {
    return fallback;
  }
}

export function createOutboxStore({db, dialect, atomically}: StoreContext, now: () => number = Date.now): OutboxStore {
  async function record(trx: Kysely<Tables>, messages: NewOutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const at = now();
    await trx
      .insertInto('bus_outbox')
      .values(
        messages.map((message) => ({
          routing_key: message.routingKey,
          headers: dialect.toJson(message.headers),
          data: dialect.toJson(message.data),
          created_at: at,
        })),
      )
      .execute();
  }
  let draining = false;

  return {
    atomically<T>(change: () => Promise<T>, messages: (result: T) => NewOutboxMessage[]): Promise<T> {
      return atomically(async () => {
        const result = await change();
        // `db` is the section's connection here, as it is for every store call of `change`.
        await record(db, messages(result));
        return result;
      });
    },

    async drain(limit: number, publish: (messages: OutboxMessage[]) => Promise<void>): Promise<number> {
      if (draining) return 0;
      draining = true;
      try {
        return await dialect.exclusively(db, DRAIN_LOCK, 0, async (trx) => {
          const rows = await trx.selectFrom('bus_outbox').select(['id', 'routing_key', 'headers', 'data', 'created_at']).orderBy('id').limit(limit).execute();
          if (rows.length === 0) return 0;
          await publish(
            rows.map((row) => ({
              id: row.id,
              routingKey: row.routing_key,
              headers: dialect.fromJson(row.headers),
              data: dialect.fromJson(row.data),
              createdAt: row.created_at,
            })),
          );
          // By id: a message recorded meanwhile may have a lower id than the last published (PostgreSQL).
          await trx
            .deleteFrom('bus_outbox')
            .where(
              'id',
              'in',
              rows.map((row) => row.id),
            )
            .execute();
          return rows.length;
        });
      } finally {
        draining = false;
      }
    },

    async depth(): Promise<number> {
      const row = await db.selectFrom('bus_outbox').select(sql<number>`count(*)`.as('n')).executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    async trim(before: number, keep: number): Promise<number> {
      // Two statements, each whole on its own: no transaction holds SQLite's write lock between them.
      const older = await db.deleteFrom('bus_outbox').where('created_at', '<', before).executeTakeFirst();
      const newest = db.selectFrom('bus_outbox').select('id').orderBy('id', 'desc').limit(1).offset(keep);
      const beyond = await db.deleteFrom('bus_outbox').where('id', '<=', newest).executeTakeFirst();
      return Number(older.numDeletedRows + beyond.numDeletedRows);
    },

    noticeExpiring(from: number, horizon: number, limit: number, messages: (sessions: ExpiringSession[]) => NewOutboxMessage[]) {
      return dialect.writeTransaction(db, async (trx) => {
        const due = await trx
          .selectFrom('tokens as t')
          .innerJoin('sessions as s', 's.uuid', 't.session_uuid')
          .select(['t.session_uuid', 's.tenant_uuid', 't.auth_id', 't.metadata', 't.expire_t'])
          .where('t.expire_t', '>=', fractional(from))
          .where('t.expire_t', '<', fractional(horizon))
          .where(({not, exists, selectFrom}) =>
            not(exists(selectFrom('session_expiry_notices as n').select('n.session_uuid').whereRef('n.session_uuid', '=', 't.session_uuid'))),
          )
          .orderBy('t.expire_t')
          .limit(limit)
          .execute();
        if (due.length === 0) {
          await record(trx, messages([]));
          return [];
        }
        // The notice rows decide: a session another daemon noted meanwhile conflicts and is left out.
        const noted = await trx
          .insertInto('session_expiry_notices')
          .values(due.map((row) => ({session_uuid: row.session_uuid, expire_t: row.expire_t})))
          .onConflict((conflict) => conflict.doNothing())
          .returning('session_uuid')
          .execute();
        const mine = new Set(noted.map((row) => row.session_uuid));
        const sessions = due
          .filter((row) => mine.has(row.session_uuid))
          .map((row) => ({sessionUuid: row.session_uuid, tenantUuid: noticeTenant(row.metadata, dialect, row.tenant_uuid), userUuid: row.auth_id}));
        await record(trx, messages(sessions));
        return sessions;
      });
    },

    async forgetNotices(before: number): Promise<number> {
      const result = await db.deleteFrom('session_expiry_notices').where('expire_t', '<', fractional(before)).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

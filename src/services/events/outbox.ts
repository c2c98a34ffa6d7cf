// The services' way to announce a change on the bus: the change and its events are written in one
// transaction (the outbox); the publisher sends them afterwards. With the bus off (`amqp.uri`
// null) the change runs alone.

import type {Clock} from '../../clock.js';
import type {Session} from '../../domain/types.js';
import type {NewOutboxMessage, Store} from '../../store/store.js';
import {busEvents, type EventOrigin} from './bus-events.js';

export class EventOutbox {
  /** Told after a change wrote events (the publisher, to send them without waiting for its poll). */
  onRecorded: () => void = () => undefined;
  /** The publisher's counters, once the daemon started it. */
  publisher: {readonly status: {connected: boolean; published: number; dropped: number}} | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** The service uuid the messages carry as origin_uuid. */
    private readonly originUuid: string | null,
    readonly enabled: boolean,
  ) {}

  /** Origin and time for the messages of a change made now. */
  origin(): EventOrigin {
    return {originUuid: this.originUuid, nowMicros: this.clock.nowMicros()};
  }

  /** Runs `change` (store calls only) and records the events it causes with it. */
  async record<T>(change: () => Promise<T>, events: (result: T, origin: EventOrigin) => NewOutboxMessage[]): Promise<T> {
    if (!this.enabled) return change();
    let wrote = false;
    const result = await this.store.outbox.atomically(change, (outcome) => {
      const messages = events(outcome, this.origin());
      wrote = messages.length > 0;
      return messages;
    });
    if (wrote) this.onRecorded();
    return result;
  }

  /** auth_session_deleted for each of these sessions. */
  static sessionsDeleted(sessions: Session[], origin: EventOrigin): NewOutboxMessage[] {
    return sessions.map((session) => busEvents.sessionDeleted(session, origin));
  }

  /**
   * auth_session_expire_soon, once per session, for the sessions whose token expires within
   * `noticeSeconds`; returns how many were noticed.
   */
  async noticeExpiring(noticeSeconds: number, batchSize: number): Promise<number> {
    if (!this.enabled) return 0;
    // Not rounded: as upstream, a token is due when it expires before now plus the interval.
    const now = this.clock.nowMicros() / 1e6;
    await this.store.outbox.forgetNotices(now);
    let total = 0;
    for (;;) {
      const noticed = await this.store.outbox.noticeExpiring(now, now + noticeSeconds, batchSize, (sessions) => {
        const origin = this.origin();
        return sessions.map((session) =>
          busEvents.sessionExpireSoon({uuid: session.sessionUuid, tenantUuid: session.tenantUuid, userUuid: session.userUuid}, origin),
        );
      });
      total += noticed.length;
      if (noticed.length > 0) this.onRecorded();
      if (noticed.length < batchSize) return total;
    }
  }
}

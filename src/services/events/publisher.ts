// Sends the outbox to RabbitMQ: in order, a batch at a time on a confirm channel, removing a batch
// only once the broker has confirmed all of it. While the broker is away nothing else waits on
// it: requests go on writing to the outbox, and the publisher reconnects with a growing delay.

import {once} from 'node:events';
import type {ChannelModel, ConfirmChannel} from 'amqplib';
import type {Logger} from '../../log.js';
import type {OutboxMessage, OutboxStore} from '../../store/store.js';
import {maskedUri} from '../config.js';

export interface PublisherSettings {
  uri: string;
  exchangeName: string;
  exchangeType: string;
  /** Seconds an event may wait before it is dropped. */
  maxAgeSeconds: number;
  /** Events that may wait; beyond, the oldest are dropped. */
  maxEvents: number;
  /** Messages per confirmed batch. */
  batchSize?: number;
  /** How often the outbox is looked at when nothing announced a change (other daemons' events). */
  pollMs?: number;
}

export interface PublisherStatus {
  /** Whether a channel to the broker is open now. */
  connected: boolean;
  /** Events published since start. */
  published: number;
  /** Events dropped (too old or too many) since start. */
  dropped: number;
}

/** Reconnection delays: upstream's publisher waits 2 s, then 2 s more each time, up to 32 s. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(2_000 * (attempt + 1), 32_000);
}

const CONFIRM_TIMEOUT_MS = 30_000;
// Two indexed deletes that find nothing while the outbox is within bounds: cheap at every pass.
const TRIM_EVERY_MS = 1_000;
const STOP_GRACE_MS = 5_000;

export class BusPublisher {
  private model: ChannelModel | undefined;
  private channel: ConfirmChannel | undefined;
  private stopped = false;
  private wake: (() => void) | undefined;
  private pending = false;
  private loop: Promise<void> | undefined;
  private lastTrim = 0;
  readonly status: PublisherStatus = {connected: false, published: 0, dropped: 0};

  constructor(
    private readonly outbox: OutboxStore,
    private readonly settings: PublisherSettings,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** A change wrote events: look at the outbox now rather than at the next poll. */
  notify(): void {
    this.pending = true;
    this.wake?.();
  }

  /**
   * Lets a batch in flight be confirmed and removed (else it would go out again after a restart),
   * for a few seconds at most, then closes the connection.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.loop, new Promise((resolve) => (timer = setTimeout(resolve, STOP_GRACE_MS)))]);
    clearTimeout(timer);
    await this.disconnect();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped) {
      try {
        await this.trim();
        if (!this.channel) await this.connect();
        failures = 0;
        const sent = await this.outbox.drain(this.settings.batchSize ?? 200, (messages) => this.publish(messages));
        this.status.published += sent;
        if (sent === 0) await this.idle(this.settings.pollMs ?? 1_000);
      } catch (error) {
        if (this.stopped) break;
        const delay = reconnectDelayMs(failures++);
        this.log.error(`bus: ${(error as Error).message}; retrying in ${delay / 1000} s`);
        await this.disconnect();
        await this.idle(delay);
      }
    }
  }

  /** Waits `ms`, or less when a change is announced (or the publisher stops). */
  private async idle(ms: number): Promise<void> {
    // A stop that came while the loop was busy (connecting, say) has no wake to call.
    if (this.stopped) return;
    if (this.pending && this.channel) {
      this.pending = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      // While disconnected, an announced change does not cut the reconnection delay short.
      this.wake = () => (this.channel || this.stopped ? done() : undefined);
    });
    this.wake = undefined;
    this.pending = false;
  }

  private async connect(): Promise<void> {
    // Bounded: an unreachable broker must not hold the loop (nor the daemon's stop) for minutes.
    const {connect} = await import('amqplib');
    const model = await connect(this.settings.uri, {timeout: 10_000});
    try {
      model.on('error', () => undefined);
      model.on('close', () => {
        if (this.model === model) {
          this.model = undefined;
          this.channel = undefined;
          this.status.connected = false;
          if (!this.stopped) this.log.warning('bus: connection to the broker lost');
          this.wake?.();
        }
      });
      const channel = await model.createConfirmChannel();
      channel.on('error', () => undefined);
      // As upstream declares it: durable, so that consumers may declare it as well.
      await channel.assertExchange(this.settings.exchangeName, this.settings.exchangeType, {durable: true});
      this.model = model;
      this.channel = channel;
      this.status.connected = true;
      this.log.info(`bus: connected to ${maskedUri(this.settings.uri)}, exchange ${this.settings.exchangeName}`);
    } catch (error) {
      await model.close().catch(() => undefined);
      throw error;
    }
  }

  private async disconnect(): Promise<void> {
    const model = this.model;
    this.model = undefined;
    this.channel = undefined;
    this.status.connected = false;
    await model?.close().catch(() => undefined);
  }

  /** Publishes the batch and resolves once the broker confirmed every message of it. */
  private async publish(messages: OutboxMessage[]): Promise<void> {
    const channel = this.channel;
    if (!channel) throw new Error('not connected to the broker');
    for (const message of messages) {
      const body = Buffer.from(JSON.stringify({...message.headers, data: message.data}));
      // kombu's properties for upstream's JSON events: persistent, priority 0.
      const fits = channel.publish(this.settings.exchangeName, message.routingKey, body, {
        headers: message.headers,
        contentType: 'application/json',
        contentEncoding: 'utf-8',
        deliveryMode: 2,
        priority: 0,
      });
      // A full buffer waits for room, or for the channel's end (then the batch fails).
      if (!fits) {
        const settled = new AbortController();
        try {
          await Promise.race([
            once(channel, 'drain', {signal: settled.signal}),
            once(channel, 'close', {signal: settled.signal}).then(() => Promise.reject(new Error('the channel closed while publishing'))),
          ]);
        } finally {
          settled.abort();
        }
      }
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        channel.waitForConfirms(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error('the broker did not confirm in time')), CONFIRM_TIMEOUT_MS);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Keeps the outbox within its bounds; what is dropped is said, and counted. */
  private async trim(): Promise<void> {
    const now = Date.now();
    if (now - this.lastTrim < TRIM_EVERY_MS) return;
    this.lastTrim = now;
    const dropped = await this.outbox.trim(now - this.settings.maxAgeSeconds * 1000, this.settings.maxEvents);
    if (dropped > 0) {
      this.status.dropped += dropped;
      this.log.error(`bus: dropped the ${dropped} oldest waiting events (older than amqp.outbox_max_age or beyond amqp.outbox_max_events)`);
    }
  }
}

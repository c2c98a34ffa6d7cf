// `wazo-auth events tail`: a queue of its own (exclusive, gone with the connection) bound to the
// exchange, each event printed on one line as it comes.

import {connect} from 'amqplib';
import {usageError} from './failure.js';

export interface TailedEvent {
  name: string;
  routing_key: string;
  headers: Record<string, unknown>;
  data: unknown;
}

/** `auth_session_*` and the like: `*` any run of characters, `?` one; the rest literal. */
export function nameMatcher(patterns: string[]): (name: string) => boolean {
  if (patterns.length === 0) return () => true;
  const expressions = patterns.map(
    (pattern) =>
      new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replaceAll('*', '.*')
          .replaceAll('?', '.')}$`,
      ),
  );
  return (name) => expressions.some((expression) => expression.test(name));
}

/** One line of text: time, name, routing key and the event's data as compact JSON. */
export function textLine(event: TailedEvent): string {
  const time = typeof event.headers['timestamp'] === 'string' ? event.headers['timestamp'] : '-';
  return `${time}  ${event.name}  ${event.routing_key}  ${JSON.stringify(event.data)}`;
}

/** The broker's URI without its password, for messages. */
export function shownUri(uri: string): string {
  return uri.replace(/^(amqps?:\/\/[^:/@]*:)[^@/]*@/i, '$1********@');
}

/**
 * A password in the URI must come from the environment (WAZO_AUTH_AMQP_URI), never from the
 * command line, where every user of the machine reads it.
 */
export function assertNoPasswordInArgv(uri: string, argv: readonly string[]): void {
  const password = /^amqps?:\/\/[^:/@]*:([^@/]+)@/i.exec(uri)?.[1];
  if (password && argv.some((arg) => arg.includes(uri))) {
    throw usageError('--bus: put a URI holding a password in WAZO_AUTH_AMQP_URI rather than on the command line');
  }
}

export interface FollowOptions {
  uri: string;
  exchange: string;
  exchangeType: string;
  matches: (name: string) => boolean;
  onEvent: (event: TailedEvent) => void;
  /** The connection ended without close(): the broker went away or refused us. */
  onLost?: (error: Error) => void;
}

/** A queue of its own bound to the exchange, receiving until close(). */
export async function followEvents(options: FollowOptions): Promise<{close(): Promise<void>}> {
  const model = await connect(options.uri, {timeout: 10_000});
  let closing = false;
  model.on('error', () => undefined);
  model.once('close', (error?: Error) => {
    if (!closing) options.onLost?.(error ?? new Error('the broker closed the connection'));
  });
  try {
    const channel = await model.createChannel();
    // Declared as upstream declares it, so that following before the daemon's first start works.
    await channel.assertExchange(options.exchange, options.exchangeType, {durable: true});
    const {queue} = await channel.assertQueue('', {exclusive: true, autoDelete: true});
    await channel.bindQueue(queue, options.exchange, '#');
    await channel.consume(
      queue,
      (message) => {
        if (!message) return;
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(message.content.toString('utf8')) as Record<string, unknown>;
        } catch {
          return; // not a Wazo event
        }
        const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
        const name = String(headers['name'] ?? body['name'] ?? '');
        if (options.matches(name)) options.onEvent({name, routing_key: message.fields.routingKey, headers, data: body['data'] ?? body});
      },
      {noAck: true},
    );
  } catch (error) {
    closing = true;
    await model.close().catch(() => undefined);
    throw error;
  }
  return {
    async close() {
      closing = true;
      await model.close().catch(() => undefined);
    },
  };
}

/**
 * Prints the events of `exchange` until `signal` aborts or `count` events are printed; resolves
 * then. Rejects when the broker cannot be reached or drops the connection.
 */
export async function tailEvents(options: {
  uri: string;
  exchange: string;
  exchangeType: string;
  matches: (name: string) => boolean;
  print: (event: TailedEvent) => void;
  count?: number;
  signal: AbortSignal;
  /** Told once the queue is bound: events from then on are printed. */
  onReady?: () => void;
}): Promise<void> {
  let printed = 0;
  let finish: () => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const ended = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const follower = await followEvents({
    ...options,
    onEvent: (event) => {
      if (options.count !== undefined && printed >= options.count) return;
      options.print(event);
      if (options.count !== undefined && ++printed >= options.count) finish();
    },
    onLost: fail,
  });
  try {
    options.signal.addEventListener('abort', () => finish(), {once: true});
    if (options.signal.aborted) finish();
    options.onReady?.();
    await ended;
  } finally {
    await follower.close();
  }
}

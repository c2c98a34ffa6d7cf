// The machine's RabbitMQ for the bus tests, named by WAZO_AUTH_TEST_AMQP_URI (skipped, saying so,
// without it), and a consumer of our own bound to a test's exchange.
import {randomBytes} from 'node:crypto';
import {connect, type ConsumeMessage} from 'amqplib';

export const testAmqpUri = process.env['WAZO_AUTH_TEST_AMQP_URI'] || undefined;
export const amqpSkip: string | false = testAmqpUri ? false : 'WAZO_AUTH_TEST_AMQP_URI is not set: RabbitMQ tests skipped';

/** An exchange name no other test uses. */
export function freshExchange(): string {
  return `wazo-auth-test-${randomBytes(6).toString('hex')}`;
}

export interface Received {
  routingKey: string;
  headers: Record<string, unknown>;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  deliveryMode: number | undefined;
  body: Record<string, unknown>;
}

export interface BusConsumer {
  /** Everything received so far, in arrival order. */
  readonly received: Received[];
  /** Waits until `count` messages satisfying `match` have arrived (at most `timeoutMs`); returns them. */
  waitFor(count: number, match?: (message: Received) => boolean, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
}

/** Declares the exchange as upstream does (durable) and binds a temporary queue to it with `#`. */
export async function consumeExchange(uri: string, exchange: string, type = 'topic'): Promise<BusConsumer> {
  const model = await connect(uri);
  const channel = await model.createChannel();
  await channel.assertExchange(exchange, type, {durable: true});
  const {queue} = await channel.assertQueue('', {exclusive: true, autoDelete: true});
  await channel.bindQueue(queue, exchange, '#');
  const received: Received[] = [];
  let waiters: (() => void)[] = [];
  await channel.consume(
    queue,
    (message: ConsumeMessage | null) => {
      if (!message) return;
      received.push({
        routingKey: message.fields.routingKey,
        headers: (message.properties.headers ?? {}) as Record<string, unknown>,
        contentType: message.properties.contentType as string | undefined,
        contentEncoding: message.properties.contentEncoding as string | undefined,
        deliveryMode: message.properties.deliveryMode as number | undefined,
        body: JSON.parse(message.content.toString('utf8')) as Record<string, unknown>,
      });
      const notify = waiters;
      waiters = [];
      for (const wake of notify) wake();
    },
    {noAck: true},
  );
  return {
    received,
    async waitFor(count, match = () => true, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = received.filter(match);
        if (found.length >= count) return found;
        const left = deadline - Date.now();
        if (left <= 0) {
          throw new Error(`waited for ${count} messages, got ${found.length}: ${received.map((m) => m.routingKey).join(', ')}`);
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    async close() {
      await model.close().catch(() => undefined);
    },
  };
}

// What GET /metrics tells Prometheus (prom-client): logins by outcome, token checks with their
// latency, and, read when scraped, the live sessions, the password-hash queue, the bus outbox and
// whether the database and the bus answer. The token check pays one histogram observation.

import {Counter, Gauge, Histogram, Registry} from 'prom-client';

export type LoginOutcome = 'success' | 'failure' | 'throttled' | 'busy' | 'refused';
export type TokenCheckResult = 'valid' | 'invalid' | 'denied';

/** What the gauges read at each scrape; each may fail, and the gauge then says so (database down: 0). */
export interface MetricSources {
  liveSessions(): Promise<number>;
  hashQueueDepth(): number;
  outboxDepth(): Promise<number>;
  databaseUp(): Promise<boolean>;
  /** null: the bus is off (`amqp.uri: null`). */
  busConnected(): boolean | null;
}

const LOGIN_OUTCOMES: readonly LoginOutcome[] = ['success', 'failure', 'throttled', 'busy', 'refused'];
const CHECK_RESULTS: readonly TokenCheckResult[] = ['valid', 'invalid', 'denied'];
/** Seconds: a check served from memory takes tens of microseconds, one that reads PostgreSQL milliseconds. */
const CHECK_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

export class DaemonMetrics {
  readonly registry = new Registry();
  private readonly logins: Record<LoginOutcome, Counter.Internal>;
  private readonly checks: Record<TokenCheckResult, Histogram.Internal<'result'>>;

  constructor(sources: MetricSources) {
    const registers = [this.registry];
    const logins = new Counter({name: 'wazo_auth_logins_total', help: 'Logins (POST /token) by outcome', labelNames: ['outcome'], registers});
    const checks = new Histogram({
      name: 'wazo_auth_token_check_duration_seconds',
      help: 'Token checks (GET and HEAD /token/{token}) by result, and the time each took',
      labelNames: ['result'],
      buckets: CHECK_BUCKETS,
      registers,
    });
    // Bound once: a check then only observes, without looking its labels up.
    this.logins = Object.fromEntries(LOGIN_OUTCOMES.map((o) => [o, logins.labels(o)])) as DaemonMetrics['logins'];
    this.checks = Object.fromEntries(CHECK_RESULTS.map((r) => [r, checks.labels(r)])) as DaemonMetrics['checks'];
    const gauge = (name: string, help: string, read: () => Promise<number> | number) =>
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          this.set(
            await Promise.resolve()
              .then(read)
              .catch(() => Number.NaN),
          );
        },
      });
    gauge('wazo_auth_sessions', 'Sessions whose token has not expired', sources.liveSessions);
    gauge('wazo_auth_password_hash_queue_depth', 'Password hashes running or waiting', sources.hashQueueDepth);
    gauge('wazo_auth_outbox_depth', 'Bus events waiting in the outbox', sources.outboxDepth);
    gauge('wazo_auth_database_up', 'Whether the database answers (1) or not (0)', async () => ((await sources.databaseUp()) ? 1 : 0));
    gauge('wazo_auth_bus_connected', 'Whether the bus publisher is connected (1) or not (0); NaN when the bus is off', () => {
      const connected = sources.busConnected();
      return connected === null ? Number.NaN : connected ? 1 : 0;
    });
  }

  login(outcome: LoginOutcome): void {
    this.logins[outcome].inc();
  }

  /** `seconds` since the check began. */
  tokenCheck(result: TokenCheckResult, seconds: number): void {
    this.checks[result].observe(seconds);
  }

  /** The text exposition format, and its content type. */
  async exposition(): Promise<{contentType: string; text: string}> {
    return {contentType: this.registry.contentType, text: await this.registry.metrics()};
  }
}

// The events scenario (`npm run bench -- events`): what the bus costs.
//
//   1. POST /0.1/token (Basic logins, 25 in flight) on a daemon publishing to RabbitMQ
//      (BENCH_AMQP_URI, default amqp://guest:guest@127.0.0.1:5672, a fresh exchange with a queue of
//      ours bound to it) vs the same on a daemon with the bus off (`amqp.uri: null`), in
//      alternating rounds. Target: ≥ 90 %. Each login writes auth_session_created to the outbox
//      in its transaction; the publisher sends it afterwards.
//   2. The outbox's drain rate: BENCH_DRAIN_EVENTS events (default 20 000) written to a SQLite
//      outbox while no publisher runs, then sent by the daemon's publisher (confirmed batches)
//      until the outbox is empty; events per second, for information.
// Results also go to bench/results/bench-events-<time>.json.

import {randomBytes} from 'node:crypto';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {connect} from 'amqplib';
import {createLogger} from '../src/log.js';
import {BusPublisher} from '../src/services/events/publisher.js';
import {openSqliteStore} from '../src/store/sqlite/index.js';
import {removeFolder, trackFolder} from './children.js';
import {CONNECTIONS, describeMachine, int, log, machineLine, positiveNumber, ratiosTable, runsTable, writeResult, type Ratio} from './common.js';
import {API, bootstrapAdmin, loginLoad, prepareDaemon, startDaemon, type DaemonSetup, type RunningDaemon} from './daemon.js';
import {measure} from './load.js';
import {inTurns, interleaved, medianRps, roundTiming, ROUNDS} from './turns.js';

const AMQP_URI = process.env['BENCH_AMQP_URI'] || 'amqp://guest:guest@127.0.0.1:5672';
const DRAIN_EVENTS = Math.trunc(positiveNumber('BENCH_DRAIN_EVENTS', 20_000));

async function drainRate(exchange: string): Promise<{events: number; seconds: number}> {
  const dir = mkdtempSync(join(tmpdir(), 'wazo-auth-bench-outbox-'));
  trackFolder(dir);
  const store = await openSqliteStore(join(dir, 'outbox.db'));
  try {
    const message = (n: number) => ({
      routingKey: `auth.sessions.${n}.created`,
      headers: {
        tenant_uuid: 't',
        session_uuid: String(n),
        name: 'auth_session_created',
        required_access: 'event.auth_session_created',
        timestamp: new Date().toISOString(),
      },
      data: {uuid: String(n), tenant_uuid: 't', user_uuid: 'u', mobile: false},
    });
    for (let i = 0; i < DRAIN_EVENTS; i += 100) {
      await store.outbox.atomically(
        async () => undefined,
        () => Array.from({length: Math.min(100, DRAIN_EVENTS - i)}, (_, j) => message(i + j)),
      );
    }
    const publisher = new BusPublisher(
      store.outbox,
      {uri: AMQP_URI, exchangeName: exchange, exchangeType: 'topic', maxAgeSeconds: 86_400, maxEvents: DRAIN_EVENTS * 2},
      createLogger({level: 'error'}),
    );
    const started = performance.now();
    publisher.start();
    while ((await store.outbox.depth()) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const seconds = (performance.now() - started) / 1000;
    await publisher.stop();
    return {events: DRAIN_EVENTS, seconds};
  } finally {
    await store.close();
    removeFolder(dir);
  }
}

export async function runEvents(): Promise<number> {
  const startedAt = new Date();
  const machine = describeMachine();
  const exchange = `wazo-auth-bench-${randomBytes(6).toString('hex')}`;
  log(`events scenario: broker ${AMQP_URI.replace(/:[^:@/]*@/, ':***@')}, exchange ${exchange}, ${ROUNDS} rounds`);

  // A consumer of ours, so that the broker routes every event somewhere, as in a Wazo stack.
  const model = await connect(AMQP_URI);
  const channel = await model.createChannel();
  await channel.assertExchange(exchange, 'topic', {durable: true});
  const {queue} = await channel.assertQueue('', {exclusive: true, autoDelete: true});
  await channel.bindQueue(queue, exchange, '#');
  let consumed = 0;
  await channel.consume(queue, () => consumed++, {noAck: true});

  const setups: DaemonSetup[] = [];
  const daemons: RunningDaemon[] = [];
  try {
    const username = 'bench';
    const password = randomBytes(18).toString('base64url');
    const start = async (amqp: Record<string, unknown>) => {
      const setup = await prepareDaemon({maxSessions: 100_000_000, tokenLifetimeS: 7200, settings: {amqp}});
      setups.push(setup);
      await bootstrapAdmin(setup, username, password);
      const daemon = await startDaemon(setup);
      daemons.push(daemon);
      return daemon;
    };
    const off = await start({uri: null});
    const on = await start({uri: AMQP_URI, exchange_name: exchange, exchange_type: 'topic'});
    const spec = (daemon: RunningDaemon, label: string) => loginLoad(daemon.url, label, username, password, CONNECTIONS);
    const logins = await inTurns(
      (round) => {
        log(`logins, bus off${round}`);
        return measure(spec(off, `POST ${API}/token, bus off${round}`), roundTiming);
      },
      (round) => {
        log(`logins, bus on${round}`);
        return measure(spec(on, `POST ${API}/token, bus on${round}`), roundTiming);
      },
      (reference, measured) => measured.rps / reference.rps,
    );
    on.assertAlive('after the logins');
    off.assertAlive('after the logins');

    log(`drain: ${DRAIN_EVENTS} events`);
    const drain = await drainRate(exchange);
    const drainRps = drain.events / drain.seconds;

    const ratios: Ratio[] = [
      {
        benchmark: `POST ${API}/token, bus on vs off`,
        measured: `${int(medianRps(logins.measured))}/s`,
        reference: `${int(medianRps(logins.references))}/s`,
        ratio: logins.ratio,
        rounds: logins.ratios,
        target: '≥ 90 %',
        met: logins.ratio >= 0.9,
      },
    ];
    const out = [
      machineLine(machine),
      runsTable(interleaved(logins)),
      `outbox drain: ${int(drain.events)} events in ${drain.seconds.toFixed(2)} s = ${int(drainRps)} events/s (confirmed batches)`,
      `events consumed from the exchange during the run: ${int(consumed)}`,
      ratiosTable(ratios),
    ];
    process.stdout.write(out.join('\n\n') + '\n');
    const file = writeResult('bench-events', startedAt, {machine, logins, drain: {...drain, eventsPerSecond: drainRps}, consumed, ratios});
    log(`results written to ${file}`);
    return ratios.every((r) => r.met) ? 0 : 1;
  } finally {
    for (const daemon of daemons) await daemon.stop();
    for (const setup of setups) setup.remove();
    await model.close().catch(() => undefined);
  }
}

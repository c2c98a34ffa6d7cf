// The metrics scenario (`npm run bench -- metrics`): what GET /metrics' counting costs the token
// check, the daemon's hot path.
//
//   HEAD /0.1/token/{token} (25 connections) on a daemon with `metrics.enabled: true`, scraped
//   every second as Prometheus would, vs the same on a daemon with metrics off, in alternating
//   rounds (bench/turns.ts). Target: ≥ 97 %, the noise of this machine.
// Results also go to bench/results/bench-metrics-<time>.json.

import {randomBytes} from 'node:crypto';
import {request} from 'undici';
import {CONNECTIONS, describeMachine, int, log, machineLine, ratiosTable, runsTable, writeResult, type Ratio} from './common.js';
import {API, bootstrapAdmin, expectStatus, login, prepareDaemon, startDaemon, type DaemonSetup, type RunningDaemon} from './daemon.js';
import {freePort} from './children.js';
import {measure, type LoadSpec} from './load.js';
import {inTurns, interleaved, medianRps, roundTiming, ROUNDS} from './turns.js';

export async function runMetrics(): Promise<number> {
  const startedAt = new Date();
  const machine = describeMachine();
  log(`metrics scenario: ${ROUNDS} rounds`);
  const setups: DaemonSetup[] = [];
  const daemons: RunningDaemon[] = [];
  let scraping: NodeJS.Timeout | undefined;
  try {
    const username = 'bench';
    const password = randomBytes(18).toString('base64url');
    const start = async (settings: Record<string, unknown>) => {
      const setup = await prepareDaemon({maxSessions: 1000, tokenLifetimeS: 7200, settings});
      setups.push(setup);
      await bootstrapAdmin(setup, username, password);
      const daemon = await startDaemon(setup);
      daemons.push(daemon);
      return daemon;
    };
    const metricsPort = await freePort();
    const off = await start({});
    const on = await start({metrics: {enabled: true, listen: '127.0.0.1', port: metricsPort}});
    const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    // A scrape a second, as a busy Prometheus would: the gauges' queries run meanwhile.
    let scrapes = 0;
    scraping = setInterval(() => {
      request(metricsUrl)
        .then((answer) => answer.body.text())
        .then(
          () => scrapes++,
          () => undefined,
        );
    }, 1000);
    const spec = async (daemon: RunningDaemon): Promise<LoadSpec> => {
      const token = await login(daemon.url, username, password, 7200);
      const path = `${API}/token/${token}`;
      await expectStatus(daemon.url, 'HEAD', path, 204);
      return {label: '', origin: daemon.url, method: 'HEAD', path, connections: CONNECTIONS, expect: 204};
    };
    const offSpec = await spec(off);
    const onSpec = await spec(on);
    const checks = await inTurns(
      (round) => {
        log(`checks, metrics off${round}`);
        return measure({...offSpec, label: `HEAD ${API}/token/{token}, metrics off${round}`}, roundTiming);
      },
      (round) => {
        log(`checks, metrics on${round}`);
        return measure({...onSpec, label: `HEAD ${API}/token/{token}, metrics on${round}`}, roundTiming);
      },
      (reference, measured) => measured.rps / reference.rps,
    );
    on.assertAlive('after the checks');
    off.assertAlive('after the checks');
    const ratios: Ratio[] = [
      {
        benchmark: `HEAD ${API}/token/{token}, metrics on vs off`,
        measured: `${int(medianRps(checks.measured))}/s`,
        reference: `${int(medianRps(checks.references))}/s`,
        ratio: checks.ratio,
        rounds: checks.ratios,
        target: '≥ 97 %',
        met: checks.ratio >= 0.97,
      },
    ];
    process.stdout.write([machineLine(machine), runsTable(interleaved(checks)), `scrapes during the run: ${scrapes}`, ratiosTable(ratios)].join('\n\n') + '\n');
    log(`results written to ${writeResult('bench-metrics', startedAt, {machine, checks, scrapes, ratios})}`);
    return ratios.every((r) => r.met) ? 0 : 1;
  } finally {
    clearInterval(scraping);
    for (const daemon of daemons) await daemon.stop();
    for (const setup of setups) setup.remove();
  }
}

// The hostile scenario (`npm run bench -- hostile`): token checks while anonymous clients attack
// the daemon, each against the same checks measured quiet in the same run, in alternating rounds.
//
//   (a) a wrong-password flood: 50 connections, 25 from 127.0.0.1 and 25 from 127.0.0.2, each
//       sending POST /0.1/token with the administrator's name and a wrong password as fast as
//       answered; meanwhile the administrator logs in from 127.0.0.3, one login at a time.
//       Targets: checks ≥ 50 % of their quiet rate; the legitimate login's median ≤ 3 × its
//       quiet median (quiet: the same checks and logins, no flood).
//   (b) two deep-JSON posters (from 127.0.0.4): each posts `[` × 524 280 then `]` × 524 280 to
//       POST /0.1/token, one after the other as fast as answered. Target: checks ≥ 50 % of
//       their quiet rate (quiet: the checks alone).
// The checks: HEAD /0.1/token/{token} with autocannon, 25 connections from 127.0.0.1; the owner,
// the flood and the posters each run in a process of their own (bench/hostile-client.ts), and
// after each run one login, from the owner's address (the flood's are throttled), waits out what
// the daemon still holds of it. The daemon runs with trusted_proxies: [] so that loopback clients count as clients (as when exposed),
// not as the local proxy they are by default. Results also go to bench/results/bench-hostile-<time>.json.

import {randomBytes} from 'node:crypto';
import {cleanUp, startChild, tsxArgs} from './children.js';
import {
  CONNECTIONS,
  clean,
  currentLoad,
  describeMachine,
  disturbance,
  int,
  log,
  machineLine,
  ms,
  ratiosTable,
  runsTable,
  writeResult,
  type Ratio,
} from './common.js';
import {API, basicAuth, bootstrapAdmin, expectStatus, login, prepareDaemon, startDaemon, type DaemonSetup, type RunningDaemon} from './daemon.js';
import type {LoopSpec} from './hostile-client.js';
import {measure, type LoadResult, type LoadSpec} from './load.js';
import {ROUNDS, inTurns, interleaved, median, medianRps, roundTiming, worstP99} from './turns.js';

const FLOOD_CONNECTIONS_PER_ADDRESS = 25;
const FLOOD_ADDRESSES = ['127.0.0.1', '127.0.0.2'];
const OWNER_ADDRESS = '127.0.0.3';
const POSTER_ADDRESS = '127.0.0.4';
const POSTERS = 2;
const DEEP_HALF = 524_280;

/** A process running loops of requests (bench/hostile-client.ts) until told to stop. */
interface Clients {
  /** Stops the loops; their figures cover the answers that came after `from` (epoch ms). */
  stop(from: number): Promise<LoadResult[]>;
}

async function startClients(name: string, specs: LoopSpec[]): Promise<Clients> {
  const child = startChild(name, process.execPath, tsxArgs('bench/hostile-client.ts', JSON.stringify(specs)));
  let out = '';
  const lines: string[] = [];
  let waiting: (() => void) | undefined;
  child.process.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    let newline: number;
    while ((newline = out.indexOf('\n')) !== -1) {
      lines.push(out.slice(0, newline));
      out = out.slice(newline + 1);
    }
    waiting?.();
  });
  const nextLine = async (what: string): Promise<string> => {
    const deadline = performance.now() + 60_000;
    while (lines.length === 0) {
      if (child.hasExited()) throw new Error(`${name} exited before ${what}: ${child.output().trim()}`);
      if (performance.now() > deadline) throw new Error(`${name}: no ${what} within 60 s`);
      await new Promise<void>((resolve) => {
        waiting = resolve;
        setTimeout(resolve, 200);
      });
    }
    return lines.shift()!;
  };
  if ((await nextLine('ready')) !== 'ready') throw new Error(`${name} did not start: ${child.output().trim()}`);
  return {
    async stop(from) {
      child.process.stdin!.write(`stop ${from}\n`);
      const results = JSON.parse(await nextLine('its figures')) as LoadResult[];
      await child.exited;
      return results;
    },
  };
}

/**
 * The checks measured (warm-up, then the window) while the given clients run, each set in a
 * process of its own; the clients' figures cover the window. Then one login from the bench,
 * which waits behind whatever logins the daemon still holds, so that the next run starts quiet.
 */
async function checksWith(checks: LoadSpec, clients: LoopSpec[][], settle: () => Promise<unknown>): Promise<{checks: LoadResult; loops: LoadResult[]}> {
  const running = await Promise.all(clients.map((specs, i) => startClients(`hostile client ${i + 1}`, specs)));
  const windowFrom = performance.timeOrigin + performance.now() + roundTiming.warmupS * 1000;
  const measured = await measure(checks, roundTiming);
  const loops = (await Promise.all(running.map((r) => r.stop(windowFrom)))).flat();
  await settle();
  return {checks: measured, loops};
}

export async function runHostile(): Promise<number> {
  const startedAt = new Date();
  const machine = describeMachine();
  log(`hostile scenario: ${ROUNDS} rounds of ${roundTiming.durationS} s measured after ${roundTiming.warmupS} s warm-up per side`);

  let setup: DaemonSetup | undefined;
  let daemon: RunningDaemon | undefined;
  let daemonStop = 'not started';
  try {
    // As an exposed daemon runs: no proxy trusted, the hash queue at its default bound.
    setup = await prepareDaemon({
      maxSessions: 100_000_000,
      tokenLifetimeS: 7200,
      settings: {rest_api: {trusted_proxies: []}, max_pending_password_hashes: null},
    });
    const username = 'bench';
    const password = randomBytes(18).toString('base64url');
    log(`bootstrapping the administrator (database ${setup.dbPath})`);
    await bootstrapAdmin(setup, username, password);
    log(`starting the daemon on ${setup.url}`);
    daemon = await startDaemon(setup);
    daemonStop = 'running';
    const token = await login(daemon.url, username, password, 36_000);
    const headPath = `${API}/token/${token}`;
    await expectStatus(daemon.url, 'HEAD', headPath, 204);

    // From the owner's address: the flood's addresses are throttled for the whole run. Retried
    // while the hash queue is full (503, Retry-After: 1), as a client does: it waits out the queue.
    const settle = async () => {
      for (let tries = 1; ; tries++) {
        try {
          return await login(daemon!.url, username, password, 60, OWNER_ADDRESS);
        } catch (error) {
          if (tries === 30 || !/ answered 503:/.test((error as Error).message)) throw error;
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    };
    const inRound = (specs: LoopSpec[], round: string) => specs.map((spec) => ({...spec, label: `${spec.label}${round}`}));
    const checks = (label: string): LoadSpec => ({label, origin: daemon!.url, method: 'HEAD', path: headPath, connections: CONNECTIONS, expect: 204});
    const json = {'content-type': 'application/json'};
    const owner: LoopSpec = {
      label: `POST ${API}/token, the owner from ${OWNER_ADDRESS}, one at a time`,
      origin: daemon.url,
      path: `${API}/token`,
      headers: {...json, authorization: basicAuth(username, password)},
      body: {text: JSON.stringify({expiration: 600})},
      loops: 1,
      localAddress: OWNER_ADDRESS,
      keepAlive: true,
      expected: [200],
    };
    const flood: LoopSpec[] = FLOOD_ADDRESSES.map((localAddress) => ({
      label: `POST ${API}/token, wrong password, ${FLOOD_CONNECTIONS_PER_ADDRESS} connections from ${localAddress}`,
      origin: daemon!.url,
      path: `${API}/token`,
      headers: {...json, authorization: basicAuth(username, `not-${password}`)},
      body: {text: '{}'},
      loops: FLOOD_CONNECTIONS_PER_ADDRESS,
      localAddress,
      keepAlive: true,
      // 401 until throttled; then 429, or 503 when the hash queue is full.
      expected: [401, 429, 503],
    }));
    const posters: LoopSpec = {
      label: `POST ${API}/token, ${POSTERS} deep-JSON posters from ${POSTER_ADDRESS} (${int(2 * DEEP_HALF)} bytes each)`,
      origin: daemon.url,
      path: `${API}/token`,
      headers: json,
      body: {deepHalf: DEEP_HALF},
      loops: POSTERS,
      localAddress: POSTER_ADDRESS,
      keepAlive: false,
      // 413 (the login route takes 64 KiB), or 400 if a smaller limit let it through to the scan.
      expected: [400, 413],
    };

    const floodTurns = await inTurns(
      async (round) => {
        log(`(a) quiet: checks and the owner's logins${round}`);
        return checksWith(checks(`HEAD ${API}/token/{token}, quiet, the owner logging in${round}`), [inRound([owner], round)], settle);
      },
      async (round) => {
        log(`(a) wrong-password flood${round}`);
        const measured = await checksWith(
          checks(`HEAD ${API}/token/{token}, during the flood${round}`),
          [inRound([owner], round), inRound(flood, round)],
          settle,
        );
        daemon!.assertAlive(`during the flood${round}`);
        return measured;
      },
      (quiet, flooded) => flooded.checks.rps / quiet.checks.rps,
    );
    // No login answered within a window: as slow as can be.
    const p50 = (r: LoadResult) => (r.responses ? r.p50Ms : Infinity);
    const ownerRatios = floodTurns.references.map((quiet, i) => p50(floodTurns.measured[i]!.loops[0]!) / p50(quiet.loops[0]!));

    const posterTurns = await inTurns(
      async (round) => {
        log(`(b) quiet: checks alone${round}`);
        return (await checksWith(checks(`HEAD ${API}/token/{token}, quiet${round}`), [], settle)).checks;
      },
      async (round) => {
        log(`(b) deep-JSON posters${round}`);
        const measured = await checksWith(checks(`HEAD ${API}/token/{token}, with the posters${round}`), [inRound([posters], round)], settle);
        daemon!.assertAlive(`during the posters${round}`);
        return measured;
      },
      (quiet, posted) => posted.checks.rps / quiet.rps,
    );

    daemonStop = await daemon.stop();
    daemon = undefined;
    machine.loadavgAtEnd = currentLoad();

    // -----------------------------------------------------------------------------------------
    // Report

    const floodChecks = {references: floodTurns.references.map((r) => r.checks), measured: floodTurns.measured.map((m) => m.checks)};
    const posterChecks = {references: posterTurns.references, measured: posterTurns.measured.map((m) => m.checks)};
    const ownerQuiet = floodTurns.references.map((r) => r.loops[0]!);
    const ownerFlooded = floodTurns.measured.map((m) => m.loops[0]!);
    const loopRuns = [...ownerQuiet, ...floodTurns.measured.flatMap((m) => m.loops), ...posterTurns.measured.flatMap((m) => m.loops)];
    const runs: LoadResult[] = [...interleaved(floodChecks), ...interleaved(posterChecks)];
    const ownerRatio = median(ownerRatios);
    const ratios: Ratio[] = [
      {
        benchmark: `(a) HEAD ${API}/token/{token} during a wrong-password flood`,
        measured: `${int(medianRps(floodChecks.measured))}/s, p99 ${ms(worstP99(floodChecks.measured))} ms`,
        reference: `quiet ${int(medianRps(floodChecks.references))}/s`,
        ratio: floodTurns.ratio,
        rounds: floodTurns.ratios,
        target: '≥ 50 %',
        met: floodTurns.ratio >= 0.5 && [...floodChecks.references, ...floodChecks.measured].every(clean),
      },
      {
        benchmark: `(a) the owner's login median during the flood`,
        measured: Number.isFinite(median(ownerFlooded.map(p50))) ? `${ms(median(ownerFlooded.map(p50)))} ms` : `no answer within ${roundTiming.durationS} s`,
        reference: `quiet ${ms(median(ownerQuiet.map(p50)))} ms`,
        ratio: ownerRatio,
        rounds: ownerRatios,
        target: '≤ 300 %',
        met: ownerRatio <= 3 && [...ownerQuiet, ...ownerFlooded].every(clean),
      },
      {
        benchmark: `(b) HEAD ${API}/token/{token} with ${POSTERS} deep-JSON posters`,
        measured: `${int(medianRps(posterChecks.measured))}/s, p99 ${ms(worstP99(posterChecks.measured))} ms`,
        reference: `quiet ${int(medianRps(posterChecks.references))}/s`,
        ratio: posterTurns.ratio,
        rounds: posterTurns.ratios,
        target: '≥ 50 %',
        met: posterTurns.ratio >= 0.5 && [...posterChecks.references, ...posterChecks.measured].every(clean),
      },
    ];

    const out: string[] = [];
    out.push('');
    out.push(`wazo-auth benchmark, hostile scenario, ${startedAt.toISOString()}`);
    out.push(machineLine(machine));
    out.push(
      `Load: autocannon, ${CONNECTIONS} keep-alive connections from 127.0.0.1 for the checks; the attackers and the owner ` +
        `are node:http loops bound to their own loopback addresses, each request sent once the previous one is answered. ` +
        `Each comparison runs in ${ROUNDS} rounds that alternate which side goes first, each side ${roundTiming.warmupS} s ` +
        `warm-up then ${roundTiming.durationS} s measured; its ratio is the median of the rounds' ratios (listed in %). ` +
        'The daemon runs with trusted_proxies: [] (loopback peers are clients), SQLite in a temporary folder.',
    );
    out.push('');
    out.push('Runs');
    out.push(runsTable([...runs, ...loopRuns]));
    out.push(
      'CPU all / others: cores busy on the whole machine during the measured window, and how much of it was not the ' +
        `benchmark's own processes (out of ${machine.cpus}). The loops' rows share their checks' window.`,
    );
    const warning = disturbance(runs);
    if (warning) out.push(warning);
    out.push('');
    out.push('Against the references (targets are printed, not asserted)');
    out.push(ratiosTable(ratios));
    out.push('');
    out.push(`Daemon: ${daemonStop}.`);
    const file = writeResult('bench-hostile', startedAt, {
      scenario: 'hostile',
      startedAt: startedAt.toISOString(),
      machine,
      settings: {
        connections: CONNECTIONS,
        rounds: ROUNDS,
        round: roundTiming,
        flood: FLOOD_ADDRESSES.length * FLOOD_CONNECTIONS_PER_ADDRESS,
        posters: POSTERS,
        posterBytes: 2 * DEEP_HALF,
      },
      runs,
      loops: loopRuns,
      ratios,
      daemon: daemonStop,
    });
    out.push(`Results written to ${file}`);
    process.stdout.write(out.join('\n') + '\n');
    return 0;
  } finally {
    if (daemon) daemonStop = await daemon.stop().catch((error: Error) => `stop failed: ${error.message}`);
    setup?.remove();
    cleanUp();
  }
}

// `npm run bench`: measures the daemon on loopback against references measured in the same
// run, and prints how far it is from its targets (printed, never asserted).
//
//   1. HEAD /0.1/token/{token}                 vs a bare node:http server (same request)
//   2. GET  /0.1/token/{token}?scope=...       vs a bare node:http server (same request)
//   3. POST /0.1/token (Basic logins)          vs argon2id verifications/s on this machine
//   4. HEAD checks while 25 clients log in     vs the checks of (1), measured alone
//   plus, for information, HEAD on a token drawn at random among the pre-filled ones.
//
// Environment: BENCH_DURATION (measured seconds per run, default 10), BENCH_WARMUP (seconds
// of warm-up before each run, default 2), BENCH_TOKENS (live tokens pre-filled, default 100000).

import {randomBytes} from 'node:crypto';
import {mkdirSync, writeFileSync} from 'node:fs';
import {availableParallelism, cpus, loadavg, totalmem} from 'node:os';
import {join} from 'node:path';
import Database from 'better-sqlite3';
import {startBareServer, type BareServer} from './bare-server.js';
import {ROOT, cleanUp} from './children.js';
import type {CpuUse} from './cpu.js';
import {API, basicAuth, bootstrapAdmin, expectStatus, login, prepareDaemon, startDaemon, type DaemonSetup, type RunningDaemon} from './daemon.js';
import {measureHashRate, type HashRate} from './hash-rate.js';
import {measure, measureTogether, type LoadResult, type LoadSpec} from './load.js';
import {prefillTokens, type Prefill} from './prefill.js';

const CONNECTIONS = 25;
const SCOPE = 'some.access';

function positiveNumber(name: string, fallback: number, allowZero = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new Error(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number of seconds or a count, not "${raw}"`);
  }
  return value;
}

const DURATION_S = positiveNumber('BENCH_DURATION', 10);
const WARMUP_S = positiveNumber('BENCH_WARMUP', 2, true);
const TOKENS = Math.trunc(positiveNumber('BENCH_TOKENS', 100_000));
const timing = {warmupS: WARMUP_S, durationS: DURATION_S};

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

// ---------------------------------------------------------------------------------------------
// Formatting

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : '-');
const pct = (n: number) => (Number.isFinite(n) ? `${(n * 100).toFixed(1)} %` : '-');

function table(headers: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Machine CPU during the run, in cores: everything, then what was not the benchmark's processes. */
function cpuCell(cpu: CpuUse | undefined): string {
  if (!cpu) return '-';
  const steal = cpu.stealCores >= 0.05 ? `, steal ${cpu.stealCores.toFixed(2)}` : '';
  return `${cpu.machineCores.toFixed(2)} / ${cpu.othersCores.toFixed(2)}${steal}`;
}

function anomalies(r: LoadResult): string {
  const parts: string[] = [];
  if (r.unexpected) {
    const others = Object.entries(r.statuses)
      .map(([code, n]) => `${n}×${code}`)
      .join(' ');
    parts.push(`${r.unexpected} unexpected (${others})`);
  }
  if (r.errors) parts.push(`${r.errors} errors`);
  if (r.timeouts) parts.push(`${r.timeouts} timeouts`);
  return parts.join(', ') || 'none';
}

// ---------------------------------------------------------------------------------------------

interface Ratio {
  benchmark: string;
  measured: string;
  reference: string;
  ratio: number;
  target: string;
  met: boolean;
}

async function main(): Promise<number> {
  const startedAt = new Date();
  const cpuList = cpus();
  const machine = {
    cpus: availableParallelism(),
    model: cpuList[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadavgAtStart: loadavg().map((n) => Math.round(n * 100) / 100),
    loadavgAtEnd: [] as number[],
    threadpoolSize: process.env.UV_THREADPOOL_SIZE ?? null,
  };
  log(`${DURATION_S} s measured after ${WARMUP_S} s warm-up per run, ${CONNECTIONS} connections, ${TOKENS} pre-filled tokens`);

  let bare: BareServer | undefined;
  let setup: DaemonSetup | undefined;
  let daemon: RunningDaemon | undefined;
  let daemonStop = 'not started';
  try {
    log('starting the bare node:http server');
    bare = await startBareServer();

    setup = await prepareDaemon({maxSessions: 100_000_000, tokenLifetimeS: 7200});
    const username = 'bench';
    const password = randomBytes(18).toString('base64url');
    log(`bootstrapping the administrator (database ${setup.dbPath})`);
    const adminUuid = await bootstrapAdmin(setup, username, password);

    log(`pre-filling ${TOKENS} live tokens through the store`);
    let lastShown = 0;
    const prefill: Prefill = await prefillTokens({
      dbPath: setup.dbPath,
      count: TOKENS,
      userUuid: adminUuid,
      lifetimeS: 24 * 3600,
      timeoutMs: 15 * 60_000,
      onProgress: (done) => {
        if (done - lastShown >= 25_000 || done === TOKENS) {
          lastShown = done;
          log(`  ${done} tokens`);
        }
      },
    });
    log(`  ${prefill.inserted} tokens in ${prefill.seconds.toFixed(1)} s (${int(prefill.inserted / prefill.seconds)}/s)`);

    log(`starting the daemon on ${setup.url}`);
    daemon = await startDaemon(setup);
    daemonStop = 'running';
    const token = await login(daemon.url, username, password, 36_000);
    const headPath = `${API}/token/${token}`;
    const getPath = `${headPath}?scope=${SCOPE}`;
    await expectStatus(daemon.url, 'HEAD', headPath, 204);
    await expectStatus(daemon.url, 'GET', getPath, 200);
    if (prefill.values.length) await expectStatus(daemon.url, 'HEAD', `${API}/token/${prefill.values[0]}`, 204);
    await expectStatus(daemon.url, 'HEAD', `${API}/token/00000000-0000-4000-8000-000000000000`, 404);
    const randomPath = () => `${API}/token/${prefill.values[Math.floor(Math.random() * prefill.values.length)]}`;

    const pair = async (label: string, spec: Omit<LoadSpec, 'origin' | 'label' | 'expect'>, expect: number) => {
      log(`${label}: bare node:http`);
      const reference = await measure({...spec, label: `bare node:http: ${label}`, origin: bare!.url, expect: 204}, timing);
      log(`${label}: daemon`);
      const measured = await measure({...spec, label, origin: daemon!.url, expect}, timing);
      daemon!.assertAlive(`during ${label}`);
      return {reference, measured};
    };

    const head = await pair(`HEAD ${API}/token/{token}`, {method: 'HEAD', path: headPath, connections: CONNECTIONS}, 204);
    const get = await pair(`GET ${API}/token/{token}?scope=${SCOPE}`, {method: 'GET', path: getPath, connections: CONNECTIONS}, 200);
    const spread = prefill.values.length
      ? await pair(
          `HEAD ${API}/token/{one of ${prefill.values.length} at random}`,
          {method: 'HEAD', path: randomPath, connections: CONNECTIONS},
          204,
        )
      : undefined;

    log(`argon2id verifications/s, ${CONNECTIONS} in flight, in a process of its own`);
    const hashRate: HashRate = await measureHashRate({inFlight: CONNECTIONS, warmupS: WARMUP_S, durationS: DURATION_S, env: setup.env});

    const loginSpec: LoadSpec = {
      label: `POST ${API}/token (Basic)`,
      origin: daemon.url,
      method: 'POST',
      path: `${API}/token`,
      headers: {authorization: basicAuth(username, password), 'content-type': 'application/json'},
      body: JSON.stringify({expiration: 3600}),
      connections: CONNECTIONS,
      expect: 200,
    };
    log('logins: daemon');
    const logins = await measure(loginSpec, timing);
    daemon.assertAlive('during the login benchmark');

    log('token checks while logging in: daemon');
    const [mixedLogins, mixedChecks] = await measureTogether(
      [
        {...loginSpec, label: `POST ${API}/token (Basic), with the checks`},
        {label: `HEAD ${API}/token/{token}, with the logins`, origin: daemon.url, method: 'HEAD', path: headPath, connections: CONNECTIONS, expect: 204},
      ],
      timing,
    );
    daemon.assertAlive('during the mixed benchmark');

    daemonStop = await daemon.stop();
    daemon = undefined;
    const liveTokensAtEnd = countLiveTokens(setup.dbPath);
    machine.loadavgAtEnd = loadavg().map((n) => Math.round(n * 100) / 100);

    // -----------------------------------------------------------------------------------------
    // Report

    const runs: LoadResult[] = [
      head.reference,
      head.measured,
      get.reference,
      get.measured,
      ...(spread ? [spread.reference, spread.measured] : []),
      logins,
      mixedLogins!,
      mixedChecks!,
    ];
    const ratios: Ratio[] = [
      {
        benchmark: `1. ${head.measured.label}`,
        measured: `${int(head.measured.rps)}/s, p99 ${ms(head.measured.p99Ms)} ms`,
        reference: `bare node:http ${int(head.reference.rps)}/s`,
        ratio: head.measured.rps / head.reference.rps,
        target: '≥ 50 %, p99 < 10 ms',
        met: head.measured.rps / head.reference.rps >= 0.5 && head.measured.p99Ms < 10 && clean(head.measured),
      },
      {
        benchmark: `2. ${get.measured.label}`,
        measured: `${int(get.measured.rps)}/s, p99 ${ms(get.measured.p99Ms)} ms`,
        reference: `bare node:http ${int(get.reference.rps)}/s`,
        ratio: get.measured.rps / get.reference.rps,
        target: '≥ 50 %, p99 < 10 ms',
        met: get.measured.rps / get.reference.rps >= 0.5 && get.measured.p99Ms < 10 && clean(get.measured),
      },
      ...(spread
        ? [
            {
              benchmark: `   ${spread.measured.label}`,
              measured: `${int(spread.measured.rps)}/s, p99 ${ms(spread.measured.p99Ms)} ms`,
              reference: `bare node:http ${int(spread.reference.rps)}/s`,
              ratio: spread.measured.rps / spread.reference.rps,
              target: '(information)',
              met: true,
            },
          ]
        : []),
      {
        benchmark: `3. ${logins.label}`,
        measured: `${int(logins.rps)}/s, p99 ${ms(logins.p99Ms)} ms`,
        reference: `argon2id ${int(hashRate.verificationsPerSecond)} verif./s`,
        ratio: logins.rps / hashRate.verificationsPerSecond,
        target: '≥ 90 %',
        met: logins.rps / hashRate.verificationsPerSecond >= 0.9 && clean(logins),
      },
      {
        benchmark: `4. ${mixedChecks!.label}`,
        measured: `${int(mixedChecks!.rps)}/s, p99 ${ms(mixedChecks!.p99Ms)} ms`,
        reference: `checks alone (1) ${int(head.measured.rps)}/s`,
        ratio: mixedChecks!.rps / head.measured.rps,
        target: '≥ 50 %',
        met: mixedChecks!.rps / head.measured.rps >= 0.5 && clean(mixedChecks!) && clean(mixedLogins!),
      },
      {
        benchmark: `   ${mixedLogins!.label}`,
        measured: `${int(mixedLogins!.rps)}/s, p99 ${ms(mixedLogins!.p99Ms)} ms`,
        reference: `argon2id ${int(hashRate.verificationsPerSecond)} verif./s`,
        ratio: mixedLogins!.rps / hashRate.verificationsPerSecond,
        target: '(information)',
        met: true,
      },
    ];

    const out: string[] = [];
    out.push('');
    out.push(`wazo-auth benchmark, ${startedAt.toISOString()}`);
    out.push(
      `Machine: ${machine.cpus} CPUs (${machine.model}), ${machine.memoryGiB} GiB, ${machine.platform}, node ${machine.node}, ` +
        `load average at start ${machine.loadavgAtStart.join(' ')}`,
    );
    out.push(
      `Note: only ${machine.cpus} cores. The load generator (autocannon, in the bench process), the server under test and, ` +
        'during logins, the argon2 threads all share them: absolute rates are low and ratios are what to compare.',
    );
    out.push(
      `Load: autocannon, ${CONNECTIONS} keep-alive connections per client set, 127.0.0.1 only, ${WARMUP_S} s warm-up then ` +
        `${DURATION_S} s measured per run; latencies from every response of the measured window.`,
    );
    out.push(
      `Store: SQLite (WAL) in a temporary folder; ${int(prefill.inserted)} live tokens pre-filled through store.tokens.create ` +
        `in ${prefill.seconds.toFixed(1)} s (${int(prefill.inserted / prefill.seconds)}/s); ${int(liveTokensAtEnd)} live tokens at the end ` +
        '(the logins add theirs).',
    );
    out.push(
      `Hash reference: ${hashRate.parameters}, verifyPassword with ${hashRate.inFlight} in flight in a separate node process, ` +
        `UV_THREADPOOL_SIZE=${hashRate.threadpoolSize ?? '4 (default)'} as the daemon's; ${hashRate.verifications} verifications in ` +
        `${hashRate.seconds} s, ${ms(hashRate.meanMs)} ms mean time to answer.`,
    );
    out.push('');
    out.push('Runs');
    out.push(
      table(
        ['run', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'responses', 'CPU all / others', 'anomalies'],
        [
          ...runs.map((r) => [
            r.label,
            int(r.rps),
            ms(r.p50Ms),
            ms(r.p90Ms),
            ms(r.p99Ms),
            ms(r.maxMs),
            int(r.responses),
            cpuCell(r.cpu),
            anomalies(r),
          ]),
          [
            `argon2id verifyPassword (${hashRate.inFlight} in flight)`,
            int(hashRate.verificationsPerSecond),
            '',
            '',
            '',
            '',
            int(hashRate.verifications),
            cpuCell(hashRate.cpu),
            `mean ${ms(hashRate.meanMs)} ms`,
          ],
        ],
        [false, true, true, true, true, true, true, true, false],
      ),
    );
    out.push(
      'CPU all / others: cores busy on the whole machine during the measured window, and how much of it was not the ' +
        `benchmark's own processes (out of ${machine.cpus}).`,
    );
    const disturbed = [...runs.map((r) => ({label: r.label, cpu: r.cpu})), {label: 'argon2id verifyPassword', cpu: hashRate.cpu}]
      .filter((r) => r.cpu && (r.cpu.othersCores >= 0.25 || r.cpu.stealCores >= 0.25))
      .map((r) => `${r.label} (others ${r.cpu!.othersCores.toFixed(2)}, steal ${r.cpu!.stealCores.toFixed(2)})`);
    if (disturbed.length) {
      out.push(`WARNING: other work took a quarter of a core or more during: ${disturbed.join('; ')}. Those rates are lower than on an idle machine.`);
    }
    out.push('');
    out.push('Against the references (targets are printed, not asserted)');
    out.push(
      table(
        ['benchmark', 'measured', 'reference', 'ratio', 'target', 'verdict'],
        ratios.map((r) => [r.benchmark, r.measured, r.reference, pct(r.ratio), r.target, r.target.startsWith('(') ? '' : r.met ? 'met' : 'NOT MET']),
        [false, false, false, true, false, false],
      ),
    );
    out.push('');
    out.push(`Daemon: ${daemonStop}.`);

    const resultsDir = join(ROOT, 'bench', 'results');
    mkdirSync(resultsDir, {recursive: true});
    const file = join(resultsDir, `bench-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(
      file,
      JSON.stringify(
        {
          startedAt: startedAt.toISOString(),
          machine,
          settings: {connections: CONNECTIONS, durationS: DURATION_S, warmupS: WARMUP_S, prefilledTokens: TOKENS, scope: SCOPE},
          prefill: {inserted: prefill.inserted, seconds: prefill.seconds, perSecond: prefill.inserted / prefill.seconds},
          liveTokensAtEnd,
          hashRate,
          runs,
          ratios,
          daemon: daemonStop,
        },
        null,
        2,
      ) + '\n',
    );
    out.push(`Results written to ${file}`);
    process.stdout.write(out.join('\n') + '\n');
    return 0;
  } finally {
    if (daemon) daemonStop = await daemon.stop().catch((error: Error) => `stop failed: ${error.message}`);
    if (bare) await bare.stop().catch(() => undefined);
    setup?.remove();
    cleanUp();
  }
}

/** No response other than the expected status, no error, no timeout. */
function clean(r: LoadResult): boolean {
  return r.unexpected === 0 && r.errors === 0 && r.timeouts === 0 && r.responses > 0;
}

/** Tokens not yet expired, read straight from the file once the daemon has stopped. */
function countLiveTokens(dbPath: string): number {
  const db = new Database(dbPath, {readonly: true, fileMustExist: true});
  try {
    const row = db.prepare('SELECT count(*) AS n FROM tokens WHERE expire_t >= ?').get(Math.floor(Date.now() / 1000)) as {n: number};
    return row.n;
  } finally {
    db.close();
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    cleanUp();
    process.exit(130);
  });
}
process.once('exit', cleanUp);

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    cleanUp();
    process.exit(1);
  },
);

// The token scenario (`npm run bench`, the default): token checks and logins, each against a
// reference measured in the same run. See bench/run.ts for the list of benchmarks.

import {randomBytes} from 'node:crypto';
import Database from 'better-sqlite3';
import {startBareServer, type BareServer} from './bare-server.js';
import {cleanUp} from './children.js';
import {
  CONNECTIONS,
  DURATION_S,
  WARMUP_S,
  clean,
  cpuCell,
  currentLoad,
  describeMachine,
  disturbance,
  int,
  log,
  machineLine,
  ms,
  positiveNumber,
  writeResult,
  ratiosTable,
  runsTable,
  type Ratio,
} from './common.js';
import {API, bootstrapAdmin, loginLoad, expectStatus, login, prepareDaemon, startDaemon, type DaemonSetup, type RunningDaemon} from './daemon.js';
import {measureHashRate} from './hash-rate.js';
import {measure, measureTogether, runRequests, type LoadResult, type LoadSpec} from './load.js';
import {prefillTokens, type Prefill} from './prefill.js';
import {ROUNDS, inTurns, interleaved, median, medianRps, roundTiming, worstP99, type Turns} from './turns.js';

const SCOPE = 'some.access';
const TOKENS = Math.trunc(positiveNumber('BENCH_TOKENS', 100_000));
const PREFILL_USERS = Math.trunc(positiveNumber('BENCH_PREFILL_USERS', 1_000));

/** Indices 0..n-1 in random order. */
function shuffled(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

export async function runTokens(): Promise<number> {
  const startedAt = new Date();
  const machine = describeMachine();
  log(
    `token scenario: ${ROUNDS} rounds of ${roundTiming.durationS} s measured after ${roundTiming.warmupS} s warm-up per side, ${CONNECTIONS} connections, ` +
      `${TOKENS} pre-filled tokens over ${PREFILL_USERS} users`,
  );

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
    await bootstrapAdmin(setup, username, password);

    // The tokens belong to users of their own: the user who logs in below has only its own sessions.
    log(`pre-filling ${TOKENS} live tokens of ${PREFILL_USERS} other users through the store`);
    let lastShown = 0;
    const prefill: Prefill = await prefillTokens({
      dbPath: setup.dbPath,
      count: TOKENS,
      users: PREFILL_USERS,
      lifetimeS: 24 * 3600,
      timeoutMs: 15 * 60_000,
      onProgress: (done) => {
        if (done - lastShown >= 25_000 || done === TOKENS) {
          lastShown = done;
          log(`  ${done} tokens`);
        }
      },
    });
    log(`  ${prefill.users} users and ${prefill.inserted} tokens in ${prefill.seconds.toFixed(1)} s (${int(prefill.inserted / prefill.seconds)} tokens/s)`);

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
    // Every pre-filled token once, in random order, then again in another: the first pass finds
    // each token in the file, not in the daemon's memory.
    let order = shuffled(prefill.values.length);
    let walked = 0;
    const walkPath = () => {
      const i = walked++ % order.length;
      if (i === 0 && walked > 1) order = shuffled(prefill.values.length);
      return `${API}/token/${prefill.values[order[i]!]}`;
    };

    const pair = (label: string, spec: Omit<LoadSpec, 'origin' | 'label' | 'expect'>, expect: number) =>
      inTurns(
        (round) => {
          log(`${label}${round}: bare node:http`);
          return measure({...spec, label: `bare node:http: ${label}${round}`, origin: bare!.url, expect: 204}, roundTiming);
        },
        async (round) => {
          log(`${label}${round}: daemon`);
          const measured = await measure({...spec, label: `${label}${round}`, origin: daemon!.url, expect}, roundTiming);
          daemon!.assertAlive(`during ${label}${round}`);
          return measured;
        },
        (reference, measured) => measured.rps / reference.rps,
      );

    const head = await pair(`HEAD ${API}/token/{token}`, {method: 'HEAD', path: headPath, connections: CONNECTIONS}, 204);
    const get = await pair(`GET ${API}/token/{token}?scope=${SCOPE}`, {method: 'GET', path: getPath, connections: CONNECTIONS}, 200);
    // The pre-filled tokens, cold then warm. The daemon keeps token rows in memory (up to
    // 100 000): the cold run is the first pass over them, each token checked for the first
    // time (no warm-up); then the rest of the pass touches every token once, and only then is
    // the random draw measured, after the usual warm-up.
    let cold: LoadResult | undefined;
    let touched: {requests: number; seconds: number} | undefined;
    let spread: Turns<LoadResult, LoadResult> | undefined;
    if (prefill.values.length) {
      const n = prefill.values.length;
      const coldLabel = `HEAD ${API}/token/{one of ${n}, first check of each (cold)}`;
      log(`${coldLabel}: daemon, no warm-up`);
      walked = 0;
      cold = await measure(
        {label: coldLabel, origin: daemon.url, method: 'HEAD', path: walkPath, connections: CONNECTIONS, expect: 204},
        {warmupS: 0, durationS: DURATION_S},
      );
      daemon.assertAlive(`during ${coldLabel}`);
      if (walked > n) log(`  the cold run sent ${walked} requests, more than the ${n} tokens: its last ${walked - n} found warm tokens`);
      const rest = Math.max(0, n - walked);
      if (rest > 0) {
        log(`touching the other ${rest} pre-filled tokens once`);
        const spec: LoadSpec = {label: 'touch', origin: daemon.url, method: 'HEAD', path: walkPath, connections: CONNECTIONS, expect: 204};
        const {statuses, errors, seconds} = await runRequests(spec, rest, 15 * 60_000);
        const wrong = Object.entries(statuses).filter(([code]) => code !== '204');
        if (errors || wrong.length) throw new Error(`touching the tokens: ${errors} errors, statuses ${JSON.stringify(statuses)}`);
        touched = {requests: rest, seconds};
        log(`  ${rest} checks in ${seconds.toFixed(1)} s (${int(rest / seconds)}/s)`);
      } else {
        touched = {requests: 0, seconds: 0};
      }
      spread = await pair(`HEAD ${API}/token/{one of ${n} at random, warm}`, {method: 'HEAD', path: randomPath, connections: CONNECTIONS}, 204);
    }

    const loginSpec = loginLoad(daemon.url, `POST ${API}/token (Basic)`, username, password, CONNECTIONS);
    const logins = await inTurns(
      (round) => {
        log(`argon2id verifications/s${round}, ${CONNECTIONS} in flight, in a process of its own`);
        return measureHashRate({inFlight: CONNECTIONS, ...roundTiming, env: setup!.env});
      },
      async (round) => {
        log(`logins${round}: daemon`);
        const measured = await measure({...loginSpec, label: `${loginSpec.label}${round}`}, roundTiming);
        daemon!.assertAlive(`during the logins${round}`);
        return measured;
      },
      (hash, measured) => measured.rps / hash.verificationsPerSecond,
    );

    const checkSpec: LoadSpec = {label: '', origin: daemon.url, method: 'HEAD', path: headPath, connections: CONNECTIONS, expect: 204};
    const mixed = await inTurns(
      (round) => {
        log(`token checks alone${round}: daemon`);
        return measure({...checkSpec, label: `HEAD ${API}/token/{token}, alone${round}`}, roundTiming);
      },
      async (round) => {
        log(`token checks while logging in${round}: daemon`);
        const [checks, mixedLogins] = await measureTogether(
          [
            {...checkSpec, label: `HEAD ${API}/token/{token}, with the logins${round}`},
            {...loginSpec, label: `POST ${API}/token (Basic), with the checks${round}`},
          ],
          roundTiming,
        );
        daemon!.assertAlive(`during the mixed run${round}`);
        return {checks: checks!, logins: mixedLogins!};
      },
      (alone, measured) => measured.checks.rps / alone.rps,
    );

    daemonStop = await daemon.stop();
    daemon = undefined;
    const liveTokensAtEnd = countLiveTokens(setup.dbPath);
    const loginUserSessions = countSessionsOf(setup.dbPath, username);
    machine.loadavgAtEnd = currentLoad();

    // -----------------------------------------------------------------------------------------
    // Report

    const hashRates = logins.references;
    const hashMedian = median(hashRates.map((h) => h.verificationsPerSecond));
    const runs: LoadResult[] = [
      ...interleaved(head),
      ...interleaved(get),
      ...(cold ? [cold] : []),
      ...(spread ? interleaved(spread) : []),
      ...logins.measured,
      ...interleaved({references: mixed.references, measured: mixed.measured.map((m) => m.checks)}),
      ...mixed.measured.map((m) => m.logins),
    ];
    const mixedLogins = mixed.measured.map((m) => m.logins);
    const ratios: Ratio[] = [
      versusBare(`1. HEAD ${API}/token/{token}`, head, '≥ 50 %, p99 < 10 ms', (t) => t.ratio >= 0.5 && worstP99(t.measured) < 10),
      versusBare(`2. GET ${API}/token/{token}?scope=${SCOPE}`, get, '≥ 50 %, p99 < 10 ms', (t) => t.ratio >= 0.5 && worstP99(t.measured) < 10),
      ...(cold && spread
        ? [
            {
              benchmark: `   ${cold.label}`,
              measured: `${int(cold.rps)}/s, p99 ${ms(cold.p99Ms)} ms`,
              reference: `bare node:http ${int(medianRps(spread.references))}/s`,
              ratio: cold.rps / medianRps(spread.references),
              rounds: [],
              target: '(information)',
              met: true,
            },
          ]
        : []),
      ...(spread && prefill.values.length
        ? [versusBare(`   HEAD ${API}/token/{one of ${prefill.values.length} at random, warm}`, spread, '(information)', () => true)]
        : []),
      {
        benchmark: `3. ${loginSpec.label}`,
        measured: `${int(medianRps(logins.measured))}/s, p99 ${ms(worstP99(logins.measured))} ms`,
        reference: `argon2id ${int(hashMedian)} verif./s`,
        ratio: logins.ratio,
        rounds: logins.ratios,
        target: '≥ 90 %',
        met: logins.ratio >= 0.9 && logins.measured.every(clean),
      },
      {
        benchmark: `4. HEAD ${API}/token/{token}, with the logins`,
        measured: `${int(medianRps(mixed.measured.map((m) => m.checks)))}/s, p99 ${ms(worstP99(mixed.measured.map((m) => m.checks)))} ms`,
        reference: `checks alone ${int(medianRps(mixed.references))}/s`,
        ratio: mixed.ratio,
        rounds: mixed.ratios,
        target: '≥ 50 %',
        met: mixed.ratio >= 0.5 && mixed.measured.every((m) => clean(m.checks) && clean(m.logins)) && mixed.references.every(clean),
      },
      {
        benchmark: `   POST ${API}/token (Basic), with the checks`,
        measured: `${int(medianRps(mixedLogins))}/s, p99 ${ms(worstP99(mixedLogins))} ms`,
        reference: `argon2id ${int(hashMedian)} verif./s`,
        ratio: medianRps(mixedLogins) / hashMedian,
        rounds: [],
        target: '(information)',
        met: true,
      },
    ];
    const out: string[] = [];
    out.push('');
    out.push(`wazo-auth benchmark, token scenario, ${startedAt.toISOString()}`);
    out.push(machineLine(machine));
    out.push(
      `Note: only ${machine.cpus} cores. The load generator (autocannon, in the bench process), the server under test and, ` +
        'during logins, the argon2 threads all share them: absolute rates are low and ratios are what to compare.',
    );
    out.push(
      `Load: autocannon, ${CONNECTIONS} keep-alive connections per client set, 127.0.0.1 only; latencies from every response ` +
        `of the measured window. Each comparison runs in ${ROUNDS} rounds that alternate which side goes first, each side ` +
        `${roundTiming.warmupS} s warm-up then ${roundTiming.durationS} s measured; its ratio is the median of the rounds' ` +
        "ratios (listed in %), the rates shown are the medians and the p99 the worst round's. The cold run: " +
        `${DURATION_S} s, no warm-up.`,
    );
    out.push(
      `Store: SQLite (WAL) in a temporary folder; ${int(prefill.inserted)} live tokens pre-filled through store.tokens.create, ` +
        `${int(prefill.inserted / prefill.users)} each for ${int(prefill.users)} users of the top tenant who never log in, ` +
        `in ${prefill.seconds.toFixed(1)} s (${int(prefill.inserted / prefill.seconds)} tokens/s); ${int(liveTokensAtEnd)} live tokens at the end ` +
        `(the logins add theirs). The user who logs in (the bootstrap administrator) holds only its own sessions: ` +
        `${int(loginUserSessions)} at the end.`,
    );
    if (cold && touched) {
      out.push(
        `Pre-filled tokens: the cold run is the first check of each token it reaches (no warm-up; ${int(cold.responses)} of ` +
          `${int(prefill.values.length)} in its window${cold.responses > prefill.values.length ? ', so its end found warm tokens' : ''}), ` +
          `then ${int(touched.requests)} more checks ` +
          `(${touched.seconds.toFixed(1)} s) touch every other token once, then the random draw is measured warm. ` +
          '"Cold" is cold for the daemon (not in its memory, pages not yet mapped); the file itself sits in the OS page cache after the pre-fill.',
      );
    }
    out.push(
      `Hash reference: ${hashRates[0]!.parameters}, verifyPassword with ${hashRates[0]!.inFlight} in flight in a separate node process, ` +
        `at most ${hashRates[0]!.hashWorkers} at once (password_hash_workers' default) and UV_THREADPOOL_SIZE=` +
        `${hashRates[0]!.threadpoolSize ?? '4 (default)'}, as in the daemon, in turns with the logins.`,
    );
    out.push('');
    out.push('Runs');
    out.push(
      runsTable(
        runs,
        hashRates.map((h, i) => [
          `argon2id verifyPassword (${h.inFlight} in flight)${ROUNDS > 1 ? ` (round ${i + 1} of ${ROUNDS})` : ''}`,
          int(h.verificationsPerSecond),
          '',
          '',
          '',
          '',
          int(h.verifications),
          cpuCell(h.cpu),
          `mean ${ms(h.meanMs)} ms`,
        ]),
      ),
    );
    out.push(
      'CPU all / others: cores busy on the whole machine during the measured window, and how much of it was not the ' +
        `benchmark's own processes (out of ${machine.cpus}).`,
    );
    const warning = disturbance([...runs, ...hashRates.map((h) => ({label: 'argon2id verifyPassword', cpu: h.cpu}))]);
    if (warning) out.push(warning);
    out.push('');
    out.push('Against the references (targets are printed, not asserted)');
    out.push(ratiosTable(ratios));
    out.push('');
    out.push(`Daemon: ${daemonStop}.`);

    const file = writeResult('bench', startedAt, {
      scenario: 'tokens',
      startedAt: startedAt.toISOString(),
      machine,
      settings: {
        connections: CONNECTIONS,
        durationS: DURATION_S,
        warmupS: WARMUP_S,
        rounds: ROUNDS,
        round: roundTiming,
        prefilledTokens: TOKENS,
        prefillUsers: prefill.users,
        scope: SCOPE,
      },
      prefill: {inserted: prefill.inserted, users: prefill.users, seconds: prefill.seconds, perSecond: prefill.inserted / prefill.seconds},
      coldPass: cold && touched ? {coldResponses: cold.responses, touchedAfter: touched.requests, touchSeconds: touched.seconds} : null,
      liveTokensAtEnd,
      loginUserSessions,
      hashRates,
      runs,
      ratios,
      daemon: daemonStop,
    });
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

/** The row of a comparison with a bare node:http server; `meets` adds the target's own terms to a clean run. */
function versusBare(benchmark: string, turns: Turns<LoadResult, LoadResult>, target: string, meets: (turns: Turns<LoadResult, LoadResult>) => boolean): Ratio {
  return {
    benchmark,
    measured: `${int(medianRps(turns.measured))}/s, p99 ${ms(worstP99(turns.measured))} ms`,
    reference: `bare node:http ${int(medianRps(turns.references))}/s`,
    ratio: turns.ratio,
    rounds: turns.ratios,
    target,
    met: meets(turns) && turns.measured.every(clean),
  };
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

/** Sessions of the user of that name, read straight from the file once the daemon has stopped. */
function countSessionsOf(dbPath: string, username: string): number {
  const db = new Database(dbPath, {readonly: true, fileMustExist: true});
  try {
    const row = db.prepare('SELECT count(*) AS n FROM sessions WHERE user_uuid = (SELECT uuid FROM users WHERE username = ?)').get(username) as {n: number};
    return row.n;
  } finally {
    db.close();
  }
}

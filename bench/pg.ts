// The PostgreSQL scenario (`npm run bench -- pg`): two daemons sharing one PostgreSQL database,
// as behind a load balancer, against a bare node:http server measured in the same run.
//
//   1. HEAD /0.1/token/{token} on daemon A alone          vs bare node:http  (target ≥ 35 %; in BENCH_ROUNDS alternating rounds, see turns.ts)
//   2. the same checks on A and B at once, 25 connections each  vs bare node:http  (information)
// Each check draws a token at random among BENCH_TOKENS pre-filled ones and one made through
// each daemon, so that the checks of one query are of different tokens.
//   3. logins and checks mixed: Basic logins on A and on B while both check tokens
//                                                          vs the checks of (2)
// The database is a fresh one on the server of BENCH_PG_ADMIN_URI (default: the PostgreSQL of
// this machine, postgresql://postgres@127.0.0.1:5432/postgres), dropped at the end; BENCH_TOKENS
// (default 100000) live tokens of other users are put in it first, in one statement. Daemons: db_pool_size
// BENCH_PG_POOL (default 10). Results also go to bench/results/bench-pg-<time>.json.

import {createHash, randomBytes} from 'node:crypto';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import pg from 'pg';
import {startBareServer, type BareServer} from './bare-server.js';
import {cleanUp, trackFolder} from './children.js';
import {
  CONNECTIONS,
  DURATION_S,
  WARMUP_S,
  clean,
  currentLoad,
  describeMachine,
  disturbance,
  int,
  log,
  machineLine,
  ms,
  positiveNumber,
  timing,
  writeResult,
  ratiosTable,
  runsTable,
  type Ratio,
} from './common.js';
import {API, bootstrapAdmin, loginLoad, expectStatus, login, prepareDaemon, startDaemon, type RunningDaemon} from './daemon.js';
import {measure, measureTogether, type LoadResult, type LoadSpec} from './load.js';
import {ROUNDS, inTurns, interleaved, medianRps, roundTiming, worstP99} from './turns.js';

const TOKENS = Math.trunc(positiveNumber('BENCH_TOKENS', 100_000));
const POOL = Math.trunc(positiveNumber('BENCH_PG_POOL', 10));
const ADMIN_URI = process.env.BENCH_PG_ADMIN_URI || 'postgresql://postgres@127.0.0.1:5432/postgres';

async function adminQuery(uri: string, text: string): Promise<pg.QueryResult> {
  const client = new pg.Client({connectionString: uri, application_name: 'wazo-auth-bench'});
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

/**
 * Live tokens of other users, written in one statement: token i is the md5 of `seed:i` shaped as
 * a uuid, so that the benchmark knows every value without the database ever holding one.
 */
async function prefill(uri: string, count: number, seed: string): Promise<{values: string[]; seconds: number}> {
  const started = performance.now();
  await adminQuery(
    uri,
    `WITH v AS (
       SELECT uuid_in(md5('${seed}:' || i)::cstring)::text AS value, gen_random_uuid()::text AS session, gen_random_uuid()::text AS usr
       FROM generate_series(0, ${count - 1}) i),
     s AS (
       INSERT INTO sessions (uuid, tenant_uuid, user_uuid, mobile, created_at)
       SELECT session, gen_random_uuid()::text, usr, false, extract(epoch FROM now())::bigint FROM v)
     INSERT INTO tokens (digest, session_uuid, auth_id, pbx_user_uuid, xivo_uuid, issued_t, expire_t, acl, metadata,
       user_agent, remote_addr, refresh_token_uuid)
     SELECT encode(sha256(convert_to(value, 'UTF8')), 'hex'), session, usr, usr, gen_random_uuid()::text,
       extract(epoch FROM now())::bigint, extract(epoch FROM now())::bigint + 86400,
       '["confd.users.me.read", "calld.#"]', json_build_object('uuid', usr, 'tenant_uuid', usr, 'purpose', 'user'),
       'bench', '127.0.0.1', NULL
     FROM v`,
  );
  await adminQuery(uri, 'ANALYZE');
  const values: string[] = [];
  for (let i = 0; i < count; i++) {
    const hex = createHash('md5').update(`${seed}:${i}`).digest('hex');
    values.push(`${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`);
  }
  return {values, seconds: (performance.now() - started) / 1000};
}

/** Checks drawn at random among `tokens`: each request a different token, as from many clients. */
function headSpec(label: string, origin: string, tokens: string[]): LoadSpec {
  const path = () => `${API}/token/${tokens[Math.floor(Math.random() * tokens.length)]}`;
  return {label, origin, method: 'HEAD', path, connections: CONNECTIONS, expect: 204};
}

export async function runPg(): Promise<number> {
  const startedAt = new Date();
  const machine = describeMachine();
  const database = `wazo_auth_bench_${startedAt.getTime()}`;
  const serverUri = new URL(ADMIN_URI);
  const dbUri = new URL(ADMIN_URI);
  dbUri.pathname = `/${database}`;
  log(`pg scenario: two daemons on the fresh database ${database} (${serverUri.host}), pool ${POOL} each, ${TOKENS} pre-filled tokens`);

  let bare: BareServer | undefined;
  const daemons: RunningDaemon[] = [];
  const stops: string[] = [];
  let created = false;
  try {
    await adminQuery(serverUri.toString(), `CREATE DATABASE ${database}`);
    created = true;
    log('starting the bare node:http server');
    bare = await startBareServer();

    // One data folder for both: daemons sharing a database share the refresh-token key.
    const dataDir = mkdtempSync(join(tmpdir(), 'wazo-auth-bench-data-'));
    trackFolder(dataDir);
    const setupFor = (name: string) => {
      const uri = new URL(dbUri);
      uri.searchParams.set('application_name', name);
      return prepareDaemon({maxSessions: 100_000_000, tokenLifetimeS: 7200, dbUri: uri.toString(), dataDir, settings: {db_pool_size: POOL}});
    };
    const setupA = await setupFor('wazo-auth-bench-a');
    const setupB = await setupFor('wazo-auth-bench-b');
    const username = 'bench';
    const password = randomBytes(18).toString('base64url');
    log('bootstrapping the administrator (this migrates the database)');
    await bootstrapAdmin(setupA, username, password);
    log(`pre-filling ${TOKENS} live tokens of other users`);
    const {values: prefilled, seconds: prefillSeconds} = await prefill(dbUri.toString(), TOKENS, randomBytes(8).toString('hex'));
    log(`  in ${prefillSeconds.toFixed(1)} s`);

    log('starting daemon A, then daemon B');
    const a = await startDaemon(setupA);
    daemons.push(a);
    const b = await startDaemon(setupB);
    daemons.push(b);
    // The checks draw among the pre-filled tokens and tokens made through each daemon.
    const madeOnA = [await login(a.url, username, password, 36_000)];
    const madeOnB = [await login(b.url, username, password, 36_000)];
    await expectStatus(b.url, 'HEAD', `${API}/token/${madeOnA[0]}`, 204);
    await expectStatus(a.url, 'HEAD', `${API}/token/${madeOnB[0]}`, 204);
    await expectStatus(a.url, 'HEAD', `${API}/token/${prefilled[0]}`, 204);
    await expectStatus(b.url, 'HEAD', `${API}/token/${prefilled.at(-1)}`, 204);
    const tokens = [...prefilled, ...madeOnA, ...madeOnB];
    const alive = (when: string) => daemons.forEach((d) => d.assertAlive(when));

    const first = await inTurns(
      (round) => {
        log(`bare node:http${round}`);
        return measure(headSpec(`bare node:http: HEAD (same requests)${round}`, bare!.url, tokens), roundTiming);
      },
      async (round) => {
        log(`checks on daemon A alone${round}`);
        const measured = await measure(headSpec(`HEAD ${API}/token/{one of ${int(tokens.length)}} on A alone${round}`, a.url, tokens), roundTiming);
        alive(`the checks on A${round}`);
        return measured;
      },
      (reference, measured) => measured.rps / reference.rps,
    );
    const bareRps = medianRps(first.references);
    log('checks on A and B at once');
    const [bothA, bothB] = await measureTogether(
      [
        headSpec(`HEAD ${API}/token/{one of ${int(tokens.length)}} on A, with B`, a.url, tokens),
        headSpec(`HEAD ${API}/token/{one of ${int(tokens.length)}} on B, with A`, b.url, tokens),
      ],
      timing,
    );
    alive('the checks on both');

    const loginSpec = (daemon: RunningDaemon, name: string) =>
      loginLoad(daemon.url, `POST ${API}/token (Basic) on ${name}, with the checks`, username, password, 5);
    log('logins and checks mixed, on both daemons');
    const [mixedLoginsA, mixedLoginsB, mixedChecksA, mixedChecksB] = await measureTogether(
      [
        loginSpec(a, 'A'),
        loginSpec(b, 'B'),
        headSpec(`HEAD ${API}/token/{one of ${int(tokens.length)}} on A, with logins`, a.url, tokens),
        headSpec(`HEAD ${API}/token/{one of ${int(tokens.length)}} on B, with logins`, b.url, tokens),
      ],
      timing,
    );
    alive('the mixed run');

    for (const daemon of daemons.splice(0)) stops.push(await daemon.stop());
    const live = Number((await adminQuery(dbUri.toString(), 'SELECT count(*) AS n FROM tokens WHERE expire_t >= extract(epoch FROM now())')).rows[0].n);
    machine.loadavgAtEnd = currentLoad();

    const runs: LoadResult[] = [...interleaved(first), bothA!, bothB!, mixedLoginsA!, mixedLoginsB!, mixedChecksA!, mixedChecksB!];
    const both = bothA!.rps + bothB!.rps;
    const mixedChecks = mixedChecksA!.rps + mixedChecksB!.rps;
    const ratios: Ratio[] = [
      {
        benchmark: `1. HEAD ${API}/token/{one of ${int(tokens.length)}} on A alone`,
        measured: `${int(medianRps(first.measured))}/s, p99 ${ms(worstP99(first.measured))} ms`,
        reference: `bare node:http ${int(bareRps)}/s`,
        ratio: first.ratio,
        rounds: first.ratios,
        target: '≥ 35 %',
        met: first.ratio >= 0.35 && first.measured.every(clean),
      },
      {
        benchmark: '2. HEAD checks on A and B at once (sum)',
        measured: `${int(both)}/s (A ${int(bothA!.rps)}, B ${int(bothB!.rps)})`,
        reference: `bare node:http ${int(bareRps)}/s`,
        ratio: both / bareRps,
        rounds: [],
        target: '(information)',
        met: true,
      },
      {
        benchmark: '3. HEAD checks on A and B while both serve logins (sum)',
        measured: `${int(mixedChecks)}/s; logins ${int(mixedLoginsA!.rps + mixedLoginsB!.rps)}/s`,
        reference: `checks on both alone (2) ${int(both)}/s`,
        ratio: mixedChecks / both,
        rounds: [],
        target: '(information)',
        met: true,
      },
    ];

    const out: string[] = [];
    out.push('');
    out.push(`wazo-auth benchmark, pg scenario, ${startedAt.toISOString()}`);
    out.push(machineLine(machine));
    out.push(
      `Note: only ${machine.cpus} cores, shared by the load generator (autocannon, in the bench process), both daemons, ` +
        'PostgreSQL and, during logins, the argon2 threads: absolute rates are low and ratios are what to compare. ' +
        'The PostgreSQL server\'s processes are not the benchmark\'s own: their CPU counts among the "others".',
    );
    out.push(
      `Load: autocannon, ${CONNECTIONS} keep-alive connections per checking client set (5 per login set), 127.0.0.1 only, ` +
        `${WARMUP_S} s warm-up then ${DURATION_S} s measured per run. The target comparison (1) runs in ${ROUNDS} rounds ` +
        `that alternate which side goes first, each side ${roundTiming.warmupS} s warm-up then ${roundTiming.durationS} s ` +
        "measured; its ratio is the median of the rounds' (listed in %).",
    );
    out.push(
      `Store: PostgreSQL, fresh database ${database} (dropped afterwards), db_pool_size ${POOL} per daemon; ` +
        `${int(TOKENS)} live tokens of other users pre-filled in ${prefillSeconds.toFixed(1)} s; ${int(live)} live tokens at the end. ` +
        'Every check reads the database (one query answers the checks that arrive together).',
    );
    out.push('');
    out.push('Runs');
    out.push(runsTable(runs));
    const warning = disturbance(runs);
    if (warning) out.push(warning);
    out.push('');
    out.push('Against the references (targets are printed, not asserted)');
    out.push(ratiosTable(ratios));
    out.push('');
    out.push(`Daemons: ${stops.join('; ')}.`);
    const file = writeResult('bench-pg', startedAt, {
      scenario: 'pg',
      startedAt: startedAt.toISOString(),
      machine,
      settings: {connections: CONNECTIONS, durationS: DURATION_S, warmupS: WARMUP_S, rounds: ROUNDS, prefilledTokens: TOKENS, poolSize: POOL},
      liveTokensAtEnd: live,
      runs,
      ratios,
      daemons: stops,
    });
    out.push(`Results written to ${file}`);
    process.stdout.write(out.join('\n') + '\n');
    return 0;
  } finally {
    for (const daemon of daemons) await daemon.stop().catch(() => undefined);
    if (bare) await bare.stop().catch(() => undefined);
    cleanUp();
    if (created) await adminQuery(serverUri.toString(), `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
  }
}

// The administration API scenario (`npm run bench -- admin`): latencies of the listings, of a
// tenant creation and of a token check with thousands of tenants and users in the store. See
// bench/run.ts for what it measures.

import {randomBytes} from 'node:crypto';
import {cleanUp} from './children.js';
import {
  CONNECTIONS,
  DURATION_S,
  WARMUP_S,
  anomalies,
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
  table,
  timing,
  writeResult,
} from './common.js';
import {API, bootstrapAdmin, login, prepareDaemon, startDaemon, type DaemonSetup, type RunningDaemon} from './daemon.js';
import {measureSteady, sequential, type LoadResult, type LoadSpec} from './load.js';
import {populateTenants, removeTenantsNamed, type Population} from './prefill.js';

const TENANTS = Math.trunc(positiveNumber('BENCH_TENANTS', 5_000));
const USERS = Math.trunc(positiveNumber('BENCH_USERS', 10_000));
/** Requests measured one at a time, per request kind. */
const SAMPLES = Math.trunc(positiveNumber('BENCH_SAMPLES', 200));
/** Requests sent one at a time, not measured, before those. */
const SEQUENTIAL_WARMUP = Math.trunc(positiveNumber('BENCH_SEQUENTIAL_WARMUP', 30, true));
/** The longest the 25 connections may take to all get a first answer before the window opens anyway. */
const MAX_RAMP_S = positiveNumber('BENCH_MAX_RAMP', 60);
const PAGE = 100;
const SCOPE = 'auth.tenants.read';
/** The median every request should stay well under. */
const TARGET_MEDIAN_MS = 50;
/** The name of every tenant the benchmark creates through the API starts so. */
const CREATED_PREFIX = 'Bench created ';

interface Kind {
  /** Short name, used in the tables and the JSON. */
  name: string;
  /** Upstream's performance suite's allowance, when it has one. */
  upstreamMs?: number;
  /** Only for information: no target. */
  information?: boolean;
  sequential?: LoadResult;
  concurrent?: LoadResult;
}

/** GET and parse a JSON answer; throws on anything but 200. */
async function getJson(url: string, token: string): Promise<Record<string, unknown>> {
  const res = await fetch(url, {headers: {'x-auth-token': token}, signal: AbortSignal.timeout(30_000)});
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url} answered ${res.status}: ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** A path function walking the pages of a listing over and over, each caller its own walk. */
function pager(base: string, total: number): () => string {
  const pages = Math.max(1, Math.ceil(total / PAGE));
  let next = 0;
  return () => `${base}${base.includes('?') ? '&' : '?'}limit=${PAGE}&offset=${(next++ % pages) * PAGE}`;
}

export async function runAdmin(): Promise<number> {
  const startedAt = new Date();
  const machine = describeMachine();
  log(
    `admin scenario: ${TENANTS} tenants, ${USERS} users; ${SAMPLES} sequential samples after ${SEQUENTIAL_WARMUP} warm-up requests, ` +
      `then ${CONNECTIONS} connections for ${DURATION_S} s after ${WARMUP_S} s warm-up`,
  );

  let setup: DaemonSetup | undefined;
  let daemon: RunningDaemon | undefined;
  let daemonStop = 'not started';
  try {
    setup = await prepareDaemon({maxSessions: 100, tokenLifetimeS: 7200});
    const username = 'bench';
    const password = randomBytes(18).toString('base64url');
    log(`bootstrapping the administrator (database ${setup.dbPath})`);
    await bootstrapAdmin(setup, username, password);

    log(`creating ${TENANTS} tenants and ${USERS} users through the store`);
    const population: Population = await populateTenants({
      dbPath: setup.dbPath,
      tenants: TENANTS,
      users: USERS,
      timeoutMs: 15 * 60_000,
      onProgress: (what) => log(`  ${what}`),
    });
    log(`  done in ${population.seconds.toFixed(1)} s`);

    log(`starting the daemon on ${setup.url}`);
    const startAsked = performance.now();
    daemon = await startDaemon(setup, 5 * 60_000);
    const startSeconds = (performance.now() - startAsked) / 1000;
    daemonStop = 'running';
    log(`  answering after ${startSeconds.toFixed(1)} s`);
    const origin = daemon.url;
    const token = await login(origin, username, password, 36_000);
    const auth = {'x-auth-token': token};

    // What the listings see: the top tenant and those created; the administrator and the users.
    const tenantTotal = Number((await getJson(`${origin}${API}/tenants?limit=1`, token)).total);
    const userTotal = Number((await getJson(`${origin}${API}/users?limit=1&recurse=true`, token)).total);
    if (tenantTotal !== TENANTS + 1) throw new Error(`GET ${API}/tenants counts ${tenantTotal} tenants, not ${TENANTS + 1}`);
    if (userTotal !== USERS + 1) throw new Error(`GET ${API}/users?recurse=true counts ${userTotal} users, not ${USERS + 1}`);

    const kinds: Kind[] = [];
    const run = async (kind: Kind, spec: () => LoadSpec, concurrent: boolean) => {
      log(`${spec().label}: one at a time`);
      kind.sequential = await sequential(spec(), {warmup: SEQUENTIAL_WARMUP, samples: SAMPLES});
      daemon!.assertAlive(`during ${kind.sequential.label}`);
      if (concurrent) {
        log(`${spec().label}: ${CONNECTIONS} connections`);
        kind.concurrent = await measureSteady(spec(), {...timing, maxRampS: MAX_RAMP_S});
        daemon!.assertAlive(`during ${kind.concurrent.label}`);
      }
      kinds.push(kind);
    };

    const tenantsBase = `${API}/tenants`;
    await run(
      {name: 'tenants', upstreamMs: 1000},
      () => ({
        label: `GET ${tenantsBase}?limit=${PAGE}&offset=N`,
        origin,
        method: 'GET',
        path: pager(tenantsBase, tenantTotal),
        headers: auth,
        connections: CONNECTIONS,
        expect: 200,
      }),
      true,
    );
    const usersBase = `${API}/users?recurse=true`;
    await run(
      {name: 'users', upstreamMs: 1000},
      () => ({
        label: `GET ${API}/users?limit=${PAGE}&offset=N&recurse=true`,
        origin,
        method: 'GET',
        path: pager(usersBase, userTotal),
        headers: auth,
        connections: CONNECTIONS,
        expect: 200,
      }),
      true,
    );
    await run(
      {name: 'check', upstreamMs: 50},
      () => ({
        label: `HEAD ${API}/token/{token}?scope=${SCOPE}`,
        origin,
        method: 'HEAD',
        path: `${API}/token/${token}?scope=${SCOPE}`,
        connections: CONNECTIONS,
        expect: 204,
      }),
      true,
    );
    // The same with a tenant the token must cover: the daemon then walks the tenant tree.
    await run(
      {name: 'check-tenant', upstreamMs: 50, information: true},
      () => ({
        label: `HEAD ${API}/token/{token}?scope=${SCOPE}&tenant={a sub-tenant}`,
        origin,
        method: 'HEAD',
        path: `${API}/token/${token}?scope=${SCOPE}&tenant=${population.lastTenantUuid}`,
        connections: CONNECTIONS,
        expect: 204,
      }),
      true,
    );

    // Creations last, so that the listings above saw exactly the tenants populated. Every tenant
    // created (warm-ups included) is deleted afterwards: BENCH_SAMPLES of them through the API,
    // one at a time, measured for information; the rest through the store once the daemon has
    // stopped (a 25-connection run creates thousands), with those whose answer autocannon
    // dropped when its time was up.
    const created: string[] = [];
    let sequence = 0;
    await run(
      {name: 'create'},
      () => ({
        label: `POST ${API}/tenants`,
        origin,
        method: 'POST',
        path: `${API}/tenants`,
        headers: {...auth, 'content-type': 'application/json'},
        body: () => {
          const n = sequence++;
          return JSON.stringify({name: `${CREATED_PREFIX}${n}`, slug: `c${n.toString(36)}`});
        },
        onResponse: (status, body) => {
          if (status === 200) created.push((JSON.parse(body) as {uuid: string}).uuid);
        },
        connections: CONNECTIONS,
        expect: 200,
      }),
      true,
    );
    const createdCount = created.length;
    const tenantsAfterCreations = Number((await getJson(`${origin}${API}/tenants?limit=1`, token)).total);
    const deletedThroughApi = Math.min(SAMPLES, createdCount);
    log(`deleting ${deletedThroughApi} of the ${createdCount} tenants created through the API, one at a time`);
    const deletions = await sequential(
      {
        label: `DELETE ${API}/tenants/{uuid} (${int(tenantsAfterCreations)} tenants)`,
        origin,
        method: 'DELETE',
        path: () => `${API}/tenants/${created.pop()!}`,
        headers: auth,
        connections: 1,
        expect: 204,
      },
      {warmup: 0, samples: deletedThroughApi},
    );
    daemon.assertAlive('during the deletions');
    kinds.push({name: 'delete', information: true, sequential: deletions});

    daemonStop = await daemon.stop();
    daemon = undefined;
    log('deleting the other tenants created, through the store');
    const {removed: deletedThroughStore, remaining: tenantsAtEnd} = await removeTenantsNamed(setup.dbPath, CREATED_PREFIX);
    const createdWithoutAnswer = deletedThroughStore - created.length;
    machine.loadavgAtEnd = currentLoad();

    // -----------------------------------------------------------------------------------------
    // Report

    const runs = kinds.flatMap((k) => [k.sequential, k.concurrent]).filter((r): r is LoadResult => r !== undefined);
    const out: string[] = [];
    out.push('');
    out.push(`wazo-auth benchmark, administration API scenario, ${startedAt.toISOString()}`);
    out.push(machineLine(machine));
    out.push(
      `Store: SQLite (WAL) in a temporary folder; ${int(population.tenants)} tenants below the top tenant (one domain name each) and ` +
        `${int(population.users)} users spread over them (one e-mail address each), created through the store in ` +
        `${population.seconds.toFixed(1)} s; the listings count ${int(tenantTotal)} tenants and ${int(userTotal)} users. ` +
        `The daemon answered ${startSeconds.toFixed(1)} s after its start (it creates every tenant's all-users group on start).`,
    );
    out.push(
      `Caller: the bootstrap administrator's token (top tenant, access "#"). One at a time: ${SEQUENTIAL_WARMUP} requests of warm-up, ` +
        `then ${SAMPLES} measured over one keep-alive connection, each from sending to the last byte of the answer. ` +
        `${CONNECTIONS} connections: one autocannon run, its connections kept open from the warm-up into the measured window, ` +
        `which opens once every connection has had its first answer and at least ${WARMUP_S} s have passed (column "ramp s": ` +
        `when that was; node takes in the connections opened at once one more per turn of its event loop, so the slower ` +
        `the request, the longer), and lasts ${DURATION_S} s. Listings walk their pages (offset 0, ${PAGE}, ... up to the last page, then again).`,
    );
    out.push(
      `Creations: {"name", "slug"} bodies; ${int(createdCount + createdWithoutAnswer)} tenants created in all (warm-ups included` +
        (createdWithoutAnswer ? `, ${int(createdWithoutAnswer)} of them by requests whose answer autocannon dropped when it stopped` : '') +
        `), ${int(tenantsAfterCreations)} tenants then; all deleted afterwards: ${int(deletedThroughApi)} through the API one at a time ` +
        `(row "DELETE"), the other ${int(deletedThroughStore)} through the store once the daemon had stopped; ${int(tenantsAtEnd)} tenants at the end.`,
    );
    out.push('');
    out.push('Runs');
    out.push(
      table(
        ['request', 'clients', 'ramp s', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'responses', 'CPU all / others', 'anomalies'],
        runs.map((r) => [
          r.label,
          r.connections === 1 ? '1 at a time' : `${r.connections} conns`,
          r.rampS === undefined ? '' : Number.isFinite(r.rampS) ? r.rampS.toFixed(1) : `> ${MAX_RAMP_S}`,
          int(r.rps),
          ms(r.p50Ms),
          ms(r.p90Ms),
          ms(r.p99Ms),
          ms(r.maxMs),
          int(r.responses),
          cpuCell(r.cpu),
          anomalies(r),
        ]),
        [false, false, true, true, true, true, true, true, true, true, false],
      ),
    );
    out.push(
      'CPU all / others: cores busy on the whole machine during the measured window, and how much of it was not the ' +
        `benchmark's own processes (out of ${machine.cpus}); "-" when the run lasted under a second, too short to tell.`,
    );
    const warning = disturbance(runs);
    if (warning) out.push(warning);
    out.push('');
    out.push(`Against the targets (printed, not asserted): median one at a time well under ${TARGET_MEDIAN_MS} ms`);
    out.push(
      table(
        ['request', 'p50 ms', 'p99 ms', 'target', 'upstream allows', `p50 at ${CONNECTIONS} conns`, 'verdict'],
        kinds.map((k) => {
          const s = k.sequential!;
          const ok = s.p50Ms < TARGET_MEDIAN_MS && clean(s) && (!k.concurrent || clean(k.concurrent));
          return [
            s.label,
            ms(s.p50Ms),
            ms(s.p99Ms),
            k.information ? '(information)' : `p50 < ${TARGET_MEDIAN_MS} ms`,
            k.upstreamMs ? `${int(k.upstreamMs)} ms` : '-',
            k.concurrent ? ms(k.concurrent.p50Ms) : '-',
            k.information ? '' : ok ? 'met' : 'NOT MET',
          ];
        }),
        [false, true, true, false, false, true, false],
      ),
    );
    out.push('');
    out.push(`Daemon: ${daemonStop}.`);

    const file = writeResult('bench-admin', startedAt, {
      scenario: 'admin',
      startedAt: startedAt.toISOString(),
      machine,
      settings: {
        tenants: TENANTS,
        users: USERS,
        samples: SAMPLES,
        sequentialWarmup: SEQUENTIAL_WARMUP,
        page: PAGE,
        connections: CONNECTIONS,
        durationS: DURATION_S,
        warmupS: WARMUP_S,
        maxRampS: MAX_RAMP_S,
        scope: SCOPE,
        targetMedianMs: TARGET_MEDIAN_MS,
      },
      population: {...population, tenantTotal, userTotal},
      daemonStartSeconds: startSeconds,
      created: createdCount + createdWithoutAnswer,
      createdWithoutAnswer,
      tenantsAfterCreations,
      deletedThroughApi,
      deletedThroughStore,
      tenantsAtEnd,
      kinds,
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

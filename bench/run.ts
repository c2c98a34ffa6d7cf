// `npm run bench [-- <scenario>]`: measures the daemon on loopback and prints how far it is
// from its targets (printed, never asserted). The scenario is the first argument, or
// BENCH_SCENARIO; `tokens` when neither is given.
//
// Scenario `tokens` (default; `npm run bench`), each against a reference measured in the same run:
//   1. HEAD /0.1/token/{token}                 vs a bare node:http server (same request)
//   2. GET  /0.1/token/{token}?scope=...       vs a bare node:http server (same request)
//   3. POST /0.1/token (Basic logins)          vs argon2id verifications/s on this machine
//   4. HEAD checks while 25 clients log in     vs the same checks, measured alone
//   each in BENCH_ROUNDS rounds (default 5) of half-length runs that alternate which side runs
//   first; the ratio kept is the median of the rounds' (see bench/turns.ts),
//   plus, for information, HEAD on the pre-filled tokens: cold (the first check of each, no
//   warm-up), then, once every token has been checked once, warm (drawn at random).
//   The pre-filled tokens belong to BENCH_PREFILL_USERS users of the top tenant (default 1000,
//   BENCH_TOKENS / that many each) who never log in; the user who logs in (the bootstrap
//   administrator) holds only its own sessions.
//   Environment: BENCH_TOKENS (live tokens pre-filled, default 100000; the daemon keeps up to
//   100 000 token rows in memory, so more than that never warms up), BENCH_PREFILL_USERS.
//
// Scenario `admin` (`npm run bench -- admin`, or BENCH_SCENARIO=admin): the administration API
// with BENCH_TENANTS tenants (default 5000) below the top tenant and BENCH_USERS users (default
// 10000) spread over them, created through the store before the daemon starts; the caller is
// the bootstrap administrator of the top tenant. Median, p99 (and more) latency of
//   GET  /0.1/tenants?limit=100&offset=N            (walking the pages)
//   GET  /0.1/users?limit=100&offset=N&recurse=true (walking the pages)
//   HEAD /0.1/token/{token}?scope=auth.tenants.read (and, for information, with &tenant=)
//   POST /0.1/tenants                               (every tenant created is deleted afterwards:
//                                                     BENCH_SAMPLES through the API, one at a time,
//                                                     reported for information; the rest through
//                                                     the store once the daemon has stopped)
// each one request at a time (BENCH_SAMPLES measured, default 200, after BENCH_SEQUENTIAL_WARMUP
// unmeasured, default 30), then with 25 autocannon connections kept open from the warm-up into
// the measured window, which opens once each connection has had an answer (at most
// BENCH_MAX_RAMP s after the start, default 60). Target: median well under 50 ms one at a time
// (upstream's performance suite allows 1 s for a listing, 50 ms for a check).
//
// Scenario `pg` (`npm run bench -- pg`): two daemons sharing one PostgreSQL database; token
// checks on one daemon and on both, as ratios of a bare node:http server in the same run, then
// logins and checks mixed. See bench/pg.ts.
//
// Scenario `hostile` (`npm run bench -- hostile`): token checks during (a) a wrong-password flood
// from 50 connections on two loopback addresses, while the owner logs in from a third, and (b)
// two clients posting 1 MiB of nested brackets to POST /0.1/token; each against the same checks
// measured quiet in the same run. See bench/hostile.ts.
//
// Scenario `events` (`npm run bench -- events`): logins with the bus on vs off, and the outbox's
// drain rate; see bench/events.ts.
//
// Scenario `metrics` (`npm run bench -- metrics`): token checks with GET /metrics on (and scraped)
// vs off; see bench/metrics.ts.
//
// Scenario `reset` (`npm run bench -- reset`): GET /0.1/users/password/reset for an existing
// user and an unknown one, which must take the same time; see bench/password-reset.ts.
//
// Scenario `cli` (`npm run bench -- cli`): the command line's start-up, see bench/cli.ts
// (BENCH_CLI_SAMPLES runs of each command, default 30).
//
// All but `cli`: BENCH_DURATION (measured seconds per autocannon run, default 10), BENCH_WARMUP (seconds
// of warm-up before each autocannon run, default 2). Results also go to bench/results/*.json
// (bench-<time>.json for `tokens`, bench-admin-<time>.json for `admin`).

import {runAdmin} from './admin.js';
import {runHostile} from './hostile.js';
import {runLdap} from './ldap.js';
import {runPg} from './pg.js';
import {cleanUp} from './children.js';
import {runCli} from './cli.js';
import {runEvents} from './events.js';
import {runMetrics} from './metrics.js';
import {log} from './common.js';
import {runReset} from './password-reset.js';
import {runTokens} from './tokens.js';

// Scenario `ldap` (`npm run bench -- ldap`): directory logins per second against a private slapd
// next to native logins in the same run (bench/ldap.ts); BENCH_LDAP_CLIENTS, BENCH_ROUNDS.

const scenarios: Record<string, () => Promise<number>> = {
  tokens: runTokens,
  admin: runAdmin,
  pg: runPg,
  cli: runCli,
  hostile: runHostile,
  events: runEvents,
  reset: runReset,
  ldap: runLdap,
  metrics: runMetrics,
};

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    cleanUp();
    process.exit(130);
  });
}
process.once('exit', cleanUp);

const name = process.argv[2] || process.env.BENCH_SCENARIO || 'tokens';
const scenario = scenarios[name];
if (!scenario) {
  process.stderr.write(`unknown scenario "${name}": expected one of ${Object.keys(scenarios).join(', ')}\n`);
  process.exit(2);
}

scenario().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`\nbench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    cleanUp();
    process.exit(1);
  },
);

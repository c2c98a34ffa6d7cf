// The LDAP scenario (`npm run bench -- ldap`): logins per second against a tenant's directory (a
// private slapd, test/helpers/slapd.ts, with a service account: bind, search, bind as the user)
// next to native logins (an argon2id verification each) in the same run, on one in-process
// daemon. Both kinds run BENCH_ROUNDS times, alternating which goes first, BENCH_LDAP_CLIENTS
// clients for BENCH_DURATION seconds each; the ratio kept is the median of the rounds'.
// Printed, never asserted.

import {randomUUID} from 'node:crypto';
import {mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {startSlapd, slapdSkip} from '../test/helpers/slapd.js';
import {loadConfig} from '../src/config/index.js';
import {startDaemon} from '../src/daemon/start.js';
import {createLogger} from '../src/log.js';
import {Passwords} from '../src/services/passwords.js';
import {DURATION_S, describeMachine, log, machineLine, positiveNumber, table} from './common.js';

const CLIENTS = Math.trunc(positiveNumber('BENCH_LDAP_CLIENTS', 8));
const ROUNDS = Math.trunc(positiveNumber('BENCH_ROUNDS', 3));

interface Count {
  ok: number;
  failed: number;
  seconds: number;
}

/** `clients` loops posting `body` with `auth` for `seconds`; counts the 200s. */
async function loginsFor(url: string, auth: string, body: unknown, seconds: number): Promise<Count> {
  const end = performance.now() + seconds * 1000;
  const started = performance.now();
  let ok = 0;
  let failed = 0;
  await Promise.all(
    Array.from({length: CLIENTS}, async () => {
      while (performance.now() < end) {
        const res = await fetch(`${url}/0.1/token`, {
          method: 'POST',
          headers: {authorization: auth, 'content-type': 'application/json'},
          body: JSON.stringify(body),
        });
        await res.arrayBuffer();
        if (res.status === 200) ok++;
        else failed++;
      }
    }),
  );
  return {ok, failed, seconds: (performance.now() - started) / 1000};
}

const basic = (login: string, password: string) => `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function runLdap(): Promise<number> {
  const skip = slapdSkip();
  if (skip) {
    log(`ldap scenario skipped: ${skip}`);
    return 0;
  }
  const machine = describeMachine();
  const slapd = await startSlapd({baseDn: 'dc=acme,dc=example', users: [{uid: 'alice', cn: 'Alice', mail: 'alice@acme.example', password: 'white rabbit'}]});
  const dir = await mkdtemp(join(tmpdir(), 'wazo-auth-bench-ldap-'));
  const config = loadConfig({
    configFile: null,
    // Every login opens a session: no cap within the run; native logins queue for a hash rather
    // than being refused (503), so that both kinds count what the machine does.
    overrides: {
      data_dir: dir,
      db_uri: `sqlite://${join(dir, 'auth.db')}`,
      log_level: 'critical',
      max_user_concurrent_sessions: 10_000_000,
      max_pending_password_hashes: 1000,
    },
    env: {},
  });
  config.rest_api.port = 0;
  config.rest_api.listen = '127.0.0.1';
  const daemon = await startDaemon(config, {log: createLogger({level: 'critical'})});
  try {
    const {store} = daemon.services;
    const top = (await store.tenants.top())!.uuid;
    const tenant = randomUUID();
    const address = {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null};
    await store.tenants.create({
      uuid: tenant,
      name: 'acme',
      slug: 'acme',
      parentUuid: top,
      contactUuid: null,
      phone: null,
      address,
      domainNames: ['acme.example'],
      defaultAuthenticationMethod: 'ldap',
    });
    const user = (username: string, tenantUuid: string, method: 'native' | 'ldap', email: string | null) => ({
      uuid: randomUUID(),
      tenantUuid,
      username,
      firstname: null,
      lastname: null,
      purpose: 'user' as const,
      enabled: true,
      authenticationMethod: method,
      emails: email ? [{uuid: randomUUID(), address: email, main: true, confirmed: true}] : [],
    });
    await store.users.create(user('native-bench', top, 'native', null), await new Passwords().hash('native password'));
    await store.users.create(user('alice-wazo', tenant, 'ldap', 'alice@acme.example'), null);
    const saved = await daemon.services.ldap.put(tenant, {
      host: '127.0.0.1',
      port: slapd.port,
      bindDn: slapd.bindDn,
      bindPassword: slapd.bindPassword,
      userBaseDn: slapd.peopleDn,
      userLoginAttribute: 'uid',
      userEmailAttribute: 'mail',
    });
    if ('missing' in saved) throw new Error(`ldap config: ${saved.missing}`);

    const kinds = {
      native: () => loginsFor(daemon.url, basic('native-bench', 'native password'), {expiration: 60}, DURATION_S),
      ldap: () => loginsFor(daemon.url, basic('alice', 'white rabbit'), {expiration: 60, domain_name: 'acme.example'}, DURATION_S),
    };
    log(`ldap scenario: ${ROUNDS} rounds of ${DURATION_S} s per kind, ${CLIENTS} clients; ${machineLine(machine)}`);
    // Warm-up: a few of each.
    await loginsFor(daemon.url, basic('native-bench', 'native password'), {expiration: 60}, 1);
    await loginsFor(daemon.url, basic('alice', 'white rabbit'), {expiration: 60, domain_name: 'acme.example'}, 1);
    const rows: string[][] = [];
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? (['native', 'ldap'] as const) : (['ldap', 'native'] as const);
      const rates: Record<string, Count> = {};
      for (const kind of order) rates[kind] = await kinds[kind]();
      const native = rates.native!.ok / rates.native!.seconds;
      const ldap = rates.ldap!.ok / rates.ldap!.seconds;
      ratios.push(ldap / native);
      rows.push([String(round + 1), native.toFixed(1), String(rates.native!.failed), ldap.toFixed(1), String(rates.ldap!.failed), (ldap / native).toFixed(2)]);
    }
    process.stdout.write(
      table(['round', 'native logins/s', 'failed', 'LDAP logins/s', 'failed', 'LDAP / native'], rows, [false, true, true, true, true, true]) +
        `\nmedian LDAP / native login rate: ${median(ratios).toFixed(2)} (${CLIENTS} clients, ${DURATION_S} s per run)\n`,
    );
    return 0;
  } finally {
    await daemon.stop();
    await slapd.close();
    await rm(dir, {recursive: true, force: true});
  }
}

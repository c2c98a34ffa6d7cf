// The `reset` scenario (`npm run bench -- reset`): GET /0.1/users/password/reset must take the
// same time whether the user exists or not. The daemon runs as an operator runs it, mailing to a
// real SMTP server (smtp-server) in this process; BENCH_RESET_SAMPLES requests (default 400) for
// an existing user with a confirmed address (a mail each) and as many for an unknown one,
// interleaved one at a time. Printed: the median and p90 of each, and the ratio of the medians
// (target: 1.0 within the noise; upstream looks the user up and mails before answering, several
// times slower for an existing user).

import {SMTPServer} from 'smtp-server';
import type {AddressInfo} from 'node:net';
import {describeMachine, log, machineLine, ms, positiveNumber, table, writeResult} from './common.js';
import {bootstrapAdmin, login, prepareDaemon, startDaemon, type RunningDaemon} from './daemon.js';

const SAMPLES = positiveNumber('BENCH_RESET_SAMPLES', 400);
const API = '/0.1';

const quantile = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * q))]!;

async function timeGet(url: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, {signal: AbortSignal.timeout(30_000)});
  await res.arrayBuffer();
  const elapsed = performance.now() - started;
  if (res.status !== 204) throw new Error(`${url} answered ${res.status}`);
  return elapsed;
}

export async function runReset(): Promise<number> {
  const startedAt = new Date();
  const machine = describeMachine();
  let mails = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      stream.resume();
      stream.on('end', () => {
        mails++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp as unknown as {server: {address(): AddressInfo}}).server.address().port;
  const setup = await prepareDaemon({
    maxSessions: 100_000,
    tokenLifetimeS: 3600,
    // A mail for every request, so that each request for the existing user costs all it can.
    settings: {smtp: {hostname: '127.0.0.1', port: smtpPort, retry_delay: 0}, password_reset_email_template: '/nonexistent', password_reset_mail_interval: 0},
  });
  let daemon: RunningDaemon | undefined;
  try {
    await bootstrapAdmin(setup, 'bench-admin', 'bench-password');
    daemon = await startDaemon(setup);
    const token = await login(daemon.url, 'bench-admin', 'bench-password', 3600);
    const created = await fetch(`${daemon.url}${API}/users`, {
      method: 'POST',
      headers: {'x-auth-token': token, 'content-type': 'application/json'},
      body: JSON.stringify({username: 'bench-forgetful', password: 'pw', email_address: 'forgetful@example.com'}),
    });
    if (created.status !== 200) throw new Error(`creating the user answered ${created.status}`);
    const known: number[] = [];
    const unknown: number[] = [];
    const warmup = 30;
    for (let i = 0; i < SAMPLES + warmup; i++) {
      // Alternating which goes first, so that a disturbance hits both alike.
      const order = i % 2 === 0 ? ['known', 'unknown'] : ['unknown', 'known'];
      for (const which of order) {
        const t = await timeGet(`${daemon.url}${API}/users/password/reset?username=${which === 'known' ? 'bench-forgetful' : `nobody-${i}`}`);
        if (i >= warmup) (which === 'known' ? known : unknown).push(t);
      }
    }
    daemon.assertAlive('after the requests');
    // The mails go out after the answers: wait for them (at most 2 minutes), for the record.
    const expected = SAMPLES + warmup;
    for (let waited = 0; mails < expected && waited < 120_000; waited += 200) await new Promise((resolve) => setTimeout(resolve, 200));
    const ratio = quantile(known, 0.5) / quantile(unknown, 0.5);
    const rows = [
      ['existing user (mailed)', ms(quantile(known, 0.5)), ms(quantile(known, 0.9))],
      ['unknown user', ms(quantile(unknown, 0.5)), ms(quantile(unknown, 0.9))],
    ];
    process.stdout.write(`${machineLine(machine)}\n\nGET /0.1/users/password/reset, ${SAMPLES} each, one at a time\n`);
    process.stdout.write(table(['request', 'median ms', 'p90 ms'], rows, [false, true, true]) + '\n');
    process.stdout.write(`ratio of the medians (existing / unknown): ${ratio.toFixed(2)} (target 1.0 within noise); mails received: ${mails} of ${expected}\n`);
    const file = writeResult('reset', startedAt, {machine, samples: SAMPLES, known, unknown, ratio, mails});
    log(`results in ${file}`);
    return 0;
  } finally {
    await daemon?.stop();
    setup.remove();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  }
}

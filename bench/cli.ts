// The `cli` scenario (`npm run bench -- cli`): how long an operator waits for the command line.
// The median wall time of each command below against a live daemon, with `node -e 0` measured in
// the same run, the runs interleaved so that a disturbance hits them alike:
//   - `wazo-auth status` (no login), target at most 2.5 x `node -e 0`;
//   - `wazo-auth whoami` logged in with the OS keychain (gnome-keyring on a private session bus,
//     started here), target at most 1.3 x `status`; and logged in with --insecure-storage;
//   - `wazo-auth token check TOKEN --scope ...`, target at most 3 x `node -e 0` (upstream's Python
//     `wazo-auth-cli token show` takes about 3 times a bare `python3 -c 0` here).

import {spawnSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {once} from 'node:events';
import {ROOT, removeFolder, startChild, stopChild, trackFolder, type Child} from './children.js';
import {describeMachine, log, machineLine, ms, positiveNumber, table, writeResult} from './common.js';
import {bootstrapAdmin, login, prepareDaemon, startDaemon, type RunningDaemon} from './daemon.js';

const SAMPLES = positiveNumber('BENCH_CLI_SAMPLES', 30);

interface Subject {
  label: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  times: number[];
}

interface Target {
  subject: string;
  baseline: string;
  at_most: number;
}

const TARGETS: Target[] = [
  {subject: 'wazo-auth status', baseline: 'node -e 0', at_most: 2.5},
  {subject: 'wazo-auth whoami (keychain login)', baseline: 'wazo-auth status', at_most: 1.3},
  {subject: 'wazo-auth token check TOKEN --scope auth.users.read', baseline: 'node -e 0', at_most: 3},
];

/** Wall time of one run, in ms; throws when the program fails, which would make the figure meaningless. */
function timeRun(subject: Subject): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, subject.args, {cwd: ROOT, env: subject.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe']});
  const elapsed = performance.now() - started;
  if (run.status !== 0) throw new Error(`${subject.label} exited with ${run.status}: ${run.stderr.toString().trim()}`);
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** A private session bus with an unlocked gnome-keyring on it, in `home`: the OS keychain of a desktop session. */
async function privateKeychain(home: string): Promise<{address: string; stop: () => Promise<void>}> {
  const bus = startChild('dbus-daemon', 'dbus-daemon', ['--session', '--nofork', '--print-address=1']);
  const [line] = (await once(bus.process.stdout!, 'data')) as [Buffer];
  const address = line.toString().split('\n')[0]!;
  const keyring = startChild('gnome-keyring-daemon', 'gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
    env: {...process.env, HOME: home, DBUS_SESSION_BUS_ADDRESS: address},
  });
  keyring.process.stdin!.end('bench-keyring');
  // It answers on the bus once it has read the password and unlocked the keyring.
  await once(keyring.process.stdout!, 'data');
  const stop = async () => {
    for (const child of [keyring, bus] as Child[]) await stopChild(child, 2_000);
  };
  return {address, stop};
}

export async function runCli(): Promise<number> {
  const startedAt = new Date();
  const machine = describeMachine();
  const setup = await prepareDaemon({maxSessions: 1000, tokenLifetimeS: 36_000});
  const home = mkdtempSync(join(tmpdir(), 'wazo-auth-bench-cli-'));
  trackFolder(home);
  let daemon: RunningDaemon | undefined;
  let keychain: Awaited<ReturnType<typeof privateKeychain>> | undefined;
  try {
    await bootstrapAdmin(setup, 'bench-admin', 'bench-password');
    daemon = await startDaemon(setup);
    const token = await login(daemon.url, 'bench-admin', 'bench-password', 36_000);
    keychain = await privateKeychain(home);
    // The operator's shell: the daemon's URL from the environment, no colours; a profile per store.
    const env = {...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), WAZO_AUTH_URL: daemon.url, NO_COLOR: '1'};
    const keychainEnv = {...env, DBUS_SESSION_BUS_ADDRESS: keychain.address, WAZO_AUTH_PROFILE: 'keychain'};
    const fileEnv = {...env, WAZO_AUTH_PROFILE: 'file'};
    delete (fileEnv as NodeJS.ProcessEnv).DBUS_SESSION_BUS_ADDRESS;
    for (const [loginEnv, extra] of [
      [keychainEnv, []],
      [fileEnv, ['--insecure-storage']],
    ] as const) {
      const run = spawnSync(process.execPath, ['bin/run.js', 'login', '--username', 'bench-admin', '--password-stdin', ...extra], {
        cwd: ROOT,
        env: loginEnv,
        input: 'bench-password',
      });
      if (run.status !== 0) throw new Error(`login ${extra.join(' ')} exited with ${run.status}: ${run.stderr.toString().trim()}`);
    }
    const subjects: Subject[] = [
      {label: 'node -e 0', args: ['-e', '0'], times: []},
      {label: 'wazo-auth status', args: ['bin/run.js', 'status', '--format', 'plain'], env, times: []},
      {label: 'wazo-auth whoami (keychain login)', args: ['bin/run.js', 'whoami', '--format', 'plain'], env: keychainEnv, times: []},
      {label: 'wazo-auth whoami (--insecure-storage login)', args: ['bin/run.js', 'whoami', '--format', 'plain'], env: fileEnv, times: []},
      {
        label: 'wazo-auth token check TOKEN --scope auth.users.read',
        args: ['bin/run.js', 'token', 'check', token, '--scope', 'auth.users.read', '--format', 'plain'],
        env,
        times: [],
      },
    ];
    log(`${SAMPLES} runs of each, interleaved, after one unmeasured run each`);
    for (const subject of subjects) timeRun(subject);
    for (let i = 0; i < SAMPLES; i += 1) for (const subject of subjects) subject.times.push(timeRun(subject));

    const medianOf = (label: string) => median(subjects.find((s) => s.label === label)!.times);
    const baseline = medianOf('node -e 0');
    const rows = subjects.map((s) => [
      s.label,
      ms(median(s.times)),
      ms(Math.min(...s.times)),
      ms(Math.max(...s.times)),
      `${(median(s.times) / baseline).toFixed(2)} x`,
    ]);
    process.stdout.write(`\n${machineLine(machine)}\n\n`);
    process.stdout.write(table(['command', 'median ms', 'min ms', 'max ms', 'vs node -e 0'], rows, [false, true, true, true, true]));
    process.stdout.write('\nTargets (printed, not asserted):\n');
    const ratios = TARGETS.map((target) => {
      const ratio = medianOf(target.subject) / medianOf(target.baseline);
      process.stdout.write(
        `  ${target.subject} at most ${target.at_most} x ${target.baseline}: ${ratio.toFixed(2)} x, ${ratio <= target.at_most ? 'met' : 'NOT MET'}\n`,
      );
      return {...target, ratio};
    });
    // The command lines without the token, and none of the environment (which may hold anyone's secrets).
    const recorded = subjects.map(({label, args, times}) => ({label, args: args.map((arg) => (arg === token ? 'TOKEN' : arg)), times}));
    const file = writeResult('bench-cli', startedAt, {machine, samples: SAMPLES, subjects: recorded, ratios});
    process.stdout.write(`Results written to ${file}\n`);
    return 0;
  } finally {
    if (keychain) await keychain.stop();
    if (daemon) log(`daemon: ${await daemon.stop()}`);
    setup.remove();
    removeFolder(home);
  }
}

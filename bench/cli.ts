// The `cli` scenario (`npm run bench -- cli`): how long an operator waits for the command line.
// The median wall time of `wazo-auth token check TOKEN --scope ...` against a live daemon, and of
// `wazo-auth status`, each against `node -e 0` measured in the same run, the runs interleaved so
// that a disturbance hits them alike. Target: token check at most 3 times `node -e 0` (upstream's
// Python `wazo-auth-cli token show` takes about 3 times a bare `python3 -c 0` here).

import {spawnSync} from 'node:child_process';
import {ROOT} from './children.js';
import {describeMachine, log, machineLine, ms, positiveNumber, table, writeResult} from './common.js';
import {bootstrapAdmin, login, prepareDaemon, startDaemon, type RunningDaemon} from './daemon.js';

const SAMPLES = positiveNumber('BENCH_CLI_SAMPLES', 30);
const TARGET = 3;

interface Subject {
  label: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  times: number[];
}

/** Wall time of one run, in ms; throws when the program fails, which would make the figure meaningless. */
function timeRun(subject: Subject): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, subject.args, {cwd: ROOT, env: subject.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe']});
  const elapsed = performance.now() - started;
  if (run.status !== 0) throw new Error(`${subject.label} exited with ${run.status}: ${run.stderr.toString().trim()}`);
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

export async function runCli(): Promise<number> {
  const startedAt = new Date();
  const machine = describeMachine();
  const setup = await prepareDaemon({maxSessions: 1000, tokenLifetimeS: 36_000});
  let daemon: RunningDaemon | undefined;
  try {
    await bootstrapAdmin(setup, 'bench-admin', 'bench-password');
    daemon = await startDaemon(setup);
    const token = await login(daemon.url, 'bench-admin', 'bench-password', 36_000);
    // The operator's shell: the daemon's URL from the environment, no profile, no colours.
    const env = {...process.env, WAZO_AUTH_URL: daemon.url, NO_COLOR: '1'};
    const subjects: Subject[] = [
      {label: 'node -e 0', args: ['-e', '0'], times: []},
      {
        label: 'wazo-auth token check TOKEN --scope auth.users.read',
        args: ['bin/run.js', 'token', 'check', token, '--scope', 'auth.users.read', '--format', 'plain'],
        env,
        times: [],
      },
      {label: 'wazo-auth status', args: ['bin/run.js', 'status', '--format', 'plain'], env, times: []},
    ];
    log(`${SAMPLES} runs of each, interleaved, after one unmeasured run each`);
    for (const subject of subjects) timeRun(subject);
    for (let i = 0; i < SAMPLES; i += 1) for (const subject of subjects) subject.times.push(timeRun(subject));

    const baseline = median(subjects[0]!.times);
    const rows = subjects.map((s) => [
      s.label,
      ms(median(s.times)),
      ms(Math.min(...s.times)),
      ms(Math.max(...s.times)),
      `${(median(s.times) / baseline).toFixed(2)} x`,
    ]);
    process.stdout.write(`\n${machineLine(machine)}\n\n`);
    process.stdout.write(table(['command', 'median ms', 'min ms', 'max ms', 'vs node -e 0'], rows, [false, true, true, true, true]));
    const ratio = median(subjects[1]!.times) / baseline;
    process.stdout.write(
      `\nTarget (printed, not asserted): token check at most ${TARGET} x node -e 0: ${ratio.toFixed(2)} x, ${ratio <= TARGET ? 'met' : 'NOT MET'}\n`,
    );
    const file = writeResult('bench-cli', startedAt, {machine, samples: SAMPLES, subjects, ratio, target: TARGET});
    process.stdout.write(`Results written to ${file}\n`);
    return 0;
  } finally {
    if (daemon) log(`daemon: ${await daemon.stop()}`);
    setup.remove();
  }
}

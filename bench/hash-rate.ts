// The reference of the login benchmark: how many argon2id verifications per second this
// machine does with the daemon's own parameters (hashPassword / verifyPassword), with as
// many verifications in flight as the daemon has login requests in flight. The binding
// verifies on the libuv threadpool, so at most UV_THREADPOOL_SIZE (default 4) run at once,
// exactly as inside the daemon. Run in a child process of its own, with the daemon's
// environment, so that its threadpool is sized as the daemon's is.
//
// Run directly: `node --import tsx bench/hash-rate.ts <in flight> <warm-up s> <measured s>`;
// prints one JSON line.

import {pathToFileURL} from 'node:url';
import {runToEnd, tsxArgs} from './children.js';
import {cpuWindow, type CpuUse} from './cpu.js';

export interface HashRate {
  verificationsPerSecond: number;
  verifications: number;
  seconds: number;
  inFlight: number;
  /** UV_THREADPOOL_SIZE as the child saw it; null: libuv's default (4). */
  threadpoolSize: string | null;
  /**
   * How many verifications passwords.ts lets run at once: its default, which is the daemon's
   * when its config leaves password_hash_workers unset (the benchmark's does).
   */
  hashWorkers: number;
  /** Mean time from asking for a verification to its answer, queueing for a thread included. */
  meanMs: number;
  /** The PHC parameters of the hash verified, e.g. `$argon2id$v=19$m=19456,t=2,p=1`. */
  parameters: string;
  /** Machine CPU use during the measured window; "ours" is this process. */
  cpu?: CpuUse;
}

export async function measureHashRate(options: {inFlight: number; warmupS: number; durationS: number; env: NodeJS.ProcessEnv}): Promise<HashRate> {
  const args = tsxArgs('bench/hash-rate.ts', String(options.inFlight), String(options.warmupS), String(options.durationS));
  const timeoutMs = (options.warmupS + options.durationS) * 1000 + 60_000;
  const out = await runToEnd('hash-rate measurement', process.execPath, args, {timeoutMs, env: options.env});
  const line = out.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as HashRate;
}

async function main(): Promise<void> {
  const [inFlight, warmupS, durationS] = process.argv.slice(2).map(Number);
  if (!inFlight || inFlight < 1 || warmupS === undefined || !(warmupS >= 0) || !durationS || durationS <= 0) {
    throw new Error('usage: hash-rate.ts <in flight> <warm-up s> <measured s>');
  }
  const {defaultHashWorkers, Passwords} = await import('../src/services/passwords.js');
  // The daemon's own: its default cost.
  const passwords = new Passwords();
  const password = 'bench-password';
  const hash = await passwords.hash(password);

  const start = performance.now();
  const measureFrom = start + warmupS * 1000;
  const end = measureFrom + durationS * 1000;
  let verifications = 0;
  let totalMs = 0;

  // Machine CPU over the measured window, to tell whether something else ran meanwhile.
  let stopCpu: (() => CpuUse | undefined) | undefined;
  const cpuTimer = setTimeout(() => (stopCpu = cpuWindow(() => [process.pid])), warmupS * 1000);
  let cpu: CpuUse | undefined;
  const cpuEnd = setTimeout(() => (cpu = stopCpu?.()), (warmupS + durationS) * 1000);

  // Each worker stands for one login request in flight: it asks for the next verification
  // as soon as the previous one answers, until the measured window is over.
  const worker = async () => {
    while (performance.now() < end) {
      const asked = performance.now();
      const verdict = await passwords.verify(password, hash);
      if (!verdict.ok) throw new Error('the verification refused the right password');
      const answered = performance.now();
      if (answered >= measureFrom && answered <= end) {
        verifications += 1;
        totalMs += answered - asked;
      }
    }
  };
  await Promise.all(Array.from({length: inFlight}, worker));
  clearTimeout(cpuTimer);
  clearTimeout(cpuEnd);
  cpu ??= stopCpu?.();

  const result: HashRate = {
    verificationsPerSecond: verifications / durationS,
    verifications,
    seconds: durationS,
    inFlight,
    threadpoolSize: process.env.UV_THREADPOOL_SIZE ?? null,
    hashWorkers: defaultHashWorkers(),
    meanMs: verifications ? totalMs / verifications : 0,
    parameters: hash.split('$').slice(0, 4).join('$'),
    cpu,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  });
}

// Password hashing off the event loop, in worker threads of a lower CPU priority. A login costs
// tens of milliseconds of CPU; a token check, microseconds. When the cores are all busy, the
// checks every other service waits on get most of them and logins still go on, slower (nice is
// per thread on Linux); on an idle core a hash runs at full speed.

import {createRequire} from 'node:module';
import {Worker} from 'node:worker_threads';

export type HashJob =
  | {op: 'hash'; password: string; options: object}
  | {op: 'verify'; stored: string; password: string}
  | {op: 'pbkdf2'; password: string; saltHex: string; iterations: number; keyBytes: number};

// Plain CommonJS evaluated by the worker: a file of ours would need the TypeScript loader in
// the worker under tsx, which Node 20 does not pass on.
const WORKER = `
const {parentPort, workerData} = require('node:worker_threads');
const {setPriority} = require('node:os');
const {pbkdf2Sync} = require('node:crypto');
const argon2 = require(workerData.argon2);
try { setPriority(0, workerData.nice); } catch {}
parentPort.on('message', (job) => {
  try {
    const value =
      job.op === 'hash' ? argon2.hashSync(job.password, job.options)
      : job.op === 'verify' ? argon2.verifySync(job.stored, job.password)
      : pbkdf2Sync(Buffer.from(job.password, 'utf8'), Buffer.from(job.saltHex, 'hex'), job.iterations, job.keyBytes, 'sha512');
    parentPort.postMessage({value});
  } catch (error) {
    parentPort.postMessage({error: error instanceof Error ? error.message : String(error)});
  }
});
`;
/**
 * Nice 15 weighs about a thirtieth of nice 0. Under a flood of checks and logins together, on 2
 * cores: at nice 10 checks kept 49 % of their rate alone (logins 36-52/s), at 15 56 % (33-39/s),
 * at 19 61 % (21-28/s): 15 keeps the checks above half while logins still get half the hash rate.
 */
export const HASH_NICE = 15;
const ARGON2_PATH = createRequire(import.meta.url).resolve('@node-rs/argon2');

interface Pending {
  job: HashJob;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** At most `size` hashes at once, each in a worker of its own; the others wait their turn in order. */
export class HashPool {
  private readonly waiting: Pending[] = [];
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Pending>();
  private workers = 0;

  constructor(readonly size: number) {}

  run(job: HashJob): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.waiting.push({job, resolve, reject});
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.waiting.length > 0) {
      const worker = this.idle.pop() ?? (this.workers < this.size ? this.spawn() : undefined);
      if (!worker) return;
      const pending = this.waiting.shift()!;
      this.busy.set(worker, pending);
      // Only a worker at work keeps the process alive.
      worker.ref();
      worker.postMessage(pending.job);
    }
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER, {eval: true, workerData: {argon2: ARGON2_PATH, nice: HASH_NICE}});
    this.workers += 1;
    worker.on('message', (answer: {value?: unknown; error?: string}) => {
      const pending = this.busy.get(worker)!;
      this.busy.delete(worker);
      worker.unref();
      this.idle.push(worker);
      if (answer.error === undefined) pending.resolve(answer.value);
      else pending.reject(new Error(answer.error));
      this.dispatch();
    });
    // A worker that dies fails its job only; the next job gets a new worker.
    worker.on('error', (error) => this.busy.get(worker)?.reject(error));
    worker.on('exit', () => {
      this.workers -= 1;
      this.busy.get(worker)?.reject(new Error('the password hashing worker stopped'));
      this.busy.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      this.dispatch();
    });
    return worker;
  }
}

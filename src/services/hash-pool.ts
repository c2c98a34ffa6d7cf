// Password hashing off the event loop, in worker threads of a lower CPU priority. A login costs
// tens of milliseconds of CPU; a token check, microseconds. When the cores are all busy, the
// checks every other service waits on get most of them and logins still go on, slower (nice is
// per thread on Linux); on an idle core a hash runs at full speed.

import {createRequire} from 'node:module';
import {performance} from 'node:perf_hooks';
import {Worker} from 'node:worker_threads';
import {HashQueueFull} from '../domain/errors.js';
import {ScopedStorage} from '../scoped-storage.js';

export type HashJob =
  | {op: 'hash'; password: string; options: object}
  | {op: 'verify'; stored: string; password: string}
  | {op: 'pbkdf2'; password: string; saltHex: string; iterations: number; keyBytes: number}
  /** Keeps a worker busy until `signal[0]` leaves 0 (holdWorker): queue states made on purpose, not by a slow hash. */
  | {op: 'hold'; signal: Int32Array};

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
      : job.op === 'hold' ? Atomics.wait(job.signal, 0, 0)
      : pbkdf2Sync(Buffer.from(job.password, 'utf8'), Buffer.from(job.saltHex, 'hex'), job.iterations, job.keyBytes, 'sha512');
    parentPort.postMessage({value});
  } catch (error) {
    parentPort.postMessage({error: error instanceof Error ? error.message : String(error)});
  }
});
`;
/**
 * Nice 10 weighs about a tenth of nice 0. What keeps the checks going under a flood of checks and
 * logins is the worker waiting on a busy event loop (see AHEAD); a higher nice gave them little
 * more and slowed logins alone (nice 15: 88 % of the hash rate in two benchmark runs; nice 10:
 * 96 %), the scheduler pairing the worker with busier threads on a core.
 */
export const HASH_NICE = 10;
const ARGON2_PATH = createRequire(import.meta.url).resolve('@node-rs/argon2');

interface Pending {
  job: HashJob;
  /** Whose login it is (hashesFor); '' for work that is no client's. */
  client: string;
  bounded: boolean;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

const currentClient = new ScopedStorage<string>();

/**
 * Runs `work` with the hashes it asks for counted as `client`'s (a client address): the pool
 * takes clients in turn and a full queue makes room for one holding less of it.
 */
export function hashesFor<T>(client: string, work: () => Promise<T>): Promise<T> {
  return currentClient.run(client, work);
}

/**
 * Runs a job on `pool` that keeps its worker busy until `release()`: the tests of the queue fill
 * it this way rather than with a hash slow enough, whose length depends on the machine.
 */
export function holdWorker(pool: HashPool): {done: Promise<unknown>; release: () => void} {
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const done = pool.run({op: 'hold', signal});
  return {
    done,
    release: () => {
      Atomics.store(signal, 0, 1);
      Atomics.notify(signal, 0);
    },
  };
}

/**
 * Jobs posted to a worker before it has answered the one it is on, while the event loop is
 * quiet: the next one waits in the worker's own message queue, so that logins alone keep the
 * worker busy. While the loop is busy (token checks) only one is posted: the worker then waits
 * for the loop to take its answer, which leaves the cores to the checks.
 */
const AHEAD = 2;
/** The event loop counts as quiet when busy less than half of the last 10 ms or more. */
const QUIET_LOOP = 0.5;
const LOOK_EVERY_MS = 10;

/**
 * At most `size` hashes at once, each in a worker of its own. The others wait their turn: clients
 * (hashesFor) take turns, each client's jobs in order, so that the owner's login waits for one
 * job per busy client, not for a guesser's whole queue. A bounded job (a login) is refused at
 * once when `maxPending` jobs are running or waiting: past that, waiting only makes every login
 * slower without making more of them succeed. Unless the client holding the most of the queue
 * holds more than one job beyond this one's client: then that client's newest waiting login is
 * refused instead, so that one address cannot keep the others out.
 */
export class HashPool {
  /** Jobs waiting, by client, in the order the clients take turns. */
  private readonly waiting = new Map<string, Pending[]>();
  /** Jobs running or waiting, by client. */
  private readonly held = new Map<string, number>();
  /** Every live worker, with the jobs posted to it and not yet answered, oldest first. */
  private readonly posted = new Map<Worker, Pending[]>();
  /** Jobs running or waiting. */
  private pendingJobs = 0;
  /** Jobs handed to a worker since the pool was made: the hashes spent. */
  private startedJobs = 0;

  constructor(
    readonly size: number,
    public maxPending = Infinity,
  ) {}

  get pending(): number {
    return this.pendingJobs;
  }

  get started(): number {
    return this.startedJobs;
  }

  get full(): boolean {
    return this.pendingJobs >= this.maxPending;
  }

  run(job: HashJob, options: {bounded?: boolean} = {}): Promise<unknown> {
    const client = currentClient.getStore() ?? '';
    const bounded = options.bounded ?? false;
    if (bounded && this.full && !this.makeRoomFor(client)) return Promise.reject(new HashQueueFull());
    this.pendingJobs += 1;
    this.held.set(client, (this.held.get(client) ?? 0) + 1);
    let done = false;
    const settled = () => {
      if (done) return;
      done = true;
      this.pendingJobs -= 1;
      const left = this.held.get(client)! - 1;
      if (left > 0) this.held.set(client, left);
      else this.held.delete(client);
    };
    return new Promise((resolve, reject) => {
      this.enqueue({
        job,
        client,
        bounded,
        resolve: (value) => (settled(), resolve(value)),
        reject: (error) => (settled(), reject(error)),
      });
      this.dispatch();
    });
  }

  /** Jobs running or waiting for `client`'s logins (hashesFor). */
  heldBy(client: string): number {
    return this.held.get(client) ?? 0;
  }

  private enqueue(pending: Pending, first = false): void {
    const queue = this.waiting.get(pending.client);
    if (!queue) this.waiting.set(pending.client, [pending]);
    else if (first) queue.unshift(pending);
    else queue.push(pending);
  }

  /** The next job: the first of the client whose turn it is, that client then going last. */
  private nextWaiting(): Pending | undefined {
    for (const [client, queue] of this.waiting) {
      const pending = queue.shift()!;
      this.waiting.delete(client);
      if (queue.length > 0) this.waiting.set(client, queue);
      return pending;
    }
    return undefined;
  }

  /** Refuses the newest waiting login of the client holding the most, when it holds more than one beyond `client`'s share. */
  private makeRoomFor(client: string): boolean {
    let victim: Pending[] | undefined;
    let most = this.heldBy(client) + 1;
    for (const [other, queue] of this.waiting) {
      const held = this.heldBy(other);
      if (other !== client && held > most && queue.some((p) => p.bounded)) {
        victim = queue;
        most = held;
      }
    }
    if (!victim) return false;
    const index = victim.findLastIndex((p) => p.bounded);
    const [refused] = victim.splice(index, 1);
    if (victim.length === 0) this.waiting.delete(refused!.client);
    refused!.reject(new HashQueueFull());
    return true;
  }

  private dispatch(): void {
    while (this.waiting.size > 0) {
      const worker = this.leastBusy(1) ?? (this.posted.size < this.size ? this.spawn() : this.quietLoop() ? this.leastBusy(AHEAD) : undefined);
      if (!worker) return;
      const pending = this.nextWaiting()!;
      this.posted.get(worker)!.push(pending);
      this.startedJobs += 1;
      // Only a worker at work keeps the process alive.
      worker.ref();
      worker.postMessage(pending.job);
    }
  }

  private lastLook = performance.eventLoopUtilization();
  private quiet = true;

  private quietLoop(): boolean {
    const now = performance.eventLoopUtilization();
    const since = performance.eventLoopUtilization(now, this.lastLook);
    if (since.idle + since.active >= LOOK_EVERY_MS) {
      this.quiet = since.utilization < QUIET_LOOP;
      this.lastLook = now;
    }
    return this.quiet;
  }

  /** The worker with the fewest jobs posted, if it has fewer than `limit`. */
  private leastBusy(limit: number): Worker | undefined {
    let best: Worker | undefined;
    let fewest = limit;
    for (const [worker, jobs] of this.posted) {
      if (jobs.length < fewest) {
        best = worker;
        fewest = jobs.length;
      }
    }
    return best;
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER, {eval: true, workerData: {argon2: ARGON2_PATH, nice: HASH_NICE}});
    const jobs: Pending[] = [];
    this.posted.set(worker, jobs);
    worker.on('message', (answer: {value?: unknown; error?: string}) => {
      const pending = jobs.shift()!;
      if (jobs.length === 0) worker.unref();
      if (answer.error === undefined) pending.resolve(answer.value);
      else pending.reject(new Error(answer.error));
      this.dispatch();
    });
    // A worker that dies fails the job it was on only: those queued behind it go to another.
    worker.on('error', (error) => jobs.shift()?.reject(error));
    worker.on('exit', () => {
      this.posted.delete(worker);
      const [current, ...queued] = jobs.splice(0);
      current?.reject(new Error('the password hashing worker stopped'));
      for (const pending of queued.reverse()) this.enqueue(pending, true);
      this.dispatch();
    });
    return worker;
  }
}

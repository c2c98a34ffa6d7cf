// Drives HTTP load with autocannon, in this process. Rates and latency percentiles are
// computed here from every response of the measured window (autocannon's own histogram
// rounds latencies to whole milliseconds, and its run ends on its next 1 s sample tick).
// Also: one request at a time over one keep-alive connection (sequential latencies), and a
// fixed number of requests as fast as possible (to walk a list of paths once).

import autocannon from 'autocannon';
import {Agent, request as httpRequest} from 'node:http';
import {ownPids} from './children.js';
import {cpuWindow, type CpuUse} from './cpu.js';

type AutocannonRequest = NonNullable<Parameters<typeof autocannon>[0]['requests']>[number];

export interface LoadSpec {
  /** Shown in the table. */
  label: string;
  /** Origin, e.g. http://127.0.0.1:9497 */
  origin: string;
  method: 'GET' | 'HEAD' | 'POST' | 'DELETE';
  /** A fixed path, or a function called for every request. */
  path: string | (() => string);
  headers?: Record<string, string>;
  /** A fixed body, or a function called for every request. */
  body?: string | (() => string);
  /** Given every response's status and body (warm-up included); the body is read only when set. */
  onResponse?: (status: number, body: string) => void;
  connections: number;
  /** The status every response should have. */
  expect: number;
}

export interface LoadResult {
  label: string;
  method: string;
  /** 1: one request at a time (sequential). */
  connections: number;
  seconds: number;
  responses: number;
  rps: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Responses by status code, measured window only. */
  statuses: Record<string, number>;
  /** Responses with another status than `expect`. */
  unexpected: number;
  errors: number;
  timeouts: number;
  /** Machine CPU use during the measured window (shared by runs measured together). */
  cpu?: CpuUse;
  /**
   * measureSteady only: seconds from the start until every connection had its first answer
   * (connections opened at once against a busy server are taken in one at a time).
   */
  rampS?: number;
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

/** The answers of a run: a count per status and every latency; then the figures of a LoadResult. */
class Answers {
  // A measured run over 10 s at ~30 000 req/s holds 300 000 latencies: grows as needed.
  private latencies = new Float64Array(1 << 16);
  private count = 0;
  private readonly statuses: Record<string, number> = {};

  add(status: number, ms: number): void {
    if (this.count === this.latencies.length) {
      const bigger = new Float64Array(this.latencies.length * 2);
      bigger.set(this.latencies);
      this.latencies = bigger;
    }
    this.latencies[this.count++] = ms;
    this.statuses[status] = (this.statuses[status] ?? 0) + 1;
  }

  figures(seconds: number, expect: number) {
    const sorted = this.latencies.slice(0, this.count).sort();
    return {
      seconds,
      responses: this.count,
      rps: seconds > 0 ? this.count / seconds : NaN,
      p50Ms: percentile(sorted, 0.5),
      p90Ms: percentile(sorted, 0.9),
      p99Ms: percentile(sorted, 0.99),
      maxMs: this.count ? sorted[this.count - 1]! : NaN,
      statuses: this.statuses,
      unexpected: this.count - (this.statuses[expect] ?? 0),
    };
  }
}

/** One autocannon run; counts only what answers within `seconds` of the start. */
function drive(spec: LoadSpec, seconds: number): Promise<LoadResult> {
  const fixedPath = typeof spec.path === 'string' ? spec.path : '/';
  const answers = new Answers();
  let errors = 0;
  let timeouts = 0;

  const windowMs = seconds * 1000;
  const started = performance.now();
  const instance = autocannon({
    url: spec.origin + fixedPath,
    connections: spec.connections,
    // autocannon stops on its first sample tick after `duration`: one more second at most.
    duration: seconds,
    method: spec.method,
    headers: spec.headers,
    body: typeof spec.body === 'string' ? spec.body : undefined,
    timeout: 10,
    requests: perRequest(spec),
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseMs: number) => {
    if (performance.now() - started > windowMs) return;
    answers.add(statusCode, responseMs);
  });
  // autocannon reports a timeout as an error named so.
  instance.on('reqError', (error: Error) => {
    if (performance.now() - started > windowMs) return;
    if (error.message === 'request timed out') timeouts += 1;
    else errors += 1;
  });

  return new Promise<LoadResult>((resolve, reject) => {
    // Bounded even if autocannon never calls back (e.g. every connection stuck).
    const guard = setTimeout(
      () => {
        instance.stop();
        reject(new Error(`${spec.label}: autocannon did not finish within ${seconds + 30} s`));
      },
      (seconds + 30) * 1000,
    );
    instance.then(
      () => {
        clearTimeout(guard);
        resolve({
          label: spec.label,
          method: spec.method,
          connections: spec.connections,
          ...answers.figures(seconds, spec.expect),
          errors,
          timeouts,
        });
      },
      (error: unknown) => {
        clearTimeout(guard);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** autocannon's per-request hooks: a path or a body drawn for each request, the responses' bodies. */
function perRequest(spec: LoadSpec): AutocannonRequest[] | undefined {
  const pathOf = typeof spec.path === 'function' ? spec.path : undefined;
  const bodyOf = typeof spec.body === 'function' ? spec.body : undefined;
  if (!pathOf && !bodyOf && !spec.onResponse) return undefined;
  return [
    {
      setupRequest: (request) => ({...request, ...(pathOf ? {path: pathOf()} : {}), ...(bodyOf ? {body: bodyOf()} : {})}),
      ...(spec.onResponse ? {onResponse: (status: number, body: string) => spec.onResponse!(status, body)} : {}),
    },
  ];
}

/**
 * Exactly `amount` requests with `spec.connections` in flight, as fast as the server answers;
 * nothing is measured but the statuses. Bounded by `timeoutMs`.
 */
export function runRequests(spec: LoadSpec, amount: number, timeoutMs: number): Promise<{statuses: Record<string, number>; errors: number; seconds: number}> {
  const statuses: Record<string, number> = {};
  let errors = 0;
  const started = performance.now();
  const instance = autocannon({
    url: spec.origin + (typeof spec.path === 'string' ? spec.path : '/'),
    connections: Math.min(spec.connections, amount),
    amount,
    method: spec.method,
    headers: spec.headers,
    body: typeof spec.body === 'string' ? spec.body : undefined,
    timeout: 10,
    requests: perRequest(spec),
  });
  instance.on('response', (_client: unknown, statusCode: number) => {
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  instance.on('reqError', () => (errors += 1));
  return new Promise((resolve, reject) => {
    const guard = setTimeout(() => {
      instance.stop();
      reject(new Error(`${spec.label}: ${amount} requests not done within ${timeoutMs} ms`));
    }, timeoutMs);
    instance.then(
      () => {
        clearTimeout(guard);
        resolve({statuses, errors, seconds: (performance.now() - started) / 1000});
      },
      (error: unknown) => {
        clearTimeout(guard);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Warm-up run (discarded), then the measured run, of every spec at once. */
export async function measureTogether(specs: LoadSpec[], options: {warmupS: number; durationS: number}): Promise<LoadResult[]> {
  if (options.warmupS > 0) await Promise.all(specs.map((spec) => drive(spec, options.warmupS)));
  const cpu = cpuWindow(ownPids);
  const results = await Promise.all(specs.map((spec) => drive(spec, options.durationS)));
  const use = cpu();
  return results.map((result) => ({...result, cpu: use}));
}

export async function measure(spec: LoadSpec, options: {warmupS: number; durationS: number}): Promise<LoadResult> {
  const [result] = await measureTogether([spec], options);
  return result!;
}

/** One request over a keep-alive connection; resolves with its status and body once fully read. */
function once(agent: Agent, spec: LoadSpec, timeoutMs: number): Promise<{status: number; body: string; ms: number}> {
  const url = new URL(spec.origin);
  const path = typeof spec.path === 'function' ? spec.path() : spec.path;
  const body = typeof spec.body === 'function' ? spec.body() : spec.body;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = httpRequest(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: spec.method,
        path,
        headers: {...spec.headers, ...(body === undefined ? {} : {'content-length': String(Buffer.byteLength(body))})},
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - started}));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * One request at a time over one keep-alive connection: `warmup` requests discarded, then
 * `samples` measured, each from sending the request to the last byte of the answer.
 */
export async function sequential(spec: LoadSpec, options: {warmup: number; samples: number; timeoutMs?: number}): Promise<LoadResult> {
  const agent = new Agent({keepAlive: true, maxSockets: 1});
  const timeoutMs = options.timeoutMs ?? 10_000;
  const answers = new Answers();
  let errors = 0;
  let timeouts = 0;
  try {
    for (let i = 0; i < options.warmup; i++) {
      const answer = await once(agent, spec, timeoutMs);
      spec.onResponse?.(answer.status, answer.body);
    }
    const cpu = cpuWindow(ownPids);
    const started = performance.now();
    for (let i = 0; i < options.samples; i++) {
      try {
        const answer = await once(agent, spec, timeoutMs);
        spec.onResponse?.(answer.status, answer.body);
        answers.add(answer.status, answer.ms);
      } catch (error) {
        if ((error as Error).message === 'request timed out') timeouts += 1;
        else errors += 1;
      }
    }
    const seconds = (performance.now() - started) / 1000;
    // /proc counts CPU time in 10 ms ticks: below a second the figures mean nothing.
    const use = seconds >= 1 ? cpu() : undefined;
    return {
      label: spec.label,
      method: spec.method,
      connections: 1,
      ...answers.figures(seconds, spec.expect),
      errors,
      timeouts,
      cpu: use,
    };
  } finally {
    agent.destroy();
  }
}

/**
 * One autocannon run whose connections stay open from the warm-up into the measured window,
 * which opens once every connection has had an answer and `warmupS` has passed (at most
 * `maxRampS` after the start), and lasts `durationS`. node answers the connections opened at
 * once by a load generator one more per turn of its event loop: when each request holds the
 * loop for tens of milliseconds, the last of 25 connections waits seconds for its first answer.
 * Two separate runs (warm-up, then measured) would measure that ramp again; this does not.
 */
export function measureSteady(spec: LoadSpec, options: {warmupS: number; durationS: number; maxRampS: number}): Promise<LoadResult> {
  const fixedPath = typeof spec.path === 'string' ? spec.path : '/';
  const answers = new Answers();
  let errors = 0;
  let timeouts = 0;
  const answered = new Set<unknown>();
  const started = performance.now();
  let windowStart: number | undefined;
  let windowEnd = Infinity;
  let rampS: number | undefined;
  let stopCpu: (() => CpuUse | undefined) | undefined;
  let cpu: CpuUse | undefined;
  let stopTimer: NodeJS.Timeout | undefined;

  const instance = autocannon({
    url: spec.origin + fixedPath,
    connections: spec.connections,
    duration: options.maxRampS + options.durationS + 2,
    method: spec.method,
    headers: spec.headers,
    body: typeof spec.body === 'string' ? spec.body : undefined,
    timeout: 10,
    requests: perRequest(spec),
  });
  const openWindow = () => {
    if (windowStart !== undefined) return;
    windowStart = performance.now();
    windowEnd = windowStart + options.durationS * 1000;
    stopCpu = cpuWindow(ownPids);
    stopTimer = setTimeout(() => {
      cpu = stopCpu?.();
      instance.stop();
    }, options.durationS * 1000);
  };
  // The window opens at `maxRampS` at the latest, every connection answered or not.
  const rampTimer = setTimeout(openWindow, Math.max(options.warmupS, options.maxRampS) * 1000);
  instance.on('response', (client: unknown, statusCode: number, _bytes: number, responseMs: number) => {
    const now = performance.now();
    if (rampS === undefined) {
      answered.add(client);
      if (answered.size >= spec.connections) rampS = (now - started) / 1000;
    }
    if (windowStart === undefined) {
      if (rampS !== undefined && now - started >= options.warmupS * 1000) openWindow();
      return;
    }
    if (now > windowEnd) return;
    answers.add(statusCode, responseMs);
  });
  instance.on('reqError', (error: Error) => {
    const now = performance.now();
    if (windowStart === undefined || now > windowEnd) return;
    if (error.message === 'request timed out') timeouts += 1;
    else errors += 1;
  });

  return new Promise<LoadResult>((resolve, reject) => {
    const limitS = options.maxRampS + options.durationS + 30;
    const guard = setTimeout(() => {
      instance.stop();
      reject(new Error(`${spec.label}: autocannon did not finish within ${limitS} s`));
    }, limitS * 1000);
    instance.then(
      () => {
        clearTimeout(guard);
        clearTimeout(rampTimer);
        clearTimeout(stopTimer);
        cpu ??= stopCpu?.();
        const seconds = windowStart === undefined ? 0 : (Math.min(performance.now(), windowEnd) - windowStart) / 1000;
        resolve({
          label: spec.label,
          method: spec.method,
          connections: spec.connections,
          ...answers.figures(seconds, spec.expect),
          errors,
          timeouts,
          cpu,
          rampS: rampS ?? NaN,
        });
      },
      (error: unknown) => {
        clearTimeout(guard);
        clearTimeout(rampTimer);
        clearTimeout(stopTimer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

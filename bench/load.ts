// Drives HTTP load with autocannon, in this process. Rates and latency percentiles are
// computed here from every response of the measured window (autocannon's own histogram
// rounds latencies to whole milliseconds, and its run ends on its next 1 s sample tick).

import autocannon from 'autocannon';
import {ownPids} from './children.js';
import {cpuWindow, type CpuUse} from './cpu.js';

export interface LoadSpec {
  /** Shown in the table. */
  label: string;
  /** Origin, e.g. http://127.0.0.1:9497 */
  origin: string;
  method: 'GET' | 'HEAD' | 'POST';
  /** A fixed path, or a function called for every request. */
  path: string | (() => string);
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** The status every response should have. */
  expect: number;
}

export interface LoadResult {
  label: string;
  method: string;
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
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[index]!;
}

/** One autocannon run; counts only what answers within `seconds` of the start. */
function drive(spec: LoadSpec, seconds: number): Promise<LoadResult> {
  const fixedPath = typeof spec.path === 'string' ? spec.path : '/';
  const pathOf = typeof spec.path === 'function' ? spec.path : undefined;
  // A measured run over 10 s at ~30 000 req/s holds 300 000 latencies: grows as needed.
  let latencies = new Float64Array(1 << 16);
  let count = 0;
  const statuses: Record<string, number> = {};
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
    body: spec.body,
    timeout: 10,
    requests: pathOf ? [{setupRequest: (request) => ({...request, path: pathOf()})}] : undefined,
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseMs: number) => {
    if (performance.now() - started > windowMs) return;
    if (count === latencies.length) {
      const bigger = new Float64Array(latencies.length * 2);
      bigger.set(latencies);
      latencies = bigger;
    }
    latencies[count++] = responseMs;
    statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  // autocannon reports a timeout as an error named so.
  instance.on('reqError', (error: Error) => {
    if (performance.now() - started > windowMs) return;
    if (error.message === 'request timed out') timeouts += 1;
    else errors += 1;
  });

  return new Promise<LoadResult>((resolve, reject) => {
    // Bounded even if autocannon never calls back (e.g. every connection stuck).
    const guard = setTimeout(() => {
      instance.stop();
      reject(new Error(`${spec.label}: autocannon did not finish within ${seconds + 30} s`));
    }, (seconds + 30) * 1000);
    instance.then(
      () => {
        clearTimeout(guard);
        const sorted = latencies.slice(0, count).sort();
        const expected = statuses[spec.expect] ?? 0;
        resolve({
          label: spec.label,
          method: spec.method,
          connections: spec.connections,
          seconds,
          responses: count,
          rps: count / seconds,
          p50Ms: percentile(sorted, 0.5),
          p90Ms: percentile(sorted, 0.9),
          p99Ms: percentile(sorted, 0.99),
          maxMs: count ? sorted[count - 1]! : NaN,
          statuses,
          unexpected: count - expected,
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

// A client of the hostile scenario, in a process of its own so that it competes with the
// measured checks for the CPU only, not for the load generator's event loop: loops of POST
// requests, each sent once the previous one is answered, from a given loopback address.
// Usage: node --import tsx bench/hostile-client.ts '<JSON LoopSpec[]>'. Prints `ready`, then,
// given `stop <epoch ms>` on stdin, one JSON line: a LoadResult per spec over the answers that
// came between that time and now; then exits.

import {Agent, request} from 'node:http';
import {createInterface} from 'node:readline';
import type {LoadResult} from './load.js';

export interface LoopSpec {
  label: string;
  origin: string;
  path: string;
  headers: Record<string, string>;
  /** The body as text, or `[` × deepHalf then `]` × deepHalf. */
  body: {text: string} | {deepHalf: number};
  loops: number;
  localAddress: string;
  keepAlive: boolean;
  /** Statuses that are the daemon doing its job (anything else is an anomaly). */
  expected: number[];
}

const ERROR = -1;
const TIMEOUT = -2;
const now = () => performance.timeOrigin + performance.now();

function post(agent: Agent, spec: LoopSpec, url: URL, body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        method: 'POST',
        path: spec.path,
        headers: {...spec.headers, 'content-length': String(body.length)},
        localAddress: spec.localAddress,
        timeout: 10_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

function run(spec: LoopSpec): (from: number) => Promise<LoadResult> {
  const url = new URL(spec.origin);
  const body =
    'text' in spec.body ? Buffer.from(spec.body.text) : Buffer.concat([Buffer.alloc(spec.body.deepHalf, '['), Buffer.alloc(spec.body.deepHalf, ']')]);
  const agent = new Agent({keepAlive: spec.keepAlive, maxSockets: spec.loops, localAddress: spec.localAddress});
  // status: the answer's, or ERROR / TIMEOUT (a poster's body cut short by a refusal is an ERROR).
  const samples: {end: number; ms: number; status: number}[] = [];
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const start = now();
      let status: number;
      try {
        status = await post(agent, spec, url, body);
      } catch (error) {
        if (stopped) return;
        status = (error as Error).message === 'request timed out' ? TIMEOUT : ERROR;
      }
      const end = now();
      samples.push({end, ms: end - start, status});
    }
  };
  const running = Array.from({length: spec.loops}, loop);
  return async (from) => {
    const until = now();
    stopped = true;
    agent.destroy();
    await Promise.all(running);
    const inWindow = samples.filter((s) => s.end >= from && s.end <= until);
    const answered = inWindow.filter((s) => s.status > 0);
    const latencies = Float64Array.from(answered.map((s) => s.ms)).sort();
    const at = (q: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.max(0, Math.ceil(q * latencies.length) - 1))]! : NaN);
    const statuses: Record<string, number> = {};
    for (const s of answered) statuses[s.status] = (statuses[s.status] ?? 0) + 1;
    const seconds = (until - from) / 1000;
    return {
      label: spec.label,
      method: 'POST',
      connections: spec.loops,
      seconds,
      responses: answered.length,
      rps: answered.length / seconds,
      p50Ms: at(0.5),
      p90Ms: at(0.9),
      p99Ms: at(0.99),
      maxMs: latencies.length ? latencies[latencies.length - 1]! : NaN,
      statuses,
      unexpected: answered.filter((s) => !spec.expected.includes(s.status)).length,
      errors: inWindow.filter((s) => s.status === ERROR).length,
      timeouts: inWindow.filter((s) => s.status === TIMEOUT).length,
    };
  };
}

const specs = JSON.parse(process.argv[2] ?? '[]') as LoopSpec[];
const stops = specs.map(run);
process.stdout.write('ready\n');
for await (const line of createInterface({input: process.stdin})) {
  const match = /^stop (\d+(\.\d+)?)$/.exec(line.trim());
  if (!match) continue;
  const results = await Promise.all(stops.map((stop) => stop(Number(match[1]))));
  process.stdout.write(JSON.stringify(results) + '\n');
  break;
}
process.exit(0);

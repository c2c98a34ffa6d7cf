// What both scenarios share: settings read from the environment, the machine's description,
// table formatting and the JSON result file.

import {mkdirSync, writeFileSync} from 'node:fs';
import {availableParallelism, cpus, loadavg, totalmem} from 'node:os';
import {join} from 'node:path';
import {ROOT} from './children.js';
import type {CpuUse} from './cpu.js';
import type {LoadResult} from './load.js';

/** Connections of every autocannon run. */
export const CONNECTIONS = 25;

export function positiveNumber(name: string, fallback: number, allowZero = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
    throw new Error(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number of seconds or a count, not "${raw}"`);
  }
  return value;
}

export const DURATION_S = positiveNumber('BENCH_DURATION', 10);
export const WARMUP_S = positiveNumber('BENCH_WARMUP', 2, true);
export const timing = {warmupS: WARMUP_S, durationS: DURATION_S};

export const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);

// ---------------------------------------------------------------------------------------------
// Machine

export interface Machine {
  cpus: number;
  model: string;
  memoryGiB: number;
  node: string;
  platform: string;
  loadavgAtStart: number[];
  loadavgAtEnd: number[];
  threadpoolSize: string | null;
}

export function describeMachine(): Machine {
  return {
    cpus: availableParallelism(),
    model: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadavgAtStart: currentLoad(),
    loadavgAtEnd: [],
    threadpoolSize: process.env.UV_THREADPOOL_SIZE ?? null,
  };
}

export const currentLoad = () => loadavg().map((n) => Math.round(n * 100) / 100);

export function machineLine(machine: Machine): string {
  return (
    `Machine: ${machine.cpus} CPUs (${machine.model}), ${machine.memoryGiB} GiB, ${machine.platform}, node ${machine.node}, ` +
    `load average at start ${machine.loadavgAtStart.join(' ')}`
  );
}

// ---------------------------------------------------------------------------------------------
// Formatting

export const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-');
export const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(n < 10 ? 2 : 1) : '-');
const pct = (n: number) => (Number.isFinite(n) ? `${(n * 100).toFixed(1)} %` : '-');

export function table(headers: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const RUN_HEADERS = ['run', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'responses', 'CPU all / others', 'anomalies'];

/** The table of load runs; `extra` rows, already formatted in the same columns, follow them. */
export function runsTable(runs: readonly LoadResult[], extra: string[][] = []): string {
  const rows = runs.map((r) => [r.label, int(r.rps), ms(r.p50Ms), ms(r.p90Ms), ms(r.p99Ms), ms(r.maxMs), int(r.responses), cpuCell(r.cpu), anomalies(r)]);
  return table(RUN_HEADERS, [...rows, ...extra], [false, true, true, true, true, true, true, true, false]);
}

/** A figure against its reference, as the report's last table shows it. */
export interface Ratio {
  benchmark: string;
  measured: string;
  reference: string;
  ratio: number;
  /** Each round's ratio; empty for a figure measured once. */
  rounds: number[];
  /** In parentheses: for information, no verdict. */
  target: string;
  met: boolean;
}

export function ratiosTable(ratios: readonly Ratio[]): string {
  return table(
    ['benchmark', 'measured', 'reference', 'ratio', 'rounds', 'target', 'verdict'],
    ratios.map((r) => [
      r.benchmark,
      r.measured,
      r.reference,
      pct(r.ratio),
      r.rounds.map((x) => (x * 100).toFixed(1)).join(' '),
      r.target,
      r.target.startsWith('(') ? '' : r.met ? 'met' : 'NOT MET',
    ]),
    [false, false, false, true, false, false, false],
  );
}

/** Machine CPU during the run, in cores: everything, then what was not the benchmark's processes. */
export function cpuCell(cpu: CpuUse | undefined): string {
  if (!cpu) return '-';
  const steal = cpu.stealCores >= 0.05 ? `, steal ${cpu.stealCores.toFixed(2)}` : '';
  return `${cpu.machineCores.toFixed(2)} / ${cpu.othersCores.toFixed(2)}${steal}`;
}

export function anomalies(r: LoadResult): string {
  const parts: string[] = [];
  if (r.unexpected) {
    const others = Object.entries(r.statuses)
      .map(([code, n]) => `${n}×${code}`)
      .join(' ');
    parts.push(`${r.unexpected} unexpected (${others})`);
  }
  if (r.errors) parts.push(`${r.errors} errors`);
  if (r.timeouts) parts.push(`${r.timeouts} timeouts`);
  return parts.join(', ') || 'none';
}

/** No response other than the expected status, no error, no timeout. */
export function clean(r: LoadResult): boolean {
  return r.unexpected === 0 && r.errors === 0 && r.timeouts === 0 && r.responses > 0;
}

/** The warning printed when other processes took CPU during some runs; empty when none did. */
export function disturbance(runs: {label: string; cpu?: CpuUse}[]): string {
  const disturbed = runs
    .filter((r) => r.cpu && (r.cpu.othersCores >= 0.25 || r.cpu.stealCores >= 0.25))
    .map((r) => `${r.label} (others ${r.cpu!.othersCores.toFixed(2)}, steal ${r.cpu!.stealCores.toFixed(2)})`);
  return disturbed.length
    ? `WARNING: other work took a quarter of a core or more during: ${disturbed.join('; ')}. Those figures are worse than on an idle machine.`
    : '';
}

/** Writes bench/results/<prefix>-<start time>.json; returns its path. */
export function writeResult(prefix: string, startedAt: Date, result: unknown): string {
  const resultsDir = join(ROOT, 'bench', 'results');
  mkdirSync(resultsDir, {recursive: true});
  const file = join(resultsDir, `${prefix}-${startedAt.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}

// How busy the machine was during a run, and how much of that was not the benchmark's own
// processes: on a shared 2-core machine a build or a test run elsewhere halves the rates,
// so every run says how disturbed it was. Linux only (/proc); elsewhere nothing is reported.

import {readFileSync} from 'node:fs';

/** CPU use over a window, in cores (2 = both cores of a 2-core machine busy all along). */
export interface CpuUse {
  /** Everything that ran on the machine. */
  machineCores: number;
  /** The bench process and the processes it names (daemon, bare server...). */
  oursCores: number;
  /** The rest: other processes on the machine. */
  othersCores: number;
  /** Time the hypervisor gave to other guests (steal), in cores. */
  stealCores: number;
}

interface MachineTicks {
  busy: number;
  steal: number;
}

// /proc counts in USER_HZ, which is 100 on every Linux build node runs on.
const HZ = 100;

function machineTicks(): MachineTicks | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
    const [, user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).map(Number);
    return {busy: user! + nice! + system! + irq! + softirq!, steal: steal ?? 0};
  } catch {
    return undefined;
  }
}

/** utime + stime of a process, all its threads, in ticks; 0 when it is gone. */
function processTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/** Starts measuring; `pids` are read again at the end, so pass those that outlive the window. */
export function cpuWindow(pids: () => number[]): () => CpuUse | undefined {
  const started = performance.now();
  const machine = machineTicks();
  const ours = new Map(pids().map((pid) => [pid, processTicks(pid)]));
  return () => {
    const end = machineTicks();
    if (!machine || !end) return undefined;
    let oursTicks = 0;
    for (const [pid, before] of ours) oursTicks += Math.max(0, processTicks(pid) - before);
    const seconds = (performance.now() - started) / 1000;
    const cores = (ticks: number) => Math.round((ticks / HZ / seconds) * 100) / 100;
    const machineCores = cores(end.busy - machine.busy);
    const oursCores = cores(oursTicks);
    return {
      machineCores,
      oursCores,
      othersCores: Math.max(0, Math.round((machineCores - oursCores) * 100) / 100),
      stealCores: cores(end.steal - machine.steal),
    };
  };
}

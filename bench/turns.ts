// A figure and its reference, measured in turns. On this shared 2-core machine the speed of the
// whole machine drifts within seconds (the same bare server answered 49 000 then 30 000
// requests/s in two 3 s runs a few seconds apart), so two runs a minute apart compare the machine
// with itself as much as the daemon with its reference. Short rounds alternate the order
// (reference then measured, then measured then reference, ...) so that a drift weighs on both
// alike, and the figure kept is the median of the rounds' ratios.

import {DURATION_S, WARMUP_S, positiveNumber} from './common.js';
import type {LoadResult} from './load.js';

/** Rounds of each comparison; BENCH_ROUNDS, 5 by default. */
export const ROUNDS = Math.trunc(positiveNumber('BENCH_ROUNDS', 5));
/** Each run of a round: half the warm-up and half the measured time of a run on its own. */
export const roundTiming = {warmupS: WARMUP_S / 2, durationS: DURATION_S / 2};

export interface Turns<R, M> {
  references: R[];
  measured: M[];
  /** Each round's ratio, in round order. */
  ratios: number[];
  /** The median of `ratios`. */
  ratio: number;
}

export async function inTurns<R, M>(
  reference: (round: string) => Promise<R>,
  measured: (round: string) => Promise<M>,
  ratioOf: (reference: R, measured: M) => number,
  rounds = ROUNDS,
): Promise<Turns<R, M>> {
  const turns: Turns<R, M> = {references: [], measured: [], ratios: [], ratio: NaN};
  for (let i = 0; i < rounds; i++) {
    const round = rounds > 1 ? ` (round ${i + 1} of ${rounds})` : '';
    let r: R;
    let m: M;
    if (i % 2 === 0) {
      r = await reference(round);
      m = await measured(round);
    } else {
      m = await measured(round);
      r = await reference(round);
    }
    turns.references.push(r);
    turns.measured.push(m);
    turns.ratios.push(ratioOf(r, m));
  }
  turns.ratio = median(turns.ratios);
  return turns;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export const medianRps = (runs: readonly LoadResult[]) => median(runs.map((r) => r.rps));
export const worstP99 = (runs: readonly LoadResult[]) => Math.max(...runs.map((r) => r.p99Ms));

/** A comparison's runs in the order they ran: reference first in even rounds, measured first in odd ones. */
export function interleaved(turns: {references: LoadResult[]; measured: LoadResult[]}): LoadResult[] {
  return turns.references.flatMap((reference, i) => (i % 2 === 0 ? [reference, turns.measured[i]!] : [turns.measured[i]!, reference]));
}

// Durations as people write them: `600` or `600s`, `10m`, `2h`, `1d`, and sums such as `1h30m`.
// Every command option that takes a duration or an expiration reads it through durationFlag.

import {Flags} from '@oclif/core';
import {usageError} from './failure.js';

const UNIT_SECONDS: Readonly<Record<string, number>> = {d: 86_400, h: 3600, m: 60, s: 1};
const PART = /(\d+(?:\.\d+)?)([dhms])/gy;

/** Seconds in `text`; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const trimmed = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (!trimmed) return undefined;
  let seconds = 0;
  let end = 0;
  let previous = Infinity;
  PART.lastIndex = 0;
  for (let match = PART.exec(trimmed); match; match = PART.exec(trimmed)) {
    const unit = UNIT_SECONDS[match[2]!]!;
    // Each unit once, the larger first: `1h30m`, not `30m1h` or `1h1h`.
    if (unit >= previous) return undefined;
    previous = unit;
    seconds += Number(match[1]) * unit;
    end = PART.lastIndex;
  }
  return end === trimmed.length ? seconds : undefined;
}

/** An option taking a duration, in seconds once parsed; `min` and `max` in seconds too. */
export const durationFlag = Flags.custom<number, {min?: number; max?: number}>({
  helpValue: 'DURATION',
  parse: async (text, _context, options) => {
    const seconds = parseDuration(text);
    if (seconds === undefined) throw usageError(`not a duration: ${JSON.stringify(text)}; use seconds (600) or 10m, 2h, 1d, 1h30m`);
    if (options.min !== undefined && seconds < options.min) throw usageError(`${text} is shorter than the least allowed, ${options.min} s`);
    if (options.max !== undefined && seconds > options.max) throw usageError(`${text} is longer than the most allowed, ${options.max} s`);
    return seconds;
  },
});

// How the dashboard writes times: a countdown to an expiry, the age of a creation, both from the
// API's ISO 8601 strings and a `now` given by the caller (so that they are tested without waiting).

/**
 * Milliseconds since the epoch of an API time. The API writes UTC with an offset (`+00:00`) or,
 * for the `utc_*` fields of tokens, UTC without one; JavaScript would read the latter as local time.
 */
export function parseApiTime(text: string): number {
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/.test(text);
  return Date.parse(hasZone ? text : `${text}Z`);
}

/** `2h 05m`, `4m 09s`, `12s`; `expired` once the moment is past. */
export function countdown(untilMs: number, nowMs: number): string {
  const seconds = Math.floor((untilMs - nowMs) / 1000);
  if (seconds <= 0) return 'expired';
  return span(seconds);
}

/** `12s ago`, `4m 09s ago`, `3d 02h ago`; `now` for a moment not yet past (clocks differ a little). */
export function age(sinceMs: number, nowMs: number): string {
  const seconds = Math.floor((nowMs - sinceMs) / 1000);
  if (seconds <= 0) return 'now';
  return `${span(seconds)} ago`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** The two largest units of a duration: precise enough to read, short enough for a column. */
function span(seconds: number): string {
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (days > 0) return `${days}d ${two(hours)}h`;
  if (hours > 0) return `${hours}h ${two(minutes)}m`;
  if (minutes > 0) return `${minutes}m ${two(rest)}s`;
  return `${rest}s`;
}

// Upstream's time fields: ISO 8601 without offset, local time for `*_at`, UTC for `utc_*_at`.

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function parts(date: Date, utc: boolean): string {
  return utc
    ? `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
    : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Local time; the fraction is left out when it is zero, as Python's isoformat does. */
export function localIso(micros: number): string {
  const seconds = Math.floor(micros / 1e6);
  const fraction = micros - seconds * 1e6;
  const base = parts(new Date(seconds * 1000), false);
  return fraction ? `${base}.${pad(fraction, 6)}` : base;
}

/** UTC, always with six fractional digits. */
export function utcIso(micros: number): string {
  const seconds = Math.floor(micros / 1e6);
  return `${parts(new Date(seconds * 1000), true)}.${pad(micros - seconds * 1e6, 6)}`;
}

/** Whole seconds in UTC with the offset, as upstream serialises its time-zone-aware columns (refresh tokens' created_at). */
export function utcIsoWithOffset(seconds: number): string {
  return `${parts(new Date(Math.floor(seconds) * 1000), true)}+00:00`;
}

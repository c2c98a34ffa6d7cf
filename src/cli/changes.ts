// `... update` commands change only the fields given. The API's PUT replaces every field, so the
// object is read first and the flags are laid over it; an empty value clears a text field.

import {usageError} from './failure.js';

/** A text field's new value: absent keeps `current`, an empty string clears it. */
export function textChange(value: string | undefined, current: string | null): string | null {
  if (value === undefined) return current;
  return value === '' ? null : value;
}

/** Whether a flag was given: a boolean flag left out reads false. */
export const given = (value: unknown) => value !== undefined && value !== false;

/** A usage error when none of `names` was given: a PUT of the same fields would change nothing. */
export function requireChange(flags: Record<string, unknown>, names: string[]): void {
  if (!names.some((name) => given(flags[name]))) throw usageError(`nothing to change: give ${names.map((name) => `--${name}`).join(', ')}`);
}

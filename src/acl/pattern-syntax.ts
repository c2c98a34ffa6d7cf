// The one rule of what an ACL pattern or required access looks like, which the CLI and the
// dashboard check before the daemon sees it: the daemon stores any string (as upstream), and a
// pattern that can never match is a silent mistake.

/**
 * Why `text` is not a usable ACL pattern, or null when it is. A pattern is dot-separated segments,
 * each non-empty, of printable characters without spaces; `!` may only open it (a negative pattern).
 *
 * @example
 * accessProblem('confd.users.*.read') === null
 * accessProblem('confd..read') === 'empty segment between two dots'
 */
export function accessProblem(text: string, {allowNegative = true} = {}): string | null {
  if (text === '') return 'empty';
  const body = text.startsWith('!') ? text.slice(1) : text;
  if (body !== text && !allowNegative) return 'a required access cannot be negative (no "!")';
  if (body === '') return 'nothing after "!"';
  if (/\s/.test(body)) return 'no spaces';
  if (/[\u0000-\u001f\u007f]/.test(body)) return 'no control characters';
  if (body.includes('!')) return '"!" only at the start';
  if (body.startsWith('.')) return 'starts with a dot';
  if (body.endsWith('.')) return 'ends with a dot';
  if (body.includes('..')) return 'empty segment between two dots';
  return null;
}

// "Did you mean": the known word nearest to a mistyped one (a command, a flag), when one is near
// enough to be what was meant.

import {editDistance} from '../edit-distance.js';

/** The candidate nearest to `word`, if within a third of its length (at least 1, at most 3 edits); a prefix of one candidate counts too. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: {candidate: string; distance: number} | undefined;
  for (const candidate of candidates) {
    const distance = candidate.startsWith(word) && word.length >= 3 ? 1 : editDistance(word, candidate);
    if (distance <= limit && (!best || distance < best.distance)) best = {candidate, distance};
  }
  return best?.candidate;
}

/**
 * Whether the command line asks for JSON before anything is parsed (a parse error, an unknown
 * command): `--json`, `--format json`, `--format=json`, or WAZO_AUTH_FORMAT=json.
 */
export function jsonRequested(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  const end = argv.indexOf('--');
  const options = end >= 0 ? argv.slice(0, end) : argv;
  let format = env.WAZO_AUTH_FORMAT;
  for (const [i, arg] of options.entries()) {
    if (arg === '--json') return true;
    if (arg === '--format') format = options[i + 1];
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
  }
  return format === 'json';
}

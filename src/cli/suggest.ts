// "Did you mean": the known word nearest to a mistyped one (a command, a flag), when one is near
// enough to be what was meant.

/** Edits (insertion, deletion, substitution, swap of neighbours) between two words. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({length: a.length + 1}, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j += 1) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = best;
    }
  }
  return rows[a.length]![b.length]!;
}

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

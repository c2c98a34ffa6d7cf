// Counts of items per name (sessions per user, per tenant), most first.

export interface Count {
  name: string;
  count: number;
}

/** Groups by `nameOf`, largest groups first, ties in name order. */
export function countBy<T>(items: readonly T[], nameOf: (item: T) => string): Count[] {
  const counts = new Map<string, number>();
  for (const item of items) {
    const name = nameOf(item);
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].map(([name, count]) => ({name, count})).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}

/** `alice 3 · bob 2 · +4 more`, cut to fit `width` characters. */
export function countsLine(counts: readonly Count[], width: number): string {
  let line = '';
  for (let i = 0; i < counts.length; i++) {
    const {name, count} = counts[i]!;
    const part = `${line ? ' · ' : ''}${name} ${count}`;
    const more = i + 1 < counts.length ? ` · +${counts.length - i - 1} more` : '';
    if ((line + part + more).length > width) {
      return line ? `${line} · +${counts.length - i} more` : `+${counts.length} more`;
    }
    line += part;
  }
  return line;
}

// A unified diff of two short texts (a policy before and after an edit), line by line, in the
// form `diff -u` and git print, so that the eye and the tools already know it.

const CONTEXT = 3;

/** One line of the script; `a` and `b`: how many lines of each text come before it. */
type Line = {kind: ' ' | '-' | '+'; text: string; a: number; b: number};

/**
 * The unified diff of `before` and `after`, with `labels` on its `---`/`+++` lines; empty when
 * the texts are the same.
 * @example unifiedDiff('a\nb\n', 'a\nc\n', ['old', 'new']) // '--- old\n+++ new\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n'
 */
export function unifiedDiff(before: string, after: string, labels: [string, string]): string {
  const lines = editScript(split(before), split(after));
  const changes = lines.flatMap((line, index) => (line.kind === ' ' ? [] : [index]));
  if (changes.length === 0) return '';
  let text = `--- ${labels[0]}\n+++ ${labels[1]}\n`;
  for (const [start, end] of hunks(changes, lines.length)) {
    const hunk = lines.slice(start, end);
    const first = hunk[0]!;
    text += `@@ -${range(first.a, hunk.filter((line) => line.kind !== '+').length)} +${range(first.b, hunk.filter((line) => line.kind !== '-').length)} @@\n`;
    text += hunk.map((line) => `${line.kind}${line.text}\n`).join('');
  }
  return text;
}

function split(text: string): string[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The lines of both texts in order, each kept, removed or added: a longest common subsequence. */
function editScript(a: string[], b: string[]): Line[] {
  // common[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const common = Array.from({length: a.length + 1}, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i]![j] = a[i] === b[j] ? common[i + 1]![j + 1]! + 1 : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
    }
  }
  const lines: Line[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) lines.push({kind: ' ', text: a[i++]!, a: i - 1, b: j++});
    // Removals before additions, as diff -u.
    else if (i < a.length && (j === b.length || common[i + 1]![j]! >= common[i]![j + 1]!)) lines.push({kind: '-', text: a[i++]!, a: i - 1, b: j});
    else lines.push({kind: '+', text: b[j++]!, a: i, b: j - 1});
  }
  return lines;
}

/** [start, end) of each hunk: the changed lines with their context, overlapping ones merged. */
function hunks(changes: number[], length: number): [number, number][] {
  const merged: [number, number][] = [];
  for (const index of changes) {
    const start = Math.max(0, index - CONTEXT);
    const end = Math.min(length, index + CONTEXT + 1);
    const last = merged.at(-1);
    if (last && start <= last[1]) last[1] = end;
    else merged.push([start, end]);
  }
  return merged;
}

/** `start,count` of one side of a hunk that comes after `before` lines; an empty side names the line before it, as diff -u. */
function range(before: number, count: number): string {
  const start = count === 0 ? before : before + 1;
  return count === 1 ? `${start}` : `${start},${count}`;
}

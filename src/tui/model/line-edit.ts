// The line typed at the prompt and its cursor, as readline edits them: ←/→ and Home/End move,
// text goes in at the cursor, ctrl-w and alt-backspace delete a word before it.

export interface Line {
  value: string;
  /** Where the next character goes: 0 to value.length. */
  cursor: number;
}

export const lineOf = (value: string): Line => ({value, cursor: value.length});

export const insert = ({value, cursor}: Line, text: string): Line => ({
  value: value.slice(0, cursor) + text + value.slice(cursor),
  cursor: cursor + text.length,
});

export const left = (line: Line): Line => ({...line, cursor: Math.max(0, line.cursor - 1)});
export const right = (line: Line): Line => ({...line, cursor: Math.min(line.value.length, line.cursor + 1)});
export const home = (line: Line): Line => ({...line, cursor: 0});
export const end = (line: Line): Line => ({...line, cursor: line.value.length});

/** The character before the cursor removed (backspace). */
export const erase = (line: Line): Line => (line.cursor === 0 ? line : deleteTo(line, line.cursor - 1));

/** Everything before the cursor removed (ctrl-u). */
export const eraseToStart = (line: Line): Line => deleteTo(line, 0);

/** Everything after the cursor removed (ctrl-k). */
export const eraseToEnd = ({value, cursor}: Line): Line => ({value: value.slice(0, cursor), cursor});

/** Back to the previous space (ctrl-w, as readline's unix-word-rubout): `policy apply x|` → `policy apply |`. */
export const eraseSpacedWord = (line: Line): Line => deleteTo(line, wordStart(line, /\s/));

/** Back to the previous punctuation (alt-backspace): `auth.users.read|` → `auth.users.|`. */
export const eraseWord = (line: Line): Line => deleteTo(line, wordStart(line, /[^\p{L}\p{N}_]/u));

/** To the start of the word before the cursor (alt-b, ctrl-←). */
export const wordLeft = (line: Line): Line => ({...line, cursor: wordStart(line, /[^\p{L}\p{N}_]/u)});

/** To the end of the word after the cursor (alt-f, ctrl-→). */
export function wordRight({value, cursor}: Line): Line {
  let i = cursor;
  while (i < value.length && /[^\p{L}\p{N}_]/u.test(value[i]!)) i++;
  while (i < value.length && !/[^\p{L}\p{N}_]/u.test(value[i]!)) i++;
  return {value, cursor: i};
}

/** Where the word before the cursor starts: separators just before the cursor are skipped first. */
function wordStart({value, cursor}: Line, separator: RegExp): number {
  let i = cursor;
  while (i > 0 && separator.test(value[i - 1]!)) i--;
  while (i > 0 && !separator.test(value[i - 1]!)) i--;
  return i;
}

function deleteTo({value, cursor}: Line, start: number): Line {
  return {value: value.slice(0, start) + value.slice(cursor), cursor: start};
}

// What one read of the terminal holds, as keys. Ink hands over a run of characters without an
// escape sequence as one input (`jjj`, `ab\r`, a paste): this splits it into the keys it is made of.

import type {Key} from 'ink';

export interface KeyPress {
  input: string;
  key: Key;
}

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/** True for text that can be typed (no control character). */
export const isText = (input: string): boolean => input.length > 0 && !/[\x00-\x1f\x7f]/.test(input);

/**
 * The keys of a run of characters, as Ink would have given them one at a time: printable text
 * stays together (a prompt takes a paste at once), each control character is a key of its own.
 *
 * @example
 * splitRun('ab\rsss') // [{input: 'ab'}, {input: '', key.return}, {input: 'sss'}]
 */
export function splitRun(run: string): KeyPress[] {
  const keys: KeyPress[] = [];
  let text = '';
  const flush = () => {
    if (text) keys.push(textKey(text));
    text = '';
  };
  for (const char of run) {
    if (isText(char)) {
      text += char;
      continue;
    }
    flush();
    const control = controlKey(char);
    if (control) keys.push(control);
  }
  flush();
  return keys;
}

/** One character of a text run, with the shift Ink marks on capitals. */
export function textKey(text: string): KeyPress {
  return {input: text, key: {...NO_KEY, shift: text.length === 1 && /[A-Z]/.test(text)}};
}

/** Ink's reading of a control character (backspace, the DEL of most terminals, is its `delete`). */
function controlKey(char: string): KeyPress | undefined {
  if (char === '\r' || char === '\n') return {input: '', key: {...NO_KEY, return: true}};
  if (char === '\t') return {input: '', key: {...NO_KEY, tab: true}};
  if (char === '\x7f') return {input: '', key: {...NO_KEY, delete: true}};
  if (char === '\b') return {input: '', key: {...NO_KEY, backspace: true}};
  const code = char.charCodeAt(0);
  if (code >= 1 && code <= 26) return {input: String.fromCharCode(code + 96), key: {...NO_KEY, ctrl: true}};
  return undefined;
}

// The prompt line: one text input or one y/N question at a time, taking every key while open.
// What is open lives in a ref, changed at once: keys typed right after the one that opened the
// prompt (a paste, a fast typist) reach it even before the screen shows it.

import {useMemo, useReducer, useRef} from 'react';
import type {Key} from 'ink';
import type {Prompts, TextPrompt} from '../context.js';
import {isText} from '../model/key-chunks.js';
import * as edit from '../model/line-edit.js';
import type {Line} from '../model/line-edit.js';
import {Layer, useKeys} from './use-keys.js';

export type PromptState = {kind: 'text'; prompt: TextPrompt; line: Line; problem: string | null} | {kind: 'confirm'; question: string};

type Open = {kind: 'text'; prompt: TextPrompt; line: Line} | {kind: 'confirm'; question: string; onYes: () => void};

/** The line after a key, or undefined when the key does not edit (readline's bindings). */
function edited(line: Line, input: string, key: Key): Line | undefined {
  const word = key.ctrl || key.meta;
  if (key.leftArrow) return word ? edit.wordLeft(line) : edit.left(line);
  if (key.rightArrow) return word ? edit.wordRight(line) : edit.right(line);
  if (key.home || (key.ctrl && input === 'a')) return edit.home(line);
  if (key.end || (key.ctrl && input === 'e')) return edit.end(line);
  // Most terminals send DEL for backspace, which Ink calls delete; alt-backspace is ESC DEL.
  if (key.backspace || key.delete) return key.meta ? edit.eraseWord(line) : edit.erase(line);
  if (key.ctrl && input === 'w') return edit.eraseSpacedWord(line);
  if (key.ctrl && input === 'u') return edit.eraseToStart(line);
  if (key.ctrl && input === 'k') return edit.eraseToEnd(line);
  if (key.meta && input === 'b') return edit.wordLeft(line);
  if (key.meta && input === 'f') return edit.wordRight(line);
  if (!key.ctrl && !key.meta && isText(input)) return edit.insert(line, input);
  return undefined;
}

export function usePrompt(onCancelled: () => void): {state: PromptState | undefined; prompts: Prompts} {
  const open = useRef<Open | undefined>(undefined);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const set = (next: Open | undefined) => {
    open.current = next;
    redraw();
  };

  const prompts = useMemo<Prompts>(
    () => ({
      ask: (prompt) => set({kind: 'text', prompt, line: edit.lineOf(prompt.initial ?? '')}),
      confirm: (question, onYes) => set({kind: 'confirm', question, onYes}),
    }),
    [],
  );

  useKeys(Layer.prompt, (input: string, key: Key) => {
    const current = open.current;
    if (!current) return false;
    if (current.kind === 'confirm') {
      set(undefined);
      if (input === 'y' || input === 'Y') current.onYes();
      else onCancelled();
      return true;
    }
    const {prompt, line} = current;
    if (key.escape) {
      set(undefined);
      prompt.onCancel?.();
    } else if (key.return) {
      if (prompt.problem?.(line.value)) return true;
      set(undefined);
      prompt.onSubmit(line.value);
    } else {
      const next = edited(line, input, key);
      if (next && next !== line) {
        set({kind: 'text', prompt, line: next});
        if (next.value !== line.value) prompt.onChange?.(next.value);
      }
    }
    return true;
  });

  const current = open.current;
  const state: PromptState | undefined =
    current?.kind === 'confirm'
      ? {kind: 'confirm', question: current.question}
      : current
        ? {kind: 'text', prompt: current.prompt, line: current.line, problem: current.prompt.problem?.(current.line.value) ?? null}
        : undefined;
  return {state, prompts};
}

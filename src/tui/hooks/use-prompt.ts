// The prompt line: one text input or one y/N question at a time, taking every key while open.
// What is open lives in a ref, changed at once: keys typed right after the one that opened the
// prompt (a paste, a fast typist) reach it even before the screen shows it.

import {useMemo, useReducer, useRef} from 'react';
import type {Key} from 'ink';
import type {Prompts, TextPrompt} from '../context.js';
import {Layer, useKeys} from './use-keys.js';

export type PromptState = {kind: 'text'; prompt: TextPrompt; value: string; problem: string | null} | {kind: 'confirm'; question: string};

type Open = {kind: 'text'; prompt: TextPrompt; value: string} | {kind: 'confirm'; question: string; onYes: () => void};

export function usePrompt(onCancelled: () => void): {state: PromptState | undefined; prompts: Prompts} {
  const open = useRef<Open | undefined>(undefined);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const set = (next: Open | undefined) => {
    open.current = next;
    redraw();
  };

  const prompts = useMemo<Prompts>(
    () => ({
      ask: (prompt) => set({kind: 'text', prompt, value: prompt.initial ?? ''}),
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
    const {prompt, value} = current;
    const edit = (next: string) => {
      set({kind: 'text', prompt, value: next});
      prompt.onChange?.(next);
    };
    const submit = (text: string) => {
      if (prompt.problem?.(text)) return;
      set(undefined);
      prompt.onSubmit(text);
    };
    if (key.escape) {
      set(undefined);
      prompt.onCancel?.();
    } else if (key.return) submit(value);
    else if (key.backspace || key.delete) edit(value.slice(0, -1));
    else if (key.ctrl && input === 'u') edit('');
    else if (input && !key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow) {
      // Keys that come together (a paste, a script) arrive as one text: read its erasures and its enter.
      let next = value;
      for (const char of input) {
        if (char === '\r' || char === '\n') {
          edit(next);
          submit(next);
          return true;
        }
        if (char === '\x7f' || char === '\b') next = next.slice(0, -1);
        else if (char >= ' ') next += char;
      }
      edit(next);
    }
    return true;
  });

  const current = open.current;
  const state: PromptState | undefined =
    current?.kind === 'confirm'
      ? {kind: 'confirm', question: current.question}
      : current
        ? {kind: 'text', prompt: current.prompt, value: current.value, problem: current.prompt.problem?.(current.value) ?? null}
        : undefined;
  return {state, prompts};
}

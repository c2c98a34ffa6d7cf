// One keyboard, several listeners: a prompt takes every key while it is open, a view takes its
// own keys, and the dashboard's global keys get what is left. Ink calls every useInput hook for
// every key, so the dashboard has a single useInput that hands each key down these layers.

import {createContext, createElement, useContext, useLayoutEffect, useRef, type ReactNode} from 'react';
import {useInput, useStdin, type Key} from 'ink';

/** Returns true when it used the key, which then goes no further. */
export type KeyHandler = (input: string, key: Key) => boolean;

/** Layers, highest first: a prompt, a detail view over its list, a view, the global keys. */
export const Layer = {global: 0, view: 1, detail: 2, prompt: 3} as const;

interface Entry {
  layer: number;
  handler: {current: KeyHandler};
}

class KeyRouter {
  private entries: Entry[] = [];

  add(entry: Entry): () => void {
    this.entries.push(entry);
    return () => {
      this.entries = this.entries.filter((e) => e !== entry);
    };
  }

  /** The highest layer first; among equals, the latest added. */
  dispatch = (input: string, key: Key): void => {
    const ordered = this.entries.map((entry, index) => ({entry, index})).sort((a, b) => b.entry.layer - a.entry.layer || b.index - a.index);
    for (const {entry} of ordered) if (entry.handler.current(input, key)) return;
  };
}

const RouterContext = createContext<KeyRouter | null>(null);

/** Wraps the dashboard: the one place keys are read (only where the terminal has a raw mode). */
export function KeyboardProvider({children}: {children: ReactNode}) {
  const router = useRef(new KeyRouter()).current;
  const {isRawModeSupported} = useStdin();
  useInput(router.dispatch, {isActive: isRawModeSupported});
  return createElement(RouterContext.Provider, {value: router}, children);
}

/**
 * Listens on `layer` while `active`; the handler may change at every render. Registered as the
 * screen is drawn (a layout effect), so that a key pressed as soon as a view shows reaches it.
 */
export function useKeys(layer: number, handler: KeyHandler, active = true): void {
  const router = useContext(RouterContext);
  if (!router) throw new Error('useKeys outside KeyboardProvider');
  const current = useRef(handler);
  current.current = handler;
  useLayoutEffect(() => (active ? router.add({layer, handler: current}) : undefined), [router, layer, active]);
}

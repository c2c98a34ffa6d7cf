// One keyboard, several listeners: a prompt takes every key while it is open, a view takes its
// own keys, and the dashboard's global keys get what is left. Ink calls every useInput hook for
// every key, so the dashboard has a single useInput that hands each key down these layers.
//
// Keys that arrive in one read (`jjj`, three ↓, a paste) are handled one after the other, each
// once React has drawn what the one before did: handlers read the state it left. React draws
// later, not as a key is handled, so the router asks for a draw of its own after each key and
// sends the next one when that draw is done.

import {createContext, createElement, useContext, useEffect, useLayoutEffect, useReducer, useRef, type ReactNode} from 'react';
import {useInput, useStdin, type Key} from 'ink';
import {isText, splitRun, textKey, type KeyPress} from '../model/key-chunks.js';

/**
 * Returns true when it used the key, which then goes no further. Typed text that came in one
 * read (a paste) is offered whole first, as an `input` of several characters: a handler that
 * does not take it (returns false) gets each character in turn.
 */
export type KeyHandler = (input: string, key: Key) => boolean;

/** Layers, highest first: a prompt, a detail view over its list, a view, the global keys. */
export const Layer = {global: 0, view: 1, detail: 2, prompt: 3} as const;

interface Entry {
  layer: number;
  handler: {current: KeyHandler};
}

class KeyRouter {
  private entries: Entry[] = [];
  private queue: KeyPress[] = [];
  /** A key was handled and its draw is awaited, or the next key is on its way: keys received meanwhile wait. */
  private busy = false;
  private pending: NodeJS.Immediate | undefined;
  /** Asks React for a draw (of the KeyboardProvider): it comes with what the handled key changed. */
  redraw: () => void = () => undefined;

  add(entry: Entry): () => void {
    this.entries.push(entry);
    return () => {
      this.entries = this.entries.filter((e) => e !== entry);
    };
  }

  /** What Ink read: a run of characters is split into its keys; they queue behind any not handled yet. */
  receive = (input: string, key: Key): void => {
    this.queue.push(...(input.length > 1 ? splitRun(input) : [{input, key}]));
    if (!this.busy) this.next();
  };

  /** The KeyboardProvider was drawn: the key before is on screen, and the handlers know its state. */
  drawn(): void {
    if (!this.busy || this.pending) return;
    this.pending = setImmediate(this.next);
  }

  /**
   * The queue's first key, and a draw to wait for before the next: Ink hands over the keys of
   * one read in a loop, the next one arriving before anything is drawn.
   */
  private next = (): void => {
    this.pending = undefined;
    const press = this.queue.shift();
    this.busy = press !== undefined;
    if (!press) return;
    this.redraw();
    if (press.input.length > 1 && isText(press.input)) {
      if (!this.dispatch(press.input, press.key)) {
        const [first, ...rest] = press.input;
        if (rest.length) this.queue.unshift(textKey(rest.join('')));
        this.dispatch(first!, textKey(first!).key);
      }
    } else this.dispatch(press.input, press.key);
  };

  stop(): void {
    clearImmediate(this.pending);
    this.queue = [];
    this.busy = false;
  }

  /** The highest layer first; among equals, the latest added. */
  private dispatch(input: string, key: Key): boolean {
    const ordered = this.entries.map((entry, index) => ({entry, index})).sort((a, b) => b.entry.layer - a.entry.layer || b.index - a.index);
    return ordered.some(({entry}) => entry.handler.current(input, key));
  }
}

const RouterContext = createContext<KeyRouter | null>(null);

/** Wraps the dashboard: the one place keys are read (only where the terminal has a raw mode). */
export function KeyboardProvider({children}: {children: ReactNode}) {
  const router = useRef(new KeyRouter()).current;
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  router.redraw = redraw;
  const {isRawModeSupported} = useStdin();
  useInput(router.receive, {isActive: isRawModeSupported});
  // After every draw of the provider: the children drawn with it have run their layout effects.
  useLayoutEffect(() => router.drawn());
  useEffect(() => () => router.stop(), [router]);
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

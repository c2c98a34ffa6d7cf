// Renders the dashboard with ink-testing-library against a real daemon: keys go to stdin, and
// tests wait for the frame to show what they expect (a condition, never a duration).

import {createElement} from 'react';
import {render} from 'ink-testing-library';
import {AuthClient, type Token} from '../../src/client/index.js';
import {Connection, type ConnectionOptions} from '../../src/tui/connection.js';
import type {PolicyEditor, SessionEvents} from '../../src/tui/context.js';
import {Dashboard} from '../../src/tui/dashboard.js';
import type {TestDaemon} from '../helpers/daemon.js';
import {MemoryAgent} from '../helpers/memory-http.js';

/** A client of the dashboard's, reaching a daemon of this process in memory (memory-http.ts). */
export function testClient(url: string, userAgent?: string): AuthClient {
  return new AuthClient({url, userAgent, agent: new MemoryAgent()});
}

export const KEY = {
  enter: '\r',
  escape: '\x1b',
  up: '\x1b[A',
  down: '\x1b[B',
  left: '\x1b[D',
  right: '\x1b[C',
  home: '\x1b[H',
  end: '\x1b[F',
  backspace: '\x7f',
  altBackspace: '\x1b\x7f',
  ctrlW: '\x17',
} as const;

export interface Screen {
  connection: Connection;
  frame(): string;
  /** Every frame drawn so far, the first one first. */
  frames(): string[];
  /**
   * Writes each key, in turn, to the dashboard's stdin. After an escape, wait for what it does
   * before the next key: read together, escape and a key are one alt-key.
   */
  press(...keys: string[]): Promise<void>;
  /** Writes `chunk` to stdin at once, as one read of the terminal (a fast typist, a paste, a key repeating); wait for what it does with waitFor. */
  write(chunk: string): void;
  /** Resolves with the frame once it satisfies `expected` (text it contains, or a test); fails after 15 s with the frame. */
  waitFor(expected: string | RegExp | ((frame: string) => boolean)): Promise<string>;
  /** The frame's line that contains `text`. */
  line(text: string): string;
  close(): Promise<void>;
}

export async function openDashboard(
  td: TestDaemon,
  options: {
    username?: string;
    password?: string;
    readOnly?: boolean;
    url?: string;
    refreshMs?: number;
    sessionEvents?: SessionEvents;
    editPolicy?: PolicyEditor;
    switchProfile?: (name: string) => Promise<Connection>;
    /** Over the renewal by password, and its timing. */
    renew?: () => Promise<Token>;
    renewAt?: ConnectionOptions['renewAt'];
    renewRetryMs?: ConnectionOptions['renewRetryMs'];
  } = {},
): Promise<Screen> {
  const url = options.url ?? td.url;
  const client = testClient(url, 'dashboard-test');
  const homeClient = testClient(url);
  const credentials = {username: options.username ?? td.admin.username, password: options.password ?? td.admin.password};
  const token = await client.tokens.create(credentials, {expiration: 3600});
  client.token = token.token;
  const renew = async () => {
    const next = await client.tokens.create(credentials, {expiration: 3600});
    client.token = next.token;
    return next;
  };
  const connection = new Connection({
    client,
    homeClient,
    token,
    renew: options.renew ?? renew,
    renewAt: options.renewAt,
    renewRetryMs: options.renewRetryMs,
  });
  const ui = render(
    createElement(Dashboard, {
      connection,
      refreshMs: options.refreshMs ?? 100,
      readOnly: options.readOnly ?? false,
      sessionEvents: options.sessionEvents,
      editPolicy: options.editPolicy,
      switchProfile: options.switchProfile,
    }),
  );
  const frame = () => ui.lastFrame() ?? '';
  // Each frame Ink writes wakes the waits below: they check their condition on every frame, not on a timer.
  const waiters = new Set<() => void>();
  const write = ui.stdout.write;
  (ui.stdout as {write: (frame: string) => void}).write = (written: string) => {
    write(written);
    for (const wake of waiters) wake();
  };
  /** Resolves once `done()` holds, checked now and on each new frame; fails after 15 s with `why()`: a bound for a broken test, never a pace. */
  const until = (done: () => boolean, why: () => string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!done()) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(why()));
      }, 15_000);
      waiters.add(check);
      check();
    });
  const screen: Screen = {
    connection,
    frame,
    frames: () => [...ui.frames],
    async press(...keys) {
      for (const key of keys) {
        const rendered = ui.frames.length;
        ui.stdin.write(key);
        // Ink handles the key as it is written; the next key waits for the next frame, whose render
        // holds the state the key left (a handler reading stale state would act on the old one).
        await until(
          () => ui.frames.length > rendered,
          () => `no frame after the key ${JSON.stringify(key)}; the last one:\n${frame()}`,
        );
      }
    },
    write(chunk) {
      ui.stdin.write(chunk);
    },
    async waitFor(expected) {
      const test =
        typeof expected === 'function' ? expected : typeof expected === 'string' ? (f: string) => f.includes(expected) : (f: string) => expected.test(f);
      await until(
        () => test(frame()),
        () => `the dashboard never showed ${String(expected)}; it shows:\n${frame()}`,
      );
      return frame();
    },
    line(text) {
      return (
        frame()
          .split('\n')
          .find((l) => l.includes(text)) ?? ''
      );
    },
    async close() {
      ui.unmount();
      connection.close();
      await client.tokens.revoke(client.token!).catch(() => undefined);
      await Promise.all([client.close(), homeClient.close()]);
    },
  };
  await screen.waitFor((f) => !f.includes('loading…'));
  return screen;
}

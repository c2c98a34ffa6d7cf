// Renders the dashboard with ink-testing-library against a real daemon: keys go to stdin, and
// tests wait for the frame to show what they expect (a condition, never a duration).

import {createElement} from 'react';
import {render} from 'ink-testing-library';
import {AuthClient} from '../../src/client/index.js';
import {Connection} from '../../src/tui/connection.js';
import type {SessionEvents} from '../../src/tui/context.js';
import {Dashboard} from '../../src/tui/dashboard.js';
import type {TestDaemon} from '../helpers/daemon.js';

export const KEY = {enter: '\r', escape: '\x1b', up: '\x1b[A', down: '\x1b[B', backspace: '\x7f'} as const;

export interface Screen {
  connection: Connection;
  frame(): string;
  /**
   * Writes each key, in turn, to the dashboard's stdin. After an escape, wait for what it does
   * before the next key: read together, escape and a key are one alt-key.
   */
  press(...keys: string[]): Promise<void>;
  /** Resolves with the frame once it satisfies `expected` (text it contains, or a test); fails after 15 s with the frame. */
  waitFor(expected: string | RegExp | ((frame: string) => boolean)): Promise<string>;
  /** The frame's line that contains `text`. */
  line(text: string): string;
  close(): Promise<void>;
}

export async function openDashboard(
  td: TestDaemon,
  options: {username?: string; password?: string; readOnly?: boolean; url?: string; refreshMs?: number; sessionEvents?: SessionEvents} = {},
): Promise<Screen> {
  const url = options.url ?? td.url;
  const client = new AuthClient({url, userAgent: 'dashboard-test'});
  const homeClient = new AuthClient({url});
  const credentials = {username: options.username ?? td.admin.username, password: options.password ?? td.admin.password};
  const token = await client.tokens.create(credentials, {expiration: 3600});
  client.token = token.token;
  const renew = async () => {
    const next = await client.tokens.create(credentials, {expiration: 3600});
    client.token = next.token;
    return next;
  };
  const connection = new Connection({client, homeClient, token, renew});
  const ui = render(
    createElement(Dashboard, {connection, refreshMs: options.refreshMs ?? 100, readOnly: options.readOnly ?? false, sessionEvents: options.sessionEvents}),
  );
  const frame = () => ui.lastFrame() ?? '';
  const screen: Screen = {
    connection,
    frame,
    async press(...keys) {
      for (const key of keys) {
        ui.stdin.write(key);
        // Let React handle the key before the next one, as a person typing would.
        await new Promise((resolve) => setTimeout(resolve, 30));
      }
    },
    async waitFor(expected) {
      const test =
        typeof expected === 'function' ? expected : typeof expected === 'string' ? (f: string) => f.includes(expected) : (f: string) => expected.test(f);
      const deadline = Date.now() + 15_000;
      while (!test(frame())) {
        if (Date.now() > deadline) throw new Error(`the dashboard never showed ${String(expected)}; it shows:\n${frame()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return frame();
    },
    line(text) {
      return frame().split('\n').find((l) => l.includes(text)) ?? '';
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

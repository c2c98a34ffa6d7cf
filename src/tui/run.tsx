// Runs the dashboard on the terminal's alternate screen (the shell's screen comes back intact),
// until the operator quits or the terminal goes away.

import type {SessionEvents} from './context.js';
import {render} from 'ink';
import {Connection, type ConnectionOptions} from './connection.js';
import {Dashboard} from './dashboard.js';
import {ENTER, LEAVE, TerminalScreen} from './terminal-screen.js';

export async function runDashboard(options: ConnectionOptions & {refreshMs: number; readOnly: boolean; sessionEvents?: SessionEvents}): Promise<void> {
  const connection = new Connection(options);
  const screen = new TerminalScreen(process.stdout);
  process.stdout.write(ENTER);
  // A closed terminal or a kill still ends the dashboard the normal way: its token is revoked.
  const signals = ['SIGHUP', 'SIGTERM'] as const;
  let instance: ReturnType<typeof render> | undefined;
  const stop = () => instance?.unmount();
  for (const signal of signals) process.once(signal, stop);
  // Once the terminal is gone, writing to it fails: the dashboard still has its token to revoke.
  const ignore = () => undefined;
  process.stdout.on('error', ignore);
  try {
    // debug: Ink hands over whole frames and TerminalScreen redraws the lines that changed.
    instance = render(<Dashboard connection={connection} refreshMs={options.refreshMs} readOnly={options.readOnly} sessionEvents={options.sessionEvents} />, {
      stdout: screen as unknown as NodeJS.WriteStream,
      debug: true,
      patchConsole: false,
    });
    await instance.waitUntilExit();
  } finally {
    for (const signal of signals) process.off(signal, stop);
    process.stdout.off('error', ignore);
    connection.close();
    screen.close();
    process.stdout.write(LEAVE);
  }
}

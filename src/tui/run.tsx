// Runs the dashboard on the terminal's alternate screen (the shell's screen comes back intact),
// until the operator quits or the terminal goes away.

import type {PolicyEditor, SessionEvents} from './context.js';
import {render} from 'ink';
import {Connection, type ConnectionOptions} from './connection.js';
import {Dashboard} from './dashboard.js';
import {ENTER, LEAVE, TerminalScreen} from './terminal-screen.js';

export interface RunOptions extends ConnectionOptions {
  refreshMs: number;
  readOnly: boolean;
  sessionEvents?: SessionEvents;
  /** Runs the operator's editor on a policy; the dashboard hands the terminal over to it meanwhile. */
  editPolicy?: PolicyEditor;
  /** What connects with another profile (`:profile NAME`); the caller revokes the tokens it gave. */
  switchProfile?: (name: string) => Promise<ConnectionOptions>;
}

export async function runDashboard(options: RunOptions): Promise<void> {
  let connection = new Connection(options);
  const {switchProfile} = options;
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
  const {editPolicy} = options;
  try {
    // debug: Ink hands over whole frames and TerminalScreen redraws the lines that changed.
    instance = render(
      <Dashboard
        connection={connection}
        refreshMs={options.refreshMs}
        readOnly={options.readOnly}
        sessionEvents={options.sessionEvents}
        editPolicy={editPolicy && ((client, uuid) => handOver(screen, () => editPolicy(client, uuid)))}
        switchProfile={
          switchProfile &&
          (async (name) => {
            const next = new Connection(await switchProfile(name));
            connection.close();
            connection = next;
            return next;
          })
        }
      />,
      {stdout: screen as unknown as NodeJS.WriteStream, debug: true, patchConsole: false},
    );
    await instance.waitUntilExit();
  } finally {
    for (const signal of signals) process.off(signal, stop);
    process.stdout.off('error', ignore);
    connection.close();
    screen.close();
    process.stdout.write(LEAVE);
  }
}

/** The part of a TTY stream that stops and starts its reading (Node's own handle: no public call stops it). */
type ReadingHandle = {readStop(): number; readStart(): number};

/**
 * Runs `task` (an editor) with the terminal handed over: the shell's screen, line mode, and no
 * key read here. Node goes on reading a TTY once it has started, whoever listens: unless its
 * handle stops, the keys typed in the editor would be shared between the two programs. The
 * stream restarts its handle by itself (removing its last 'readable' listener lets it flow again
 * a tick later), so the handle's readStart does nothing until the editor is done.
 */
async function handOver<T>(screen: TerminalScreen, task: () => Promise<T>): Promise<T> {
  const stdin = process.stdin;
  const handle = (stdin as unknown as {_handle?: Partial<ReadingHandle>})._handle;
  const readStart = handle?.readStart;
  const readers = stdin.listeners('readable') as (() => void)[];
  for (const reader of readers) stdin.off('readable', reader);
  if (handle && readStart) handle.readStart = () => 0;
  handle?.readStop?.();
  stdin.setRawMode?.(false);
  process.stdout.write(LEAVE);
  try {
    return await task();
  } finally {
    process.stdout.write(ENTER);
    screen.redrawAll();
    stdin.setRawMode?.(true);
    if (handle && readStart) {
      handle.readStart = readStart;
      readStart.call(handle);
    }
    for (const reader of readers) stdin.on('readable', reader);
  }
}

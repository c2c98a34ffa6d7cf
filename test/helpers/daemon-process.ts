// A daemon run as an operator runs it: the built `wazo-auth daemon` in a process of its own, for
// what only a process shows (signals, file modes under a umask, open-file limits, exiting).

import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {call} from './daemon.js';
import {freePort} from './free-port.js';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'run.js');

/** Writes a configuration serving on a free loopback port; `lines` are added as they are. */
export async function writeDaemonConfig(path: string, dataDir: string, lines: string[] = []): Promise<{path: string; port: number; url: string}> {
  const port = await freePort();
  // The bus off: these daemons are not about it (test/bus/ is).
  writeFileSync(path, [`data_dir: ${dataDir}`, 'amqp:', '  uri: null', 'rest_api:', '  listen: 127.0.0.1', `  port: ${port}`, ...lines, ''].join('\n'));
  return {path, port, url: `http://127.0.0.1:${port}`};
}

/** `wazo-auth bootstrap`: an administrator with this password, before the daemon starts. */
export function bootstrap(configPath: string, username: string, password: string): void {
  const r = spawnSync(process.execPath, [BIN, 'bootstrap', '-c', configPath, '--username', username, '--password-stdin'], {
    input: password,
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (r.status !== 0) throw new Error(`bootstrap failed (${r.status}): ${r.stderr}`);
}

export interface DaemonProcess {
  child: ChildProcess;
  stderr(): string;
  /** The exit code, or the signal that ended it. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | NodeJS.Signals | null>;
}

/** Starts `wazo-auth daemon -c config` under `umask`, and resolves once it answers at `url`. */
export async function spawnDaemon(configPath: string, url: string, options: {umask?: string} = {}): Promise<DaemonProcess> {
  // exec keeps the daemon's pid the shell's, so that signals and limits reach the daemon itself.
  const child = spawn('/bin/sh', ['-c', `umask ${options.umask ?? '022'} && exec "$0" "$1" daemon -c "$2"`, process.execPath, BIN, configPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal)));
  const d: DaemonProcess = {
    child,
    stderr: () => stderr,
    exited,
    async stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
  let gone = false;
  void exited.then(() => (gone = true));
  for (let i = 0; i < 200 && !gone; i++) {
    try {
      if ((await call(url, 'HEAD', '/0.1/status')).status === 200) return d;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`the daemon at ${url} did not answer: ${stderr}`);
}

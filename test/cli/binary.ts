// Runs `wazo-auth` as an operator would, in a home of its own: its own config folder, no session
// bus (so no keychain) and none of the caller's WAZO_AUTH_* variables. `run` runs the command
// in-process on the current sources (test/helpers/in-process-cli.ts); `runBinary` spawns the
// built binary, for the few smoke tests about the binary itself.

import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runInProcess, type FakeTerminal} from '../helpers/in-process-cli.js';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'run.js');

export type {Run} from '../helpers/in-process-cli.js';
import type {Run} from '../helpers/in-process-cli.js';

export interface Operator {
  home: string;
  /** Where the profiles and the --insecure-storage file are. */
  configDir: string;
  /** Runs `wazo-auth ...args` in-process; `input` is its standard input (closed when absent). */
  run(args: string[], options?: {input?: string; env?: Record<string, string>; terminal?: FakeTerminal}): Promise<Run>;
  /** The same through the built binary (bin/run.js), in a child process. */
  runBinary(args: string[], options?: {input?: string; env?: Record<string, string>}): Promise<Run>;
  /** The environment a command of this operator sees, with `extra` over it. */
  env(extra?: Record<string, string>): NodeJS.ProcessEnv;
  remove(): void;
}

/** Runs a program to its end, capturing its output; asynchronous, since the daemon under test may run in this process. */
export function capture(command: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {env, stdio: ['pipe', 'pipe', 'pipe']});
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({status, stdout, stderr});
    });
    child.stdin.end(input);
  });
}

/** An operator logged in to a test daemon as its administrator, the refresh token in a file (no keychain here). */
export async function loggedInOperator(daemon: {url: string; admin: {password: string}}): Promise<Operator> {
  const op = newOperator();
  const r = await op.run(['login', '--url', daemon.url, '--username', 'admin', '--password-stdin', '--insecure-storage'], {input: daemon.admin.password});
  assert.equal(r.status, 0, r.stderr);
  return op;
}

export function newOperator(): Operator {
  const home = mkdtempSync(join(tmpdir(), 'wazo-auth-operator-'));
  const base: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('WAZO_AUTH_') && name !== 'DBUS_SESSION_BUS_ADDRESS' && name !== 'NO_COLOR') base[name] = value;
  }
  Object.assign(base, {HOME: home, XDG_CONFIG_HOME: join(home, '.config')});
  return {
    home,
    configDir: join(home, '.config', 'wazo-auth'),
    run: (args, options = {}) => runInProcess(args, {...base, ...options.env}, options.input, options.terminal),
    runBinary: (args, options = {}) => capture(process.execPath, [BIN, ...args], {...base, ...options.env}, options.input),
    env: (extra = {}) => ({...base, ...extra}),
    remove: () => rmSync(home, {recursive: true, force: true}),
  };
}

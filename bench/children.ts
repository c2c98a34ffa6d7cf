// Child processes of the benchmark and the clean-up that must happen whatever goes wrong:
// every child is tracked until it exits, every temporary folder until it is removed.

import {spawn, type ChildProcess, type SpawnOptions} from 'node:child_process';
import {rmSync} from 'node:fs';
import {createServer} from 'node:net';
import {fileURLToPath} from 'node:url';

/** The repository root: bench/ is one level below it. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

const children = new Set<ChildProcess>();
const folders = new Set<string>();

/** A spawned child that keeps the tail of its output for error messages. */
export interface Child {
  name: string;
  process: ChildProcess;
  /** Resolves when the child has exited, with its code or signal. */
  exited: Promise<{code: number | null; signal: NodeJS.Signals | null}>;
  hasExited(): boolean;
  /** The last few kilobytes of stdout and stderr. */
  output(): string;
}

const TAIL_BYTES = 16_384;

export function startChild(name: string, command: string, args: string[], options: SpawnOptions = {}): Child {
  const child = spawn(command, args, {cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], ...options});
  children.add(child);
  let tail = '';
  let done = false;
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{code: number | null; signal: NodeJS.Signals | null}>((resolve) => {
    child.once('error', (error) => {
      keep(Buffer.from(`\n[${name}: ${error.message}]\n`));
      done = true;
      children.delete(child);
      resolve({code: null, signal: null});
    });
    child.once('exit', (code, signal) => {
      done = true;
      children.delete(child);
      resolve({code, signal});
    });
  });
  return {name, process: child, exited, hasExited: () => done, output: () => tail};
}

/** Runs a command to its end (bounded by `timeoutMs`); rejects on a non-zero exit with its output. */
export async function runToEnd(
  name: string,
  command: string,
  args: string[],
  options: {input?: string; timeoutMs: number; env?: NodeJS.ProcessEnv},
): Promise<string> {
  const child = startChild(name, command, args, {env: options.env});
  let stdout = '';
  child.process.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.process.stdin?.end(options.input ?? '');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), options.timeoutMs);
  const {code, signal} = await child.exited;
  clearTimeout(timer);
  if (code !== 0) {
    const why = signal ? `was killed by ${signal}${signal === 'SIGKILL' ? ` (over ${options.timeoutMs} ms?)` : ''}` : `exited with ${code}`;
    throw new Error(`${name} ${why}:\n${child.output().trim()}`);
  }
  return stdout;
}

/** Asks a child to stop (SIGTERM), then kills it if it is still there after `graceMs`. */
export async function stopChild(child: Child, graceMs = 10_000): Promise<{code: number | null; signal: NodeJS.Signals | null; killed: boolean}> {
  if (child.hasExited()) return {...(await child.exited), killed: false};
  child.process.kill('SIGTERM');
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.process.kill('SIGKILL');
  }, graceMs);
  const result = await child.exited;
  clearTimeout(timer);
  return {...result, killed};
}

/** This process and every child still running: what the benchmark itself runs. */
export function ownPids(): number[] {
  const pids = [process.pid];
  for (const child of children) if (child.pid !== undefined && child.exitCode === null) pids.push(child.pid);
  return pids;
}

/** A temporary folder removed by cleanUp() if not removed before. */
export function trackFolder(path: string): void {
  folders.add(path);
}

export function removeFolder(path: string): void {
  rmSync(path, {recursive: true, force: true});
  folders.delete(path);
}

/** Kills whatever child is still running and removes the temporary folders; synchronous, so it also works on exit. */
export function cleanUp(): void {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  children.clear();
  for (const folder of folders) {
    try {
      rmSync(folder, {recursive: true, force: true});
    } catch {
      // nothing more to do
    }
  }
  folders.clear();
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** `node --import tsx <script>`: how the benchmark runs its own TypeScript helpers in a child. */
export function tsxArgs(script: string, ...args: string[]): string[] {
  return ['--import', 'tsx', script, ...args];
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

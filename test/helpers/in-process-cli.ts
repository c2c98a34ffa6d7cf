// Runs `wazo-auth ...args` inside the test process: oclif's own `run` (help, version, dispatch)
// on the command classes of commands/*.ts, as tsx compiles them now, with a factory
// (src/cli/factory.ts) giving the command its standard streams, its environment and the real
// credential stores and client. What it returns is what the binary would have printed and its
// exit status; test/cli/binary.ts keeps a few runs of the real binary (bin/run.js) as smoke tests.
//
// Never stale: each command class loads, when run, from its TypeScript source. What oclif knows
// before that (the list of commands, their flags for help and suggestions) comes from
// oclif.manifest.json when the last build wrote it after every source it describes changed, and
// otherwise from loading every command's source (about 2 s a test process).

import {Writable, Readable} from 'node:stream';
import {readdirSync, readFileSync, statSync} from 'node:fs';
import {join} from 'node:path';
import {Config, Errors, loadHelpClass, Plugin, settings, type Interfaces} from '@oclif/core';
import {normalizeArgv} from '@oclif/core/help';
import {helpAddition, versionAddition} from '@oclif/core/run';
import {Exit, handle} from '@oclif/core/handle';
import {withFactory, type Factory} from '../../src/cli/factory.js';
import {credentialStore} from '../../src/cli/credentials.js';
import {MemoryAgent} from './memory-http.js';

export interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

const ROOT = join(import.meta.dirname, '..', '..');

type Manifest = Interfaces.Manifest;

let loading: Promise<Config> | undefined;

/** The sources oclif.manifest.json is made from: the commands and the CLI code their flags come from. */
const DESCRIBED = ['commands', join('src', 'cli'), 'package.json'];

/** Whether oclif.manifest.json was written after every file it describes last changed. */
function manifestIsFresh(): boolean {
  let written: number;
  try {
    written = statSync(join(ROOT, 'oclif.manifest.json')).mtimeMs;
  } catch {
    return false;
  }
  const newer = (path: string): boolean => {
    const stat = statSync(path);
    if (!stat.isDirectory()) return stat.mtimeMs > written;
    return readdirSync(path).some((name) => newer(join(path, name)));
  };
  return !DESCRIBED.some((path) => newer(join(ROOT, path)));
}

/** The package's oclif configuration, its commands from commands/*.ts (tsx), once per test process. */
function sourceConfig(): Promise<Config> {
  loading ??= (async () => {
    // The sources stand where package.json names dist/: oclif then finds commands/<id>.ts itself,
    // without its development mode (which maps dist/ back through tsconfig.json, loading typescript).
    settings.enableAutoTranspile = false;
    const pjson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    pjson.oclif = {...pjson.oclif, commands: './commands', hooks: {command_not_found: './src/cli/command-not-found.ts'}};
    const fresh = manifestIsFresh();
    const readManifest = (Plugin.prototype as unknown as {_manifest: () => Promise<Manifest>})._manifest;
    (Plugin.prototype as unknown as {_manifest: () => Promise<Manifest>})._manifest = async function (this: {
      options: {isRoot?: boolean; ignoreManifest?: boolean};
    }) {
      if (!this.options.isRoot) return readManifest.call(this);
      if (!fresh) {
        this.options.ignoreManifest = true;
        return readManifest.call(this);
      }
      const manifest = await readManifest.call(this);
      // Without the built file's path, a command loads from commands/ when it runs.
      for (const command of Object.values(manifest.commands)) {
        delete command.relativePath;
        delete command.isESM;
      }
      return manifest;
    };
    const config = await Config.load({root: ROOT, pjson});
    const own = config.commands.filter((command) => command.pluginName === config.name);
    if (own.length < 40) throw new Error(`in-process CLI: ${own.length} commands found in ${fresh ? 'oclif.manifest.json' : 'commands/'}`);
    return config;
  })();
  return loading;
}

/** The package's commands as oclif knows them (id, summary, description, examples, flags), from their sources. */
export async function sourceCommands(): Promise<Config['commands']> {
  const config = await sourceConfig();
  return config.commands.filter((command) => command.pluginName === config.name);
}

/** Collects what is written, as a pipe would, or as a terminal `columns` wide would when given. */
class Collector extends Writable {
  text = '';
  readonly isTTY: boolean;

  constructor(readonly columns?: number) {
    super();
    this.isTTY = columns !== undefined;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

// One command at a time: oclif's parser reads the WAZO_AUTH_* variables behind its flags from
// process.env, and oclif prints its own messages (help, version, parse errors) on the console.
let queue: Promise<unknown> = Promise.resolve();

/** A terminal the command's standard streams stand for, instead of pipes. */
export interface FakeTerminal {
  columns: number;
}

/**
 * Runs the CLI in-process. `env` is the whole environment the command sees (as a child's would be);
 * `input` is its standard input, closed at its end (empty when absent); with `terminal`, its
 * standard streams say they are a terminal that wide (what is typed on it is `input`).
 */
export function runInProcess(args: string[], env: NodeJS.ProcessEnv, input?: string, terminal?: FakeTerminal): Promise<Run> {
  const next = queue.then(() => runOne(args, env, input, terminal));
  queue = next.catch(() => undefined);
  return next;
}

async function runOne(args: string[], env: NodeJS.ProcessEnv, input?: string, terminal?: FakeTerminal): Promise<Run> {
  const config = await sourceConfig();
  const stdout = new Collector(terminal?.columns);
  const stderr = new Collector(terminal?.columns);
  const stdin = Object.assign(Readable.from(input === undefined ? [] : [Buffer.from(input)]), {isTTY: terminal !== undefined});
  const factory: Factory = {
    io: {stdin, stdout, stderr},
    env,
    credentials: (kind, configDir) => credentialStore(kind, configDir, env),
    // A daemon of this process is reached in memory (memory-http.ts), any other over TCP.
    client: async (options) => new (await import('../../src/client/index.js')).AuthClient({...options, agent: new MemoryAgent()}),
  };

  const saved = {env: {...process.env}, argv: process.argv, exitCode: process.exitCode, exit: Exit.exit, console: {...console}};
  for (const name of Object.keys(process.env)) if (name.startsWith('WAZO_AUTH_') && !(name in env)) delete process.env[name];
  for (const [name, value] of Object.entries(env)) if (name.startsWith('WAZO_AUTH_')) process.env[name] = value;
  process.argv = [process.execPath, join(ROOT, 'bin', 'run.js'), ...args];
  const print =
    (stream: Collector) =>
    (...parts: unknown[]) =>
      stream.write(`${parts.map((p) => (typeof p === 'string' ? p : String(p))).join(' ')}\n`);
  console.log = console.info = print(stdout);
  console.error = console.warn = print(stderr);
  let status = 0;
  Exit.exit = (code = 0) => {
    status = code;
  };
  try {
    await withFactory(factory, () => dispatch(config, args));
  } catch (error) {
    // As bin/run.js's execute() ends a command: ExitError quietly, any other error printed.
    if (error instanceof Errors.ExitError) status = error.oclif.exit ?? 0;
    else await handle(error as Error);
  } finally {
    for (const name of Object.keys(process.env)) if (name.startsWith('WAZO_AUTH_')) delete process.env[name];
    for (const [name, value] of Object.entries(saved.env)) if (name.startsWith('WAZO_AUTH_')) process.env[name] = value;
    process.argv = saved.argv;
    process.exitCode = saved.exitCode;
    Exit.exit = saved.exit;
    Object.assign(console, saved.console);
  }
  return {status, stdout: stdout.text, stderr: stderr.text};
}

/**
 * What oclif's `run` (bin/run.js) does with the command line, on one loaded configuration: its
 * `run` would load a new one for each command from the one it is given.
 */
async function dispatch(config: Config, argv: string[]): Promise<void> {
  const showHelp = async (subject: string[]) => {
    const Help = await loadHelpClass(config);
    await new Help(config, config.pjson.oclif.helpOptions).showHelp(subject);
  };
  const [id, ...rest] = normalizeArgv(config, [...argv]);
  await config.runHook('init', {argv: rest, id});
  if (versionAddition(argv, config)) return void console.log(config.userAgent);
  if (helpAddition(argv, config)) return showHelp(argv);
  const command = config.findCommand(id!);
  if (!command && config.findTopic(id!)) return showHelp([id!]);
  if (command?.pluginName === config.name) {
    const source = (await command.load()).relativePath ?? [];
    if (source[0] !== 'commands' || !source.at(-1)?.endsWith('.ts'))
      throw new Error(`in-process CLI: ${id} loaded from ${source.join('/')}, not from its source`);
  }
  await config.runCommand(id!, rest, command);
}

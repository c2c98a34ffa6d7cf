// The operator CLI as an administrator of a test daemon runs it: with the daemon's URL and an
// admin token in its environment (WAZO_AUTH_URL, WAZO_AUTH_TOKEN), in a home of its own; as a
// command (in-process, on the current sources), or, through the built binary, in a shell pipeline
// or on a terminal that answers its prompts.

import {spawn} from 'node:child_process';
import {BIN, capture, newOperator, type Run} from '../cli/binary.js';
import type {FakeTerminal} from './in-process-cli.js';

export interface AdminCli {
  /**
   * Runs `wazo-auth ...args` in-process; `input` is its standard input; `env` adds to or overrides
   * its environment; with `terminal`, its standard streams are that terminal instead of pipes.
   */
  run(args: string[], input?: string, env?: Record<string, string>, terminal?: FakeTerminal): Promise<Run>;
  /** Runs a bash script under `set -o pipefail`, where `$BIN` runs the built binary. */
  shell(script: string): Promise<Run>;
  /** Runs `wazo-auth ...args` on a pseudo-terminal, typing each answer once its prompt is shown. */
  onTerminal(args: string[], answers: {prompt: string; answer: string}[]): Promise<TerminalRun>;
  remove(): void;
}

export interface TerminalRun {
  status: number | null;
  /** stdout and stderr as the terminal showed them, with readline's cursor codes. */
  output: string;
}

export function adminCli(url: string, token: string): AdminCli {
  const op = newOperator();
  const daemon = {WAZO_AUTH_URL: url, WAZO_AUTH_TOKEN: token};
  const environment = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = {};
    for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('WAZO_AUTH_') && name !== 'NO_COLOR') env[name] = value;
    return {...env, HOME: op.home, XDG_CONFIG_HOME: `${op.home}/.config`, ...daemon, ...extra};
  };
  return {
    run: (args, input, env = {}, terminal) => op.run(args, {input, env: {...daemon, ...env}, terminal}),
    shell: (script) => capture('bash', ['-c', `set -o pipefail; ${script}`], environment({BIN: `${process.execPath} ${BIN}`})),
    onTerminal: (args, answers) => terminal([process.execPath, BIN, ...args], environment(), answers),
    remove: () => op.remove(),
  };
}

/** util-linux `script` gives the command a pseudo-terminal; its exit status is the command's (-e). */
function terminal(command: string[], env: NodeJS.ProcessEnv, answers: {prompt: string; answer: string}[]): Promise<TerminalRun> {
  const quoted = command.map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', quoted, '/dev/null'], {env, stdio: ['pipe', 'pipe', 'pipe']});
    const pending = [...answers];
    let output = '';
    let seen = 0;
    child.stdout.on('data', (chunk) => {
      output += chunk;
      // Each answer waits for its own prompt: typed ahead, it would reach the previous prompt's reader.
      const next = pending[0];
      const at = next ? output.indexOf(next.prompt, seen) : -1;
      if (next && at >= 0) {
        seen = at + next.prompt.length;
        pending.shift();
        child.stdin.write(`${next.answer}\r`);
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({status, output});
    });
  });
}

// Guard rail before what cannot be undone, as gh has it: on a terminal the command asks, and
// --yes answers for the operator; without a terminal (a script, a pipe) --yes must be given.

import {createInterface} from 'node:readline';
import {Flags} from '@oclif/core';
import {ExitCode} from './exit-codes.js';
import {currentFactory} from './factory.js';
import {CliFailure, usageError} from './failure.js';

export const confirmFlags = {
  yes: Flags.boolean({char: 'y', summary: 'Do it without asking (required when not on a terminal)'}),
};

/**
 * Returns when the operator agrees to `action` (e.g. "delete user alice"): `yes`, or "y" typed at
 * the question on a terminal. Anything else stops the command before it changes anything.
 */
export async function confirm(action: string, yes: boolean | undefined): Promise<void> {
  if (yes) return;
  const {stdin, stderr} = currentFactory().io;
  if (!stdin.isTTY || !stderr.isTTY) throw usageError(`to ${action}, pass --yes: there is no terminal to ask on`);
  const answer = await askLine(`${action[0]!.toUpperCase()}${action.slice(1)}? [y/N] `);
  if (!/^y(es)?$/i.test(answer.trim())) throw new CliFailure('Not confirmed: nothing changed.', ExitCode.negative);
}

/** One line typed after `question` (on stderr); empty when the input ends first. */
function askLine(question: string): Promise<string> {
  const {stdin, stderr} = currentFactory().io;
  return new Promise((resolve) => {
    const rl = createInterface({input: stdin, output: stderr, terminal: false});
    let answer = '';
    rl.once('line', (line) => {
      answer = line;
      rl.close();
    });
    rl.once('close', () => resolve(answer));
    stderr.write(question);
  });
}

/** What an action names, for its question: "user alice", "users alice, bob". */
export function plural(kind: string, names: readonly string[], kinds = `${kind}s`): string {
  return `${names.length === 1 ? kind : kinds} ${names.join(', ')}`;
}

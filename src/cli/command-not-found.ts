// oclif's command_not_found hook. Global options written before the command, as wazo-auth-cli's
// scripts do (`wazo-auth --config DIR user list`), are moved after it and the command runs.
// Otherwise `wazo-auth user lst` says which command was meant, in one line (or as a JSON error
// under --json), and exits 2 as any usage error.

import type {Hook} from '@oclif/core';
import {ExitCode} from './exit-codes.js';
import {currentFactory} from './factory.js';
import {failureJson, usageError} from './failure.js';
import {closest, jsonRequested} from './suggest.js';

/** The global options that take a value (`--url URL`); the others are switches (`--json`). */
const WITH_VALUE = new Set(['--config', '--token', '--url', '--profile', '--format']);

/** The command and its arguments when the command line starts with options; undefined when no command follows them. */
function commandAfterOptions(words: string[], known: (id: string) => boolean): {id: string; argv: string[]} | undefined {
  const options: string[] = [];
  let i = 0;
  while (i < words.length && words[i]!.startsWith('-')) {
    const word = words[i++]!;
    options.push(word);
    if (WITH_VALUE.has(word) && i < words.length) options.push(words[i++]!);
  }
  const rest = words.slice(i);
  for (let n = rest.length; n > 0; n -= 1) {
    const id = rest.slice(0, n).join(':');
    if (known(id)) return {id, argv: [...rest.slice(n), ...options]};
  }
  return undefined;
}

const hook: Hook<'command_not_found'> = async function (options) {
  const {config, id} = options;
  const argv = options.argv ?? [];
  if (id.startsWith('-')) {
    const command = commandAfterOptions([id, ...argv], (candidate) => config.findCommand(candidate) !== undefined);
    if (command) return config.runCommand(command.id, command.argv);
  }
  const spaced = (commandId: string) => commandId.replaceAll(':', ' ');
  // The typed id alone (`user lst`), or with the next word when the topic itself is mistyped (`usr list`).
  const near = [id, argv[0] && !argv[0].startsWith('-') ? `${id}:${argv[0]}` : undefined]
    .filter((typed): typed is string => typed !== undefined)
    .map((typed) => closest(typed, config.commandIDs))
    .find(Boolean);
  const failure = usageError(
    `unknown command "${spaced(id)}"${near ? `: did you mean "${config.bin} ${spaced(near)}"?` : `; ${config.bin} --help lists the commands`}`,
  );
  const {io, env} = currentFactory();
  if (jsonRequested(argv, env)) io.stdout.write(`${JSON.stringify(failureJson(failure), null, 2)}\n`);
  else io.stderr.write(`Error: ${failure.message}\n`);
  this.exit(ExitCode.usage);
};

export default hook;

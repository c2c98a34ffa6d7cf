// oclif's command_not_found hook: `wazo-auth user lst` says which command was meant, in one line
// (or as a JSON error under --json), and exits 2 as any usage error.

import type {Hook} from '@oclif/core';
import {ExitCode} from './exit-codes.js';
import {currentFactory} from './factory.js';
import {failureJson, usageError} from './failure.js';
import {closest, jsonRequested} from './suggest.js';

const hook: Hook<'command_not_found'> = async function (options) {
  const {config, id} = options;
  const argv = options.argv ?? [];
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

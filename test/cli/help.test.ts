// Every command, present and future, documents itself: examples and its exit codes in its --help
// (the shared set for those that talk to a daemon; the daemon and bootstrap have their own). Read
// from the commands' sources as oclif caches them, which is what the manifest the build writes holds.

import assert from 'node:assert/strict';
import {test} from 'node:test';
import {sourceCommands} from '../helpers/in-process-cli.js';

test('every command has examples and says its exit codes', async () => {
  const commands = (await sourceCommands()).map((command) => [command.id, command] as const);
  assert.ok(commands.length > 40, `${commands.length} commands`);
  for (const [id, command] of commands) {
    assert.ok((command.examples ?? []).length > 0, `${id} has no example`);
    assert.match(command.description ?? '', /\n\nExit codes: 0 [^\n]+$/, `${id} does not say its exit codes`);
  }
});

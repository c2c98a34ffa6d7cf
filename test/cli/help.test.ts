// Every command, present and future, documents itself: examples and its exit codes in its --help
// (the shared set for those that talk to a daemon; the daemon and bootstrap have their own). Read from the manifest the build writes, which is what oclif shows.

import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {test} from 'node:test';

const manifest = JSON.parse(readFileSync(new URL('../../oclif.manifest.json', import.meta.url), 'utf8')) as {
  commands: Record<string, {examples?: unknown[]; description?: string}>;
};

test('every command has examples and says its exit codes', () => {
  const commands = Object.entries(manifest.commands).filter(([id]) => !id.startsWith('autocomplete'));
  assert.ok(commands.length > 40, `${commands.length} commands in the manifest`);
  for (const [id, command] of commands) {
    assert.ok((command.examples ?? []).length > 0, `${id} has no example`);
    assert.match(command.description ?? '', /\n\nExit codes: 0 [^\n]+$/, `${id} does not say its exit codes`);
  }
});

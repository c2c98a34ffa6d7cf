// Rendering of a command's data: tables, bare values and YAML.

import assert from 'node:assert/strict';
import {test} from 'node:test';
import {formatData, wantsColour} from '../../src/cli/output.js';

const policy = {uuid: 'p-1', name: 'operators', acl: ['confd.#', 'auth.users.read'], address: {city: 'Québec', zip_code: null}, shared: false};

test('a record table: one row per field, arrays one item a line, objects key: value', async () => {
  const text = await formatData(policy, {plain: ['uuid']}, 'table', false);
  assert.equal(
    text,
    [
      '┌─────────┬─────────────────┐',
      '│ uuid    │ p-1             │',
      '├─────────┼─────────────────┤',
      '│ name    │ operators       │',
      '├─────────┼─────────────────┤',
      '│ acl     │ confd.#         │',
      '│         │ auth.users.read │',
      '├─────────┼─────────────────┤',
      '│ address │ city: Québec    │',
      '│         │ zip_code:       │',
      '├─────────┼─────────────────┤',
      '│ shared  │ false           │',
      '└─────────┴─────────────────┘',
      '',
    ].join('\n'),
  );
});

test("a record table shows only the view's fields, in its order", async () => {
  const text = await formatData(policy, {fields: ['name', 'uuid'], plain: ['uuid']}, 'table', false);
  assert.match(text, /name[^]*uuid/);
  assert.ok(!text.includes('acl'));
});

test('a list table: the columns as header, no escape codes without colour, escape codes with', async () => {
  const rows = [policy, {...policy, uuid: 'p-2', name: 'readers'}];
  const text = await formatData(rows, {columns: ['uuid', 'name'], plain: 'uuid'}, 'table', false);
  assert.ok(!text.includes('\x1b'));
  assert.match(text, /│ uuid │ name +│\n/);
  assert.match(text, /│ p-2 +│ readers +│\n/);
  assert.ok((await formatData(rows, {columns: ['uuid', 'name'], plain: 'uuid'}, 'table', true)).includes('\x1b['));
});

test('plain: a list prints its plain field, one item a line; a record its plain fields, arrays unrolled', async () => {
  assert.equal(await formatData([policy, {...policy, uuid: 'p-2'}], {columns: ['uuid'], plain: 'uuid'}, 'plain', false), 'p-1\np-2\n');
  assert.equal(await formatData([], {columns: ['uuid'], plain: 'uuid'}, 'plain', false), '');
  assert.equal(await formatData(policy, {plain: ['name', 'acl']}, 'plain', false), 'operators\nconfd.#\nauth.users.read\n');
});

test('yaml: the whole data, whatever the view', async () => {
  const text = await formatData(policy, {fields: ['uuid'], plain: ['uuid']}, 'yaml', false);
  assert.match(text, /^uuid: p-1\nname: operators\nacl:\n {2}- confd\.#\n/);
});

test('colour only on a terminal and without NO_COLOR', () => {
  assert.equal(wantsColour({isTTY: true}, {}), true);
  assert.equal(wantsColour({isTTY: false}, {}), false);
  assert.equal(wantsColour({}, {}), false);
  assert.equal(wantsColour({isTTY: true}, {NO_COLOR: '1'}), false);
  // https://no-color.org: an empty NO_COLOR does not count
  assert.equal(wantsColour({isTTY: true}, {NO_COLOR: ''}), true);
});

// Rendering of a command's data: tables (aligned on a terminal, tab-separated when piped),
// `key: value` records, bare values, identifiers and YAML.

import assert from 'node:assert/strict';
import {test} from 'node:test';
import {formatData, wantsColour, type Layout, type ListView} from '../../src/cli/output.js';
import {layoutOf} from '../../src/cli/layout.js';

const policy = {uuid: 'p-1', name: 'operators', acl: ['confd.#', 'auth.users.read'], address: {city: 'Québec', zip_code: null}, shared: false};
const piped: Layout = {colour: false, headers: true};
const terminal = (width: number): Layout => ({width, colour: false, headers: true});

test('a record: one `key: value` line per field, arrays and objects indented below their key', async () => {
  const text = await formatData(policy, {plain: ['uuid']}, 'table', terminal(80));
  assert.equal(
    text,
    ['uuid: p-1', 'name: operators', 'acl:', '  confd.#', '  auth.users.read', 'address:', '  city: Québec', '  zip_code:', 'shared: false', ''].join('\n'),
  );
  assert.equal(await formatData(policy, {plain: ['uuid']}, 'table', piped), text);
});

test("a record shows only the view's fields in its order, or those --columns names", async () => {
  assert.equal(await formatData(policy, {fields: ['name', 'uuid'], plain: ['uuid']}, 'table', piped), 'name: operators\nuuid: p-1\n');
  assert.equal(await formatData(policy, {fields: ['name', 'uuid'], plain: ['uuid']}, 'table', {...piped, columns: ['shared']}), 'shared: false\n');
});

const view: ListView = {columns: ['name', 'acl', 'shared'], wide: ['uuid'], plain: 'uuid'};
const rows = [policy, {...policy, uuid: 'p-2', name: 'readers', acl: [], shared: true}];

test('a list on a terminal: borderless aligned columns, upper-case headers, arrays joined by commas', async () => {
  assert.equal(
    await formatData(rows, view, 'table', terminal(80)),
    ['NAME       ACL                       SHARED', 'operators  confd.#, auth.users.read  false', 'readers                              true', ''].join('\n'),
  );
});

test('a list piped: tab-separated, nothing cut, no escape codes', async () => {
  const text = await formatData(rows, view, 'table', piped);
  assert.equal(text, 'NAME\tACL\tSHARED\noperators\tconfd.#, auth.users.read\tfalse\nreaders\t\ttrue\n');
});

test('a narrow terminal: the widest column is cut with …, never narrower than its header', async () => {
  const text = await formatData(rows, view, 'table', terminal(30));
  assert.equal(text, ['NAME       ACL          SHARED', 'operators  confd.#, a…  false', 'readers                 true', ''].join('\n'));
  for (const line of text.split('\n')) assert.ok(line.length <= 30, line);
});

test('wide: every column, wide ones included, none cut', async () => {
  const text = await formatData(rows, view, 'wide', terminal(30));
  assert.match(text, /^NAME {7}ACL {23}SHARED {2}UUID\noperators {2}confd\.#, auth\.users\.read {2}false {3}p-1\n/);
});

test('--no-headers drops the header line; --columns picks and orders columns, wide ones too', async () => {
  assert.equal(await formatData(rows, view, 'table', {...piped, headers: false}), 'operators\tconfd.#, auth.users.read\tfalse\nreaders\t\ttrue\n');
  assert.equal(await formatData(rows, view, 'table', {...piped, columns: ['uuid', 'name']}), 'UUID\tNAME\np-1\toperators\np-2\treaders\n');
  await assert.rejects(formatData(rows, view, 'table', {...piped, columns: ['nope']}), /no column nope: --columns takes name, acl, shared, uuid/);
});

test('a line break or tab inside a value cannot break a row', async () => {
  assert.equal(await formatData([{name: 'a\tb\nc'}], {columns: ['name'], plain: 'name'}, 'table', {...piped, headers: false}), 'a b c\n');
});

test('colour on a terminal: a bold header or bold keys, nothing else', async () => {
  const text = await formatData(rows, view, 'table', {...terminal(80), colour: true});
  assert.match(text, /^\x1b\[1mNAME .*\x1b\[22m\noperators/);
  const record = await formatData(policy, {fields: ['name', 'acl'], plain: []}, 'table', {...terminal(80), colour: true});
  assert.equal(record, '\x1b[1mname:\x1b[22m operators\n\x1b[1macl:\x1b[22m\n  confd.#\n  auth.users.read\n');
});

test('plain and name: a list prints its identifier, one item a line; a record its plain fields, or its uuid', async () => {
  assert.equal(await formatData(rows, view, 'plain', piped), 'p-1\np-2\n');
  assert.equal(await formatData(rows, view, 'name', terminal(80)), 'p-1\np-2\n');
  assert.equal(await formatData([], view, 'plain', piped), '');
  assert.equal(await formatData(policy, {plain: ['name', 'acl']}, 'plain', piped), 'operators\nconfd.#\nauth.users.read\n');
  assert.equal(await formatData(policy, {plain: ['name', 'acl']}, 'name', piped), 'p-1\n');
  assert.equal(await formatData(policy, {plain: ['acl'], name: 'name'}, 'name', piped), 'operators\n');
});

test('yaml: the whole data, whatever the view', async () => {
  const text = await formatData(policy, {fields: ['uuid'], plain: ['uuid']}, 'yaml', piped);
  assert.match(text, /^uuid: p-1\nname: operators\nacl:\n {2}- confd\.#\n/);
});

test("the layout: a terminal's width, none when piped; --columns split on commas", () => {
  assert.deepEqual(layoutOf({headers: true}, {isTTY: true, columns: 120}, {}), {width: 120, colour: true, headers: true});
  assert.deepEqual(layoutOf({headers: false, columns: 'a, b,'}, {}, {}), {width: undefined, colour: false, headers: false, columns: ['a', 'b']});
  assert.equal(layoutOf({}, {isTTY: true}, {NO_COLOR: '1'}).width, 80);
});

test('colour only on a terminal and without NO_COLOR', () => {
  assert.equal(wantsColour({isTTY: true}, {}), true);
  assert.equal(wantsColour({isTTY: false}, {}), false);
  assert.equal(wantsColour({}, {}), false);
  assert.equal(wantsColour({isTTY: true}, {NO_COLOR: '1'}), false);
  // https://no-color.org: an empty NO_COLOR does not count
  assert.equal(wantsColour({isTTY: true}, {NO_COLOR: ''}), true);
});

import assert from 'node:assert/strict';
import {test} from 'node:test';
import * as edit from '../../../src/tui/model/line-edit.js';

/** A line written with `|` where the cursor is. */
const at = (text: string): edit.Line => ({value: text.replace('|', ''), cursor: text.indexOf('|')});
const show = ({value, cursor}: edit.Line) => `${value.slice(0, cursor)}|${value.slice(cursor)}`;

test('text goes in at the cursor, which moves within the line only', () => {
  assert.equal(show(edit.insert(at('ab|c'), 'XY')), 'abXY|c');
  assert.equal(show(edit.left(at('|ab'))), '|ab');
  assert.equal(show(edit.right(at('ab|'))), 'ab|');
  assert.equal(show(edit.home(at('ab|c'))), '|abc');
  assert.equal(show(edit.end(at('a|bc'))), 'abc|');
});

test('backspace, ctrl-u and ctrl-k erase around the cursor', () => {
  assert.equal(show(edit.erase(at('ab|c'))), 'a|c');
  assert.equal(show(edit.erase(at('|abc'))), '|abc');
  assert.equal(show(edit.eraseToStart(at('ab|c'))), '|c');
  assert.equal(show(edit.eraseToEnd(at('a|bc'))), 'a|');
});

test('ctrl-w erases back to a space, alt-backspace back to punctuation', () => {
  assert.equal(show(edit.eraseSpacedWord(at('policy auth.users.read |x'))), 'policy |x');
  assert.equal(show(edit.eraseWord(at('auth.users.read|'))), 'auth.users.|');
  assert.equal(show(edit.eraseWord(at('auth.users.|'))), 'auth.|');
});

test('word moves stop at the ends of words', () => {
  assert.equal(show(edit.wordLeft(at('auth.users.|read'))), 'auth.|users.read');
  assert.equal(show(edit.wordRight(at('auth|.users.read'))), 'auth.users|.read');
});

import assert from 'node:assert/strict';
import {test} from 'node:test';
import {frameUpdate} from '../../../src/tui/terminal-screen.js';

const ESC = '\x1b[';
const wrapped = (body: string) => `${ESC}?2026h${body}${ESC}?2026l`;

test('only the lines that changed are written, each at its place', () => {
  assert.equal(frameUpdate(['a', 'b', 'c'], ['a', 'B', 'c']), wrapped(`${ESC}2;1HB${ESC}0m${ESC}K`));
});

test('nothing changed, nothing written', () => {
  assert.equal(frameUpdate(['a', 'b'], ['a', 'b']), '');
});

test('lines no longer used are erased; a first frame writes every line', () => {
  assert.equal(frameUpdate(['a', 'b'], ['a']), wrapped(`${ESC}2;1H${ESC}0m${ESC}K`));
  assert.equal(frameUpdate([], ['x', 'y']), wrapped(`${ESC}1;1Hx${ESC}0m${ESC}K${ESC}2;1Hy${ESC}0m${ESC}K`));
});

import assert from 'node:assert/strict';
import {test} from 'node:test';
import {splitRun} from '../../../src/tui/model/key-chunks.js';

const shape = (run: string) => splitRun(run).map(({input, key}) => (key.return ? '⏎' : key.delete ? '⌫' : key.tab ? '⇥' : key.ctrl ? `^${input}` : input));

test('typed text stays one piece; each control character is a key of its own', () => {
  assert.deepEqual(shape('ab\rsss'), ['ab', '⏎', 'sss']);
  assert.deepEqual(shape('x\x7f\x7fy\t'), ['x', '⌫', '⌫', 'y', '⇥']);
  assert.deepEqual(shape('\x17\x01é✓'), ['^w', '^a', 'é✓']);
});

test('a capital alone is shifted, as Ink marks it', () => {
  assert.equal(splitRun('S')[0]!.key.shift, true);
  assert.equal(splitRun('s')[0]!.key.shift, false);
});

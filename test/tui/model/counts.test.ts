import assert from 'node:assert/strict';
import {test} from 'node:test';
import {countBy, countsLine} from '../../../src/tui/model/counts.js';

test('counts per name, largest first, ties by name', () => {
  const counts = countBy(['bob', 'alice', 'bob', 'carol', 'alice', 'bob'], (name) => name);
  assert.deepEqual(counts, [
    {name: 'bob', count: 3},
    {name: 'alice', count: 2},
    {name: 'carol', count: 1},
  ]);
});

test('the line says how many names it left out to fit', () => {
  const counts = countBy(['bob', 'alice', 'bob', 'carol', 'alice', 'bob'], (name) => name);
  assert.equal(countsLine(counts, 80), 'bob 3 · alice 2 · carol 1');
  assert.equal(countsLine(counts, 24), 'bob 3 · +2 more');
  assert.equal(countsLine(counts, 5), '+3 more');
  assert.equal(countsLine([], 10), '');
});

// Durations as people write them, for every option taking an expiration or a delay.

import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseDuration} from '../../src/cli/duration.js';

test('seconds bare or with s; m, h, d; sums from the larger unit down; fractions', () => {
  assert.equal(parseDuration('600'), 600);
  assert.equal(parseDuration('45s'), 45);
  assert.equal(parseDuration('10m'), 600);
  assert.equal(parseDuration('2h'), 7200);
  assert.equal(parseDuration('1d'), 86_400);
  assert.equal(parseDuration('1h30m'), 5400);
  assert.equal(parseDuration('1d2h3m4s'), 93_784);
  assert.equal(parseDuration('0.5'), 0.5);
  assert.equal(parseDuration('1.5h'), 5400);
  assert.equal(parseDuration(' 2H '), 7200);
});

test('anything else is not a duration', () => {
  for (const text of ['', 'm', '10x', '10 m', '-5', '30m1h', '1h1h', '1h30', 'h1', '1e3']) assert.equal(parseDuration(text), undefined, text);
});

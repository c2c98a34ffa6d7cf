import assert from 'node:assert/strict';
import {test} from 'node:test';
import {age, countdown, parseApiTime} from '../../../src/tui/model/time-text.js';

const now = Date.parse('2026-01-01T12:00:00Z');

test('an API time without offset is UTC, as one with +00:00', () => {
  assert.equal(parseApiTime('2026-01-01T12:00:00.000000'), now);
  assert.equal(parseApiTime('2026-01-01T12:00:00+00:00'), now);
  assert.equal(parseApiTime('2026-01-01T13:00:00+01:00'), now);
});

test('a countdown shows the two largest units, then says expired', () => {
  assert.equal(countdown(now + 12_000, now), '12s');
  assert.equal(countdown(now + 249_000, now), '4m 09s');
  assert.equal(countdown(now + 2 * 3600_000 + 5 * 60_000 + 30_000, now), '2h 05m');
  assert.equal(countdown(now + 3 * 86_400_000 + 2 * 3600_000, now), '3d 02h');
  assert.equal(countdown(now + 999, now), 'expired');
  assert.equal(countdown(now - 5000, now), 'expired');
});

test('an age counts up, and a moment a little ahead (clock skew) is now', () => {
  assert.equal(age(now - 61_000, now), '1m 01s ago');
  assert.equal(age(now + 2000, now), 'now');
});

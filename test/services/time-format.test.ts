import assert from 'node:assert/strict';
import {after, test} from 'node:test';
import {localIso, utcIso} from '../../src/services/time-format.js';

const saved = process.env.TZ;
after(() => {
  process.env.TZ = saved;
});

// 2026-11-27T17:37:01.711070Z, upstream's sample
const micros = Date.UTC(2026, 10, 27, 17, 37, 1) * 1000 + 711070;

test("local times are in the daemon's time zone, without offset, as upstream", () => {
  process.env.TZ = 'America/Montreal';
  assert.equal(localIso(micros), '2026-11-27T12:37:01.711070');
  assert.equal(utcIso(micros), '2026-11-27T17:37:01.711070');
});

test('whole seconds: no fraction in local time, six zeros in UTC', () => {
  process.env.TZ = 'UTC';
  const whole = Date.UTC(2026, 10, 27, 17, 35, 59) * 1000;
  assert.equal(localIso(whole), '2026-11-27T17:35:59');
  assert.equal(utcIso(whole), '2026-11-27T17:35:59.000000');
});

test('small fractions keep their leading zeros', () => {
  process.env.TZ = 'UTC';
  assert.equal(utcIso(Date.UTC(2026, 0, 1) * 1000 + 42), '2026-01-01T00:00:00.000042');
});

import assert from 'node:assert/strict';
import {test} from 'node:test';
import {MAX_JSON_NESTING, NestingScan} from '../../src/http/json-depth.js';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const fits = (text: string, chunk = text.length || 1) => {
  const scan = new NestingScan();
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunk) if (!scan.push(bytes.subarray(i, i + chunk))) return false;
  return true;
};

test('32 levels pass, 33 do not, arrays and objects alike', () => {
  assert.equal(MAX_JSON_NESTING, 32);
  assert.equal(fits(nested(32)), true);
  assert.equal(fits(nested(33)), false);
  assert.equal(fits('{"a":'.repeat(32) + '1' + '}'.repeat(32)), true);
  assert.equal(fits('{"a":'.repeat(16) + nested(17) + '}'.repeat(16)), false);
});

test('depth is what is open at once, not how many were opened', () => {
  assert.equal(fits(`[${Array.from({length: 1000}, () => nested(31)).join(',')}]`), true);
});

test('brackets inside strings do not count, escapes included', () => {
  assert.equal(fits(JSON.stringify({s: '['.repeat(100) + '{'.repeat(100)})), true);
  assert.equal(fits(JSON.stringify(['"[[[[', '\\', '\\"' + '['.repeat(50)])), true);
  // An escaped backslash closes nothing: the quote after it ends the string.
  assert.equal(fits('["\\\\"' + ','.repeat(1) + nested(32) + ']'), false);
  assert.equal(fits('["\\\\",' + nested(31) + ']'), true);
});

test('state carries over chunk boundaries', () => {
  const text = JSON.stringify({s: 'a\\"[[' + '['.repeat(40), t: [[1]]});
  for (const chunk of [1, 2, 3, 7]) assert.equal(fits(text, chunk), true, `chunks of ${chunk}`);
  for (const chunk of [1, 2, 5]) assert.equal(fits(nested(33), chunk), false, `chunks of ${chunk}`);
});

test('a megabyte of brackets is refused', () => {
  const scan = new NestingScan();
  const body = Buffer.alloc(1024 * 1024, '[');
  assert.equal(scan.push(body), false);
  // Non-JSON bytes are no business of the scan: the parser refuses them.
  assert.equal(fits('\u00e9\u0000}}]]'), true);
});

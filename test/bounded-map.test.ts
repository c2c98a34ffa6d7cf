// The bounded map behind the token and ACL caches: the oldest entry goes when a new one would pass the limit.

import assert from 'node:assert/strict';
import {test} from 'node:test';
import {BoundedMap} from '../src/bounded-map.js';

test('a new key past the limit drops the oldest; setting a known key drops nothing', () => {
  const map = new BoundedMap<string, number>(2);
  map.set('a', 1).set('b', 2);
  map.set('b', 3);
  assert.deepEqual(
    [...map],
    [
      ['a', 1],
      ['b', 3],
    ],
  );
  map.set('c', 4);
  assert.deepEqual(
    [...map],
    [
      ['b', 3],
      ['c', 4],
    ],
  );
  map.delete('b');
  map.set('d', 5);
  assert.deepEqual(
    [...map],
    [
      ['c', 4],
      ['d', 5],
    ],
  );
});

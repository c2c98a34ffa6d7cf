import assert from 'node:assert/strict';
import {test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {derivedMaxConnections, MIN_CONNECTIONS, openFileLimit, ThrottledLine} from '../../src/http/connections.js';
import {recordingLog} from '../helpers/recording-log.js';

const LIMITS = (soft: string, hard: string) =>
  [
    'Limit                     Soft Limit           Hard Limit           Units     ',
    'Max processes             63704                63704                processes ',
    `Max open files            ${soft.padEnd(21)}${hard.padEnd(21)}files     `,
    'Max locked memory         8388608              8388608              bytes     ',
  ].join('\n');

test('the open-file limit is the soft one of /proc/self/limits', () => {
  assert.equal(openFileLimit(LIMITS('1024', '524288')), 1024);
  assert.equal(openFileLimit(LIMITS('unlimited', 'unlimited')), null);
  assert.equal(openFileLimit('nothing here'), null);
  const mine = openFileLimit();
  assert.ok(mine === null || mine > 0);
});

test('the default cap leaves the daemon its own files', () => {
  // 1024 - 64 - 4 × 1 hash worker - 4 SQLite files
  assert.equal(derivedMaxConnections(1024, 1, 4), 952);
  // PostgreSQL: the pool's connections
  assert.equal(derivedMaxConnections(1024, 3, 10), 938);
  assert.equal(derivedMaxConnections(60, 1, 4), MIN_CONNECTIONS);
});

test('a burst is one line, then one line per interval with the count', async () => {
  const log = recordingLog();
  const line = new ThrottledLine(log, 'refused connections', 30);
  line.note('over max_connections (10)', '192.0.2.1');
  for (let i = 0; i < 5; i++) line.note('over max_connections (10)', '192.0.2.2');
  line.note('over max_connections_per_address (4)', '192.0.2.3');
  assert.deepEqual(log.at('warning'), ['refused connections: 1 over max_connections (10); the last from 192.0.2.1']);
  while (log.at('warning').length < 2) await sleep(10);
  assert.equal(log.at('warning')[1], 'refused connections: 5 over max_connections (10), 1 over max_connections_per_address (4); the last from 192.0.2.3');
  await sleep(100);
  assert.equal(log.at('warning').length, 2, 'nothing more to say, nothing said');
  line.note('over max_connections (10)', '192.0.2.4');
  assert.equal(log.at('warning').length, 3, 'after a quiet interval, the next refusal is said at once');
  const accepting = new ThrottledLine(log, 'cannot accept connections', 30);
  accepting.note('EMFILE', '');
  assert.equal(log.at('warning')[3], 'cannot accept connections: 1 EMFILE');
});

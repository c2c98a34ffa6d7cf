// The publisher's stop does not wait out its poll: a stop that comes while the loop is busy
// (here at its first pass: connecting, looking at the outbox) ends the loop before it sleeps.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {test} from 'node:test';
import {BusPublisher} from '../../src/services/events/publisher.js';
import {openSqliteStore} from '../../src/store/sqlite/index.js';
import {amqpSkip, freshExchange, testAmqpUri} from '../helpers/amqp.js';
import {recordingLog} from '../helpers/recording-log.js';

test('a stop during the first pass ends the loop at once, though the poll is a minute', {skip: amqpSkip, timeout: 20_000}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wazo-auth-publisher-'));
  const store = await openSqliteStore(join(dir, 'auth.db'));
  try {
    const publisher = new BusPublisher(
      store.outbox,
      {uri: testAmqpUri!, exchangeName: freshExchange(), exchangeType: 'topic', maxAgeSeconds: 60, maxEvents: 10, pollMs: 60_000},
      recordingLog(),
    );
    publisher.start();
    // Before the loop's first pass is over: it has nothing to wake yet.
    await publisher.stop();
    assert.equal(publisher.status.connected, false);
  } finally {
    await store.close();
    rmSync(dir, {recursive: true, force: true});
  }
});

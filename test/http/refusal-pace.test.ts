// Refusals paced per client address (src/http/refusal-pace.ts): on a clock the test moves, then
// seen by clients at two loopback addresses.

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {Agent, request} from 'undici';
import {REFUSAL_BURST, RefusalPace} from '../../src/http/refusal-pace.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

function paced(perSecond: number, burst: number, maxWaitMs: number) {
  let now = 1_000;
  const pace = new RefusalPace(perSecond, burst, maxWaitMs, () => now);
  return {pace, advance: (ms: number) => (now += ms)};
}

test('a burst is answered at once, then one refusal per interval', () => {
  const {pace} = paced(10, 3, 10_000);
  const waits = Array.from({length: 6}, () => pace.wait('192.0.2.1'));
  assert.deepEqual(waits, [0, 0, 0, 100, 200, 300]);
});

test('each address has its own pace; an IPv6 /64 is one address', () => {
  const {pace} = paced(10, 1, 10_000);
  assert.deepEqual([pace.wait('192.0.2.1'), pace.wait('192.0.2.1')], [0, 100]);
  assert.equal(pace.wait('192.0.2.2'), 0);
  assert.deepEqual([pace.wait('2001:db8::1'), pace.wait('2001:db8::2')], [0, 100]);
  assert.equal(pace.wait('2001:db8:0:1::1'), 0);
});

test('time given back refills the burst', () => {
  const {pace, advance} = paced(10, 2, 10_000);
  assert.deepEqual([pace.wait('a'), pace.wait('a'), pace.wait('a')], [0, 0, 100]);
  advance(300);
  assert.deepEqual([pace.wait('a'), pace.wait('a'), pace.wait('a')], [0, 0, 100]);
});

test('past the longest wait a refusal is not answered, and does not push the others back', () => {
  const {pace} = paced(10, 1, 250);
  assert.deepEqual(
    Array.from({length: 5}, () => pace.wait('a')),
    [0, 100, 200, Infinity, Infinity],
  );
});

describe('a running daemon paces refusals per client address', () => {
  let td: TestDaemon;
  const agents = new Map<string, Agent>();

  before(async () => {
    td = await startTestDaemon();
  });
  after(async () => {
    await Promise.all([...agents.values()].map((agent) => agent.close()));
    await td.stop();
  });

  /** POST /0.1/token with a body nested 100 deep from `address`; its status and body. */
  async function deep(address: string): Promise<{status: number; text: string}> {
    let agent = agents.get(address);
    if (!agent) agents.set(address, (agent = new Agent({localAddress: address})));
    const res = await request(`${td.url}/0.1/token`, {
      method: 'POST',
      headers: {'content-type': 'application/json'},
      body: '['.repeat(100) + ']'.repeat(100),
      dispatcher: agent,
    });
    return {status: res.statusCode, text: await res.body.text()};
  }

  test('a poster at 127.0.0.2 waits its turn; a refusal to 127.0.0.3 is answered meanwhile', {timeout: 60_000}, async () => {
    const posts = 3 * REFUSAL_BURST;
    let answered = 0;
    const posted = Array.from({length: posts}, () => deep('127.0.0.2').then((answer) => (answered++, answer)));
    while (answered < REFUSAL_BURST) await new Promise((resolve) => setImmediate(resolve));
    const other = await deep('127.0.0.3');
    assert.equal(other.status, 400);
    assert.ok(answered < posts, `all ${posts} posts at 127.0.0.2 were answered before the one at 127.0.0.3`);
    for (const answer of await Promise.all(posted)) {
      assert.equal(answer.status, 400);
      assert.equal(JSON.parse(answer.text).message, 'The browser (or proxy) sent a request that this server could not understand.');
    }
  });
});

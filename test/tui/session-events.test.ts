// The Sessions view follows the bus: with a refresh of an hour, a login elsewhere shows at once
// through its auth_session_created event (RabbitMQ, the daemon publishing, followEvents listening).

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {followEvents, nameMatcher} from '../../src/cli/events-tail.js';
import {amqpSkip, freshExchange, testAmqpUri} from '../helpers/amqp.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {createUser} from '../helpers/users.js';
import {openDashboard} from './harness.js';

describe('the Sessions view on the bus', {skip: amqpSkip}, () => {
  let td: TestDaemon;
  const exchange = freshExchange();

  before(async () => {
    td = await startTestDaemon({config: {amqp: {uri: testAmqpUri, exchange_name: exchange, exchange_type: 'topic'}}});
    await createUser(td.daemon.services.store, {username: 'frank', password: 'frank-pass'});
  });
  after(() => td?.stop());

  test('a new session and a revoked one show without waiting for the refresh', async () => {
    const listeners = new Set<() => void>();
    const follower = await followEvents({
      uri: testAmqpUri!,
      exchange,
      exchangeType: 'topic',
      matches: nameMatcher(['auth_session_*']),
      onEvent: () => listeners.forEach((listener) => listener()),
    });
    const sessionEvents = {
      subscribe(listener: () => void) {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
    };
    const screen = await openDashboard(td, {refreshMs: 3_600_000, sessionEvents});
    try {
      assert.ok(!screen.frame().includes('agent-frank'));
      const session = await td.login('frank', 'frank-pass', {expiration: 3600}, {'user-agent': 'agent-frank'});
      await screen.waitFor('agent-frank');
      await td.call('DELETE', `/0.1/token/${session.token}`);
      await screen.waitFor((frame) => !frame.includes('agent-frank'));
    } finally {
      await screen.close();
      await follower.close();
    }
  });
});

// The outbox's bounds: with the broker away and more events than amqp.outbox_max_events, the
// oldest are dropped, said in an error line and counted; requests never fail for it.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {amqpSkip, consumeExchange, freshExchange, testAmqpUri, type BusConsumer, type Received} from '../helpers/amqp.js';
import {basic, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {recordingLog, type RecordingLog} from '../helpers/recording-log.js';
import {startTcpProxy, type TcpProxy} from '../helpers/tcp-proxy.js';
import {createUser} from '../helpers/users.js';

describe('a bounded outbox', {skip: amqpSkip}, () => {
  let td: TestDaemon;
  let bus: BusConsumer;
  let relay: TcpProxy;
  let log: RecordingLog;

  before(async () => {
    const broker = new URL(testAmqpUri!);
    relay = await startTcpProxy({host: broker.hostname, port: Number(broker.port || 5672)});
    await relay.set('refuse');
    const viaRelay = new URL(testAmqpUri!);
    viaRelay.port = String(relay.port);
    const exchange = freshExchange();
    bus = await consumeExchange(testAmqpUri!, exchange);
    log = recordingLog();
    td = await startTestDaemon({log, config: {amqp: {uri: viaRelay.toString(), exchange_name: exchange, exchange_type: 'topic', outbox_max_events: 3}}});
    await createUser(td.daemon.services.store, {username: 'erin', password: 'pw'});
  });
  after(async () => {
    await td?.stop();
    await bus?.close();
    await relay?.close();
  });

  test('the oldest events beyond the bound are dropped with an error line; the newest go out', async () => {
    const sessions: string[] = [];
    for (let i = 0; i < 8; i++) {
      const answer = await td.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic('erin', 'pw')}});
      assert.equal(answer.status, 200);
      sessions.push(answer.json.data.session_uuid);
    }
    // The publisher trims at each attempt to reach the broker (2 s, 4 s, ... apart).
    for (let tries = 0; (td.daemon.publisher?.status.dropped ?? 0) < 6 && tries < 300; tries++) await new Promise((r) => setTimeout(r, 100));
    assert.equal(td.daemon.publisher?.status.dropped, 6, 'the bootstrap login and the 5 oldest of these');
    // One line per trim that dropped some (the logins may straddle two trims).
    const said = log.at('error').flatMap((line) => /dropped the (\d+) oldest waiting events/.exec(line)?.[1] ?? []);
    assert.equal(
      said.reduce((sum, n) => sum + Number(n), 0),
      6,
      log.at('error').join('\n'),
    );
    const status = await td.call('GET', '/0.1/bus/status', {token: td.admin.token});
    assert.equal(status.json.bus_publisher.dropped, 6);
    assert.equal(status.json.bus_publisher.outbox_depth, 3);

    await relay.set('relay');
    const created = (m: Received) => m.headers['name'] === 'auth_session_created';
    // The newest three, then a marker: nothing else was left.
    await bus.waitFor(3, created, 60_000);
    const marker = await td.call('POST', '/0.1/tenants', {token: td.admin.token, body: {name: 'marker'}});
    await bus.waitFor(1, (m) => m.headers['tenant_uuid'] === marker.json.uuid);
    assert.deepEqual(
      bus.received.filter(created).map((m) => (m.body['data'] as {uuid: string}).uuid),
      sessions.slice(-3),
    );
  });
});

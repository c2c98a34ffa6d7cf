// The broker away, through a TCP relay the test cuts: requests go on answering, and every event
// arrives once it is back, in order, once each. Then expire_soon, told once, also after a restart.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {ManualClock} from '../../src/clock.js';
import {amqpSkip, consumeExchange, freshExchange, testAmqpUri, type BusConsumer, type Received} from '../helpers/amqp.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {startTcpProxy, type TcpProxy} from '../helpers/tcp-proxy.js';
import {createUser} from '../helpers/users.js';

const named = (name: string) => (m: Received) => m.headers['name'] === name;

describe('bus events across a broker outage', {skip: amqpSkip}, () => {
  let td: TestDaemon;
  let bus: BusConsumer;
  let relay: TcpProxy;
  // A quarter past a whole second: tokens expire on whole seconds, so the notice window is exact.
  const clock = new ManualClock(Math.floor(Date.now() / 1000) * 1e6 + 250_000);

  before(async () => {
    const broker = new URL(testAmqpUri!);
    relay = await startTcpProxy({host: broker.hostname, port: Number(broker.port || 5672)});
    const viaRelay = new URL(testAmqpUri!);
    viaRelay.port = String(relay.port);
    const exchange = freshExchange();
    bus = await consumeExchange(testAmqpUri!, exchange);
    td = await startTestDaemon({
      clock,
      config: {token_cleanup_interval: 1, amqp: {uri: viaRelay.toString(), exchange_name: exchange, exchange_type: 'topic'}},
    });
    await createUser(td.daemon.services.store, {username: 'carol', password: 'pw'});
    await bus.waitFor(1, named('auth_session_created'));
  });
  after(async () => {
    await td?.stop();
    await bus?.close();
    await relay?.close();
  });

  test('while the broker is unreachable, logins answer; afterwards each event arrives once, in order', async () => {
    await relay.set('refuse');
    const sessions: string[] = [];
    for (let i = 0; i < 30; i++) {
      const answer = await td.call('POST', '/0.1/token', {
        body: {expiration: 3600},
        headers: {authorization: 'Basic ' + Buffer.from('carol:pw').toString('base64')},
      });
      assert.equal(answer.status, 200);
      sessions.push(answer.json.data.session_uuid);
    }
    assert.ok((await td.daemon.services.store.outbox.depth()) >= 30, 'the events wait in the outbox');
    assert.equal(td.daemon.publisher?.status.connected, false);
    // HEAD /status stays 200 while the broker is away, as upstream's; GET /bus/status tells.
    assert.equal((await td.call('HEAD', '/0.1/status')).status, 200);
    const status = await td.call('GET', '/0.1/bus/status', {token: td.admin.token});
    assert.equal(status.json.bus_publisher.status, 'fail');
    assert.ok(status.json.bus_publisher.outbox_depth >= 30);
    await relay.set('relay');
    const before = bus.received.filter(named('auth_session_created')).length;
    const arrived = await bus.waitFor(before + 30, named('auth_session_created'), 60_000);
    const uuids = arrived.slice(before).map((m) => (m.body['data'] as {uuid: string}).uuid);
    assert.deepEqual(uuids, sessions, 'in the order of the logins, each once');
    assert.equal((await td.call('GET', '/0.1/bus/status', {token: td.admin.token})).json.bus_publisher.status, 'ok');
    // Nothing more is on its way: a marker event published afterwards is the next message.
    const marker = await td.call('POST', '/0.1/tenants', {token: td.admin.token, body: {name: 'marker'}});
    await bus.waitFor(1, (m) => m.headers['tenant_uuid'] === marker.json.uuid);
    assert.equal(
      new Set(bus.received.filter(named('auth_session_created')).map((m) => (m.body['data'] as {uuid: string}).uuid)).size,
      bus.received.filter(named('auth_session_created')).length,
      'no duplicate',
    );
  });

  test('expire_soon: once per session, at the cleanup interval before expiry, also after a restart', async () => {
    const answer = await td.call('POST', '/0.1/token', {
      body: {expiration: 120},
      headers: {authorization: 'Basic ' + Buffer.from('carol:pw').toString('base64')},
    });
    const session = answer.json.data.session_uuid as string;
    const userUuid = answer.json.data.auth_id as string;
    const forSession = (m: Received) => named('auth_session_expire_soon')(m) && (m.body['data'] as {uuid: string}).uuid === session;
    // Two minutes before expiry nothing is due; within the last interval (1 s), it is.
    assert.equal(await td.daemon.services.events.noticeExpiring(1, 100), 0);
    clock.advance(119.5);
    const [notice] = await bus.waitFor(1, forSession);
    assert.equal(notice!.routingKey, `auth.users.${userUuid}.sessions.${session}.expire_soon`);
    assert.equal(notice!.headers['session_uuid'], session);
    assert.equal(notice!.headers[`user_uuid:${userUuid}`], true);
    assert.deepEqual(notice!.body['data'], {uuid: session, user_uuid: userUuid, tenant_uuid: notice!.headers['tenant_uuid']});

    await td.restart();
    assert.equal(await td.daemon.services.events.noticeExpiring(1, 100), 0, 'a restarted daemon does not tell it again');
    const marker = await td.call('POST', '/0.1/tenants', {token: td.admin.token, body: {name: 'after restart'}});
    await bus.waitFor(1, (m) => m.headers['tenant_uuid'] === marker.json.uuid);
    assert.equal(bus.received.filter(forSession).length, 1);
  });
});

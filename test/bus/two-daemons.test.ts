// Two daemons on one PostgreSQL schema, both publishing: each event goes out once, whichever
// daemon wrote it and whichever drains the outbox.
import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {amqpSkip, consumeExchange, freshExchange, testAmqpUri, type BusConsumer, type Received} from '../helpers/amqp.js';
import {basic, call, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {freshSchema, pgSkip, testPgSettings, type TestSchema} from '../helpers/pg.js';
import {createUser} from '../helpers/users.js';

const skip = pgSkip || amqpSkip;
const named = (name: string) => (m: Received) => m.headers['name'] === name;

describe('two daemons on PostgreSQL publishing one outbox', {skip}, () => {
  let schema: TestSchema;
  let a: TestDaemon;
  let b: TestDaemon;
  let bus: BusConsumer;
  const exchange = freshExchange();

  before(async () => {
    schema = await freshSchema();
    bus = await consumeExchange(testAmqpUri!, exchange);
    const config = {
      db_uri: schema.uri,
      db_pool_size: testPgSettings.poolSize,
      db_statement_timeout_ms: testPgSettings.statementTimeoutMs,
      token_cleanup_interval: 1,
      amqp: {uri: testAmqpUri, exchange_name: exchange, exchange_type: 'topic'},
    };
    a = await startTestDaemon({config});
    b = await startTestDaemon({config, keyOf: a});
    await createUser(a.daemon.services.store, {username: 'dave', password: 'pw'});
  });
  after(async () => {
    await a?.stop();
    await b?.stop();
    await bus?.close();
    await schema?.drop();
  });

  test('logins spread over both daemons: each session_created arrives exactly once', async () => {
    const sessions: string[] = [];
    // Two at a time, one on each daemon: within the password-hash queue's bounds.
    for (let i = 0; i < 20; i++) {
      await Promise.all(
        [a, b].map(async (td) => {
          const answer = await call(td.url, 'POST', '/0.1/token', {body: {}, headers: {authorization: basic('dave', 'pw')}});
          assert.equal(answer.status, 200, answer.text);
          sessions.push(answer.json.data.session_uuid);
        }),
      );
    }
    const mine = (m: Received) => named('auth_session_created')(m) && sessions.includes((m.body['data'] as {uuid: string}).uuid);
    await bus.waitFor(40, mine, 60_000);
    // A marker written after them, published after them: nothing else of theirs is on its way.
    const marker = await a.call('POST', '/0.1/tenants', {token: a.admin.token, body: {name: 'marker'}});
    await bus.waitFor(1, (m) => m.headers['tenant_uuid'] === marker.json.uuid);
    const uuids = bus.received.filter(mine).map((m) => (m.body['data'] as {uuid: string}).uuid);
    assert.equal(uuids.length, 40);
    assert.deepEqual([...uuids].sort(), [...sessions].sort());
  });

  test('expire_soon is told once between the two daemons', async () => {
    const answer = await call(a.url, 'POST', '/0.1/token', {body: {expiration: 2}, headers: {authorization: basic('dave', 'pw')}});
    const session = answer.json.data.session_uuid as string;
    const forSession = (m: Received) => named('auth_session_expire_soon')(m) && (m.body['data'] as {uuid: string}).uuid === session;
    // Both sweep the same rows at once: the notice rows decide which one tells.
    const [byA, byB] = await Promise.all([a.daemon.services.events.noticeExpiring(5, 100), b.daemon.services.events.noticeExpiring(5, 100)]);
    assert.ok(byA + byB >= 1);
    await bus.waitFor(1, forSession);
    const marker = await b.call('POST', '/0.1/tenants', {token: b.admin.token, body: {name: 'marker 2'}});
    await bus.waitFor(1, (m) => m.headers['tenant_uuid'] === marker.json.uuid);
    assert.equal(bus.received.filter(forSession).length, 1);
  });
});

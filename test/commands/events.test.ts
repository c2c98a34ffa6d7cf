// `wazo-auth events tail` through the built binary, against the machine's RabbitMQ and a daemon
// publishing on an exchange of the test's own.

import assert from 'node:assert/strict';
import {spawn} from 'node:child_process';
import {after, before, describe, test} from 'node:test';
import {amqpSkip, freshExchange, testAmqpUri} from '../helpers/amqp.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {BIN, newOperator, type Operator, type Run} from '../cli/binary.js';

let td: TestDaemon;
let op: Operator;
const exchange = freshExchange();

/** Starts `events tail`, waits until it listens, runs `act`, and returns the finished run. */
async function tail(args: string[], act: () => Promise<void>, env: Record<string, string> = {}): Promise<Run> {
  const base: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('WAZO_AUTH_')) base[name] = value;
  const child = spawn(process.execPath, [BIN, 'events', 'tail', '--exchange', exchange, ...args], {
    env: {...base, HOME: op.home, XDG_CONFIG_HOME: `${op.home}/.config`, WAZO_AUTH_AMQP_URI: testAmqpUri!, ...env},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  const listening = new Promise<void>((resolve) =>
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      if (stderr.includes('listening on')) resolve();
    }),
  );
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  await Promise.race([listening, closed]);
  await act();
  const status = await closed;
  clearTimeout(timer);
  return {status, stdout, stderr};
}

describe('events tail', {skip: amqpSkip}, () => {
  before(async () => {
    td = await startTestDaemon({config: {amqp: {uri: testAmqpUri, exchange_name: exchange, exchange_type: 'topic'}}});
    op = newOperator();
  });
  after(async () => {
    op?.remove();
    await td?.stop();
  });

  test('--name and --json: one JSON object a line, the matching events only, until --count', async () => {
    let uuid = '';
    const r = await tail(['--name', 'auth_tenant_*', '--json', '--count', '2'], async () => {
      await td.login('admin', td.admin.password); // auth_session_created: not shown
      uuid = (await td.call('POST', '/0.1/tenants', {token: td.admin.token, body: {name: 'tailed'}})).json.uuid;
      await td.call('PUT', `/0.1/tenants/${uuid}`, {token: td.admin.token, body: {name: 'tailed again'}});
    });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      lines.map((e) => [e.name, e.routing_key, e.data]),
      [
        ['auth_tenant_added', `auth.tenants.${uuid}.created`, {uuid, name: 'tailed', slug: lines[0].data.slug, domain_names: []}],
        ['auth_tenant_updated', `auth.tenants.${uuid}.updated`, {uuid, name: 'tailed again'}],
      ],
    );
    assert.equal(lines[0].headers.tenant_uuid, uuid);
    assert.ok(!r.stderr.includes('guest:guest'), 'the password is not shown');
  });

  test('text: time, name, routing key and data on one line', async () => {
    const r = await tail(['--count', '1'], async () => {
      await td.login('admin', td.admin.password);
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^\d{4}-\d\d-\d\dT[\d:.]+  auth_session_created  auth\.sessions\.[0-9a-f-]+\.created  \{"uuid":/);
  });

  test('a password on the command line is refused; an unreachable broker exits 3', async () => {
    const inArgv = await tail(['--bus', 'amqp://guest:secret@127.0.0.1:1/'], async () => undefined);
    assert.equal(inArgv.status, 2);
    assert.match(inArgv.stderr, /WAZO_AUTH_AMQP_URI/);
    const away = await tail([], async () => undefined, {WAZO_AUTH_AMQP_URI: 'amqp://guest:guest@127.0.0.1:1/'});
    assert.equal(away.status, 3);
    assert.match(away.stderr, /cannot listen on amqp:\/\/guest:\*\*\*\*\*\*\*\*@127\.0\.0\.1:1\//);
  });
});

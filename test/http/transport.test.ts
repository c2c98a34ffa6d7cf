// The daemon's transport under hostile clients: connection caps, deep and oversized bodies,
// aborted uploads, clients that stop reading, forwarded addresses, errors that must not end
// the process, and what token answers tell caches.

import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {request} from 'node:http';
import {connect, type Socket} from 'node:net';
import {after, before, describe, test} from 'node:test';
import {setTimeout as sleep} from 'node:timers/promises';
import {promisify} from 'node:util';
import {basic, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {recordingLog, type RecordingLog} from '../helpers/recording-log.js';

const run = promisify(execFile);
const BAD_BODY = {message: 'The browser (or proxy) sent a request that this server could not understand.'};
const TOO_LARGE = {message: 'The data value transmitted exceeds the capacity limit.'};

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** One request over a connection of its own, from `localAddress`; a body without length goes chunked. */
function rawCall(
  port: number,
  options: {method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean; localAddress?: string},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {...options.headers};
    if (options.body !== undefined && !options.chunked) headers['content-length'] = String(Buffer.byteLength(options.body));
    const req = request(
      {host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers, agent: false, localAddress: options.localAddress},
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({status: res.statusCode ?? 0, headers: res.headers, text, json});
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function openSocket(port: number, localAddress: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({host: '127.0.0.1', port, localAddress}, () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends a request on the socket: 'answered' when an answer starts, 'closed' when the daemon closes it first. */
function probe(socket: Socket): Promise<'answered' | 'closed'> {
  return new Promise((resolve) => {
    socket.once('data', () => resolve('answered'));
    socket.once('close', () => resolve('closed'));
    socket.on('error', () => undefined);
    socket.write('GET /0.1/backends HTTP/1.1\r\nHost: x\r\n\r\n');
  });
}

/** `n` connections from `localAddress` that the daemon took (places freed a moment ago may still count). */
async function holdPlaces(port: number, localAddress: string, n: number): Promise<Socket[]> {
  const held: Socket[] = [];
  while (held.length < n) {
    const socket = await openSocket(port, localAddress);
    if ((await probe(socket)) === 'answered') held.push(socket);
    else await sleep(50);
  }
  return held;
}

async function waitFor(what: string, condition: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`still waiting, after ${ms} ms, for ${what}`);
    await sleep(20);
  }
}

function openConnections(td: TestDaemon): Promise<number> {
  return new Promise((resolve, reject) => td.daemon.server.getConnections((error, count) => (error ? reject(error) : resolve(count))));
}

let td: TestDaemon;
let log: RecordingLog;
const PER_ADDRESS = 4;
const SEND_TIMEOUT_MS = 1000;

before(async () => {
  log = recordingLog();
  td = await startTestDaemon({
    log,
    config: {
      rest_api: {
        send_timeout_ms: SEND_TIMEOUT_MS,
        max_connections_per_address: PER_ADDRESS,
        // 127.0.0.1 plays the proxy; 127.0.0.2 and 127.0.0.3 are clients talking directly.
        trusted_proxies: ['127.0.0.1'],
      },
    },
  });
});
after(() => td.stop());

describe('bodies', () => {
  const deep = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

  test('nesting deeper than 32 is refused as a bad body, before any schema', async () => {
    // {"expiration": ...} is one level: 31 more make 32, accepted by the scan and refused by the schema.
    const accepted = await td.call('POST', '/0.1/token', {rawBody: `{"expiration": ${deep(31)}}`, headers: {'content-type': 'application/json'}});
    assert.equal(accepted.status, 400);
    assert.ok(Array.isArray(accepted.json.reason), `the schema's answer: ${accepted.text}`);
    const refused = await td.call('POST', '/0.1/token', {rawBody: `{"expiration": ${deep(32)}}`, headers: {'content-type': 'application/json'}});
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.json, BAD_BODY);
    const resource = await td.call('POST', '/0.1/users', {
      token: td.admin.token,
      rawBody: `{"username": ${deep(33)}}`,
      headers: {'content-type': 'application/json'},
    });
    assert.deepEqual([resource.status, resource.json], [400, BAD_BODY]);
  });

  test('brackets inside strings are text, escapes included', async () => {
    const scopes = ['['.repeat(100), '{'.repeat(100), '\\"' + '['.repeat(40), '\\'];
    const r = await td.call('POST', `/0.1/token/${td.admin.token}/scopes/check`, {body: {scopes}});
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.json.scopes).sort(), [...scopes].sort());
  });

  test('a megabyte of [ is refused at once, with or without a length', async () => {
    const body = Buffer.alloc(1024 * 1024 - 1, '[');
    for (const chunked of [false, true]) {
      const r = await rawCall(td.daemon.port, {
        method: 'POST',
        path: '/0.1/users',
        headers: {'x-auth-token': td.admin.token, 'content-type': 'application/json'},
        body,
        chunked,
      });
      assert.deepEqual([r.status, r.json], [400, BAD_BODY], chunked ? 'chunked' : 'with Content-Length');
    }
    assert.equal((await td.call('GET', '/0.1/backends')).status, 200);
  });

  test('POST /token takes 64 KiB at most', async () => {
    const auth = {authorization: basic(td.admin.username, td.admin.password), 'content-type': 'application/json'};
    const fill = (size: number) => {
      const start = '{"expiration": 60}';
      return start + ' '.repeat(size - start.length);
    };
    const exact = await td.call('POST', '/0.1/token', {rawBody: fill(64 * 1024), headers: auth});
    assert.equal(exact.status, 200, exact.text);
    const over = await td.call('POST', '/0.1/token', {rawBody: fill(64 * 1024 + 1), headers: auth});
    assert.deepEqual([over.status, over.json], [413, TOO_LARGE]);
    const chunked = await rawCall(td.daemon.port, {method: 'POST', path: '/0.1/token', headers: auth, body: fill(200 * 1024), chunked: true});
    assert.deepEqual([chunked.status, chunked.json], [413, TOO_LARGE]);
    // Other routes keep rest_api.max_body_bytes: some 90 KiB within the ACL limits.
    const acl = Array.from({length: 450}, (_, i) => `some.access.${i}.${'x'.repeat(180)}`);
    const policy = await td.call('POST', '/0.1/policies', {token: td.admin.token, body: {name: 'big', acl}});
    assert.ok(JSON.stringify(acl).length > 64 * 1024);
    assert.equal(policy.status, 200, policy.text.slice(0, 200));
  });

  test('a client that goes on sending a refused body is cut off after 256 KiB more', async () => {
    const socket = await openSocket(td.daemon.port, '127.0.0.1');
    let answer = '';
    let closed = false;
    socket.on('data', (c: Buffer) => (answer += c.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => (closed = true));
    socket.write(`POST /0.1/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${100 * 1024 * 1024}\r\n\r\n`);
    await waitFor('the 413', () => answer.length > 0);
    assert.match(answer, /^HTTP\/1\.1 413 /);
    const chunk = Buffer.alloc(64 * 1024, ' ');
    let sent = 0;
    while (!closed && sent < 100 * 1024 * 1024) {
      if (!socket.write(chunk)) await Promise.race([new Promise((r) => socket.once('drain', r)), sleep(200)]);
      sent += chunk.length;
    }
    await waitFor('the connection closed', () => closed);
    assert.ok(sent < 100 * 1024 * 1024, `the daemon took all ${sent} bytes`);
  });

  test('clients that hang up on their 413 leave no connection behind', async () => {
    await waitFor('the test client connections to go', async () => (await openConnections(td)) === 0);
    // As an HTTP client does: the answer comes while the body is still being sent, and the
    // client closes its connection with the body unsent. In a process of its own, as the race
    // that once left such sockets open for good needs client and daemon truly side by side.
    const client = `
      const {request, Agent} = require('node:http');
      const body = Buffer.alloc(1024 * 1024, '[');
      const agent = new Agent({keepAlive: false, maxSockets: 2});
      let answers = 0, resets = 0, stop = false;
      const post = () => new Promise((done) => {
        const req = request({agent, host: '127.0.0.1', port: ${td.daemon.port}, method: 'POST', path: '/0.1/token',
          headers: {'content-type': 'application/json', 'content-length': body.length}}, (res) => {
          res.resume();
          res.on('end', () => { if (res.statusCode === 413) answers++; done(); });
        });
        req.on('error', () => { resets++; done(); });
        req.end(body);
      });
      const loop = async () => { while (!stop) await post(); };
      Promise.all([loop(), loop()]).then(() => { agent.destroy(); console.log(JSON.stringify({answers, resets})); });
      setTimeout(() => (stop = true), 2000);
    `;
    const {stdout} = await run(process.execPath, ['-e', client], {timeout: 30_000});
    const {answers} = JSON.parse(stdout) as {answers: number};
    assert.ok(answers > 0);
    await waitFor('the daemon to close every connection', async () => (await openConnections(td)) === 0);
  });
});

describe('aborted requests', () => {
  async function abortUpload(path: string, headers: string): Promise<void> {
    const socket = await openSocket(td.daemon.port, '127.0.0.1');
    socket.write(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${headers}Content-Length: 100\r\n\r\n{"exp`);
    await sleep(50);
    socket.destroy();
  }

  test('a client closing mid-body is a debug line, not an error nor a 500', async () => {
    const before = log.lines.length;
    await abortUpload('/0.1/token', '');
    await abortUpload('/0.1/users', `X-Auth-Token: ${td.admin.token}\r\n`);
    await waitFor('two access lines saying aborted', () => log.lines.slice(before).filter((l) => / aborted /.test(l.message)).length === 2);
    const since = log.lines.slice(before);
    assert.deepEqual(
      since.filter((l) => l.level !== 'debug' && l.level !== 'info'),
      [],
    );
    const access = since.filter((l) => l.message.includes('"POST /0.1/'));
    assert.equal(access.length, 2);
    for (const line of access) {
      assert.equal(line.level, 'debug');
      assert.match(line.message, /^127\.0\.0\.1 "POST \/0\.1\/(token|users)" aborted \d/);
    }
    assert.equal((await td.call('GET', '/0.1/backends')).status, 200);
  });
});

describe('clients that stop reading', () => {
  test('are cut off after send_timeout_ms, their connection closed', async () => {
    await waitFor('the test client connections to go', async () => (await openConnections(td)) === 0);
    const sockets: Socket[] = [];
    for (let i = 0; i < 3; i++) {
      const socket = await openSocket(td.daemon.port, '127.0.0.1');
      socket.on('error', () => undefined);
      // Never read: 300 answers of ~95 kB fill the kernel's buffers, then the daemon's.
      socket.write('GET /0.1/api/api.yml HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(300));
      socket.pause();
      sockets.push(socket);
    }
    assert.ok((await openConnections(td)) > 0, 'the daemon took them');
    await waitFor('the daemon to close them', async () => (await openConnections(td)) === 0, 10 * SEND_TIMEOUT_MS + 5_000);
    for (const socket of sockets) socket.destroy();
    assert.equal((await td.call('GET', '/0.1/backends')).status, 200);
  });

  test('a client reading its answers is not cut off', async () => {
    const r = await rawCall(td.daemon.port, {path: '/0.1/api/api.yml'});
    assert.equal(r.status, 200);
    assert.ok(r.text.length > 50_000);
  });
});

describe('connection caps', () => {
  test('past max_connections_per_address, a client is closed at once; other clients and the proxy still get in', async () => {
    const held = await holdPlaces(td.daemon.port, '127.0.0.2', PER_ADDRESS);
    try {
      const before = log.lines.length;
      const extra = await openSocket(td.daemon.port, '127.0.0.2');
      assert.equal(await probe(extra), 'closed');
      assert.equal((await rawCall(td.daemon.port, {path: '/0.1/backends', localAddress: '127.0.0.3'})).status, 200);
      const proxied: Socket[] = [];
      for (let i = 0; i < PER_ADDRESS + 2; i++) proxied.push(await openSocket(td.daemon.port, '127.0.0.1'));
      assert.deepEqual(
        await Promise.all(proxied.map(probe)),
        proxied.map(() => 'answered'),
        'a trusted proxy is not capped',
      );
      for (const socket of proxied) socket.destroy();
      const warnings = log.lines.slice(before).filter((l) => l.level === 'warning');
      assert.deepEqual(
        warnings.map((l) => l.message),
        [`refused connections: 1 over max_connections_per_address (${PER_ADDRESS}); the last from 127.0.0.2`],
      );
      // A closed connection frees its place.
      held.pop()!.destroy();
      const [again] = await holdPlaces(td.daemon.port, '127.0.0.2', 1);
      again!.destroy();
    } finally {
      for (const socket of held) socket.destroy();
    }
  });

  test('a flood of refusals is a few lines, not one per connection', async () => {
    const held = await holdPlaces(td.daemon.port, '127.0.0.2', PER_ADDRESS);
    const before = log.lines.length;
    try {
      for (let i = 0; i < 50; i++) assert.equal(await probe(await openSocket(td.daemon.port, '127.0.0.2')), 'closed');
    } finally {
      for (const socket of held) socket.destroy();
    }
    assert.ok(log.lines.slice(before).filter((l) => l.level === 'warning').length <= 2);
  });

  test('max_connections closes what comes past it, as it is accepted', async () => {
    const capLog = recordingLog();
    const small = await startTestDaemon({log: capLog, config: {rest_api: {max_connections: 3, keep_alive_timeout_ms: 100}}});
    const held: Socket[] = [];
    try {
      assert.ok(
        capLog.at('info').some((m) => /^open-file limit \d+; max_connections 3 \(configured\), 64 per address$/.test(m)),
        capLog.at('info').join('\n'),
      );
      await waitFor('the test client connections to go', async () => (await openConnections(small)) === 0);
      for (let i = 0; i < 3; i++) held.push(await openSocket(small.daemon.port, '127.0.0.1'));
      await waitFor('three open connections', async () => (await openConnections(small)) === 3);
      assert.equal(await probe(await openSocket(small.daemon.port, '127.0.0.1')), 'closed');
      assert.equal(await probe(held[0]!), 'answered');
      await waitFor('the refusal logged', () => capLog.at('warning').some((m) => m.startsWith('refused connections: 1 over max_connections (3)')));
    } finally {
      for (const socket of held) socket.destroy();
      await small.stop();
    }
  });

  test("by default, the cap is the open-file limit less the daemon's own files, and said at start", () => {
    const line = log.at('info').find((m) => m.startsWith('open-file limit'));
    assert.match(line ?? '', /^open-file limit \d+; max_connections \d+ \(the limit less the daemon's own files\), 4 per address$/);
  });
});

describe('client addresses', () => {
  async function loginFrom(localAddress: string, forwarded?: string): Promise<string> {
    const headers: Record<string, string> = {authorization: basic(td.admin.username, td.admin.password), 'content-type': 'application/json'};
    if (forwarded !== undefined) headers['x-forwarded-for'] = forwarded;
    const r = await rawCall(td.daemon.port, {method: 'POST', path: '/0.1/token', headers, body: '{}', localAddress});
    assert.equal(r.status, 200, r.text);
    const token = await td.call('GET', `/0.1/token/${r.json.data.token}`);
    assert.equal(token.json.data.remote_addr, r.json.data.remote_addr);
    return r.json.data.remote_addr;
  }

  test('X-Forwarded-For is believed from a trusted proxy only, right-most untrusted hop first', async () => {
    assert.equal(await loginFrom('127.0.0.1'), '127.0.0.1');
    assert.equal(await loginFrom('127.0.0.1', '203.0.113.7'), '203.0.113.7');
    assert.equal(await loginFrom('127.0.0.1', '198.51.100.1, 203.0.113.7'), '203.0.113.7');
    assert.equal(await loginFrom('127.0.0.1', '203.0.113.7, 127.0.0.1'), '203.0.113.7');
    assert.equal(await loginFrom('127.0.0.1', 'not an address'), '127.0.0.1');
    assert.equal(await loginFrom('127.0.0.2', '203.0.113.7'), '127.0.0.2');
    assert.equal(await loginFrom('127.0.0.2', '127.0.0.1'), '127.0.0.2');
  });

  test('sessions show the same address', async () => {
    const addr = await loginFrom('127.0.0.1', '192.0.2.44');
    const sessions = await td.call('GET', `/0.1/users/${td.admin.uuid}/sessions?limit=1000`, {token: td.admin.token});
    assert.ok(sessions.json.items.some((s: {remote_addr: string}) => s.remote_addr === addr));
  });
});

describe('token answers and caches', () => {
  test('answers holding a token say Cache-Control: no-store', async () => {
    const login = await td.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic(td.admin.username, td.admin.password)}});
    assert.equal(login.headers['cache-control'], 'no-store');
    const failed = await td.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic(td.admin.username, 'wrong')}});
    assert.equal(failed.status, 401);
    assert.equal(failed.headers['cache-control'], 'no-store');
    const read = await td.call('GET', `/0.1/token/${login.json.data.token}`);
    assert.equal(read.headers['cache-control'], 'no-store');
    assert.equal((await td.call('GET', '/0.1/backends')).headers['cache-control'], undefined);
  });
});

describe('what cannot be read', () => {
  test('a request HTTP cannot parse gets a 400 and a closed connection, no error logged', async () => {
    const before = log.lines.length;
    const socket = await openSocket(td.daemon.port, '127.0.0.1');
    const answer = await new Promise<string>((resolve) => {
      let text = '';
      socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
      socket.on('close', () => resolve(text));
      socket.write('NOT HTTP AT ALL\r\n\r\n');
    });
    assert.match(answer, /^HTTP\/1\.1 400 BAD REQUEST\r\n/);
    assert.deepEqual(
      log.lines.slice(before).filter((l) => l.level !== 'debug'),
      [],
    );
  });
});

describe('failures end the request, never the daemon', () => {
  test('a log that throws costs the request its connection, and the daemon goes on', async () => {
    const failing = recordingLog();
    let broken = false;
    for (const level of ['debug', 'info', 'warning', 'error', 'critical'] as const) {
      const write = failing[level];
      failing[level] = (m: string) => {
        if (broken) throw Object.assign(new Error('EMFILE: too many open files'), {code: 'EMFILE'});
        write(m);
      };
    }
    const fragile = await startTestDaemon({log: failing});
    try {
      broken = true;
      // A failed login logs (info), whose error is then logged (error): both throw.
      await assert.rejects(fragile.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic('nobody', 'wrong')}}));
      // The access line (debug) throws after the answer went out: the answer stands.
      assert.equal((await fragile.call('GET', '/0.1/backends')).status, 200);
      broken = false;
      assert.equal((await fragile.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic('nobody', 'wrong')}})).status, 401);
    } finally {
      broken = false;
      await fragile.stop();
    }
  });
});

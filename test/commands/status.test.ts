// `wazo-auth status` through the built binary: a daemon that works, one that fails, one that is
// not there, and what is printed on a terminal and off it.

import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {readFileSync} from 'node:fs';
import {createServer, type RequestListener, type Server} from 'node:http';
import {after, before, describe, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {BIN, capture, newOperator, type Operator} from '../cli/binary.js';

let td: TestDaemon;
let op: Operator;

before(async () => {
  td = await startTestDaemon();
  op = newOperator();
});
after(async () => {
  op.remove();
  await td.stop();
});

/** A plain HTTP server on a free port, for answers no wazo-auth daemon gives. */
async function fakeServer(handler: RequestListener): Promise<{url: string; server: Server}> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {url: `http://127.0.0.1:${(server.address() as {port: number}).port}`, server};
}

describe('a daemon that answers', () => {
  test('a table, no escape codes off a terminal', async () => {
    const r = await op.run(['status', '--url', td.url]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.ok(!r.stdout.includes('\x1b'));
    assert.match(r.stdout, new RegExp(`^url: ${td.url}$`, 'm'));
    assert.match(r.stdout, /^status: ok$/m);
    assert.match(r.stdout, /^version: \d+\.\d+\.\d+$/m);
  });

  test('plain: "ok" alone; JSON: the url, status and time', async () => {
    assert.equal((await op.run(['status', '--url', td.url, '--format', 'plain'])).stdout, 'ok\n');
    const json = JSON.parse((await op.run(['status', '--url', td.url, '--json'])).stdout);
    assert.equal(json.url, td.url);
    assert.equal(json.status, 'ok');
    assert.equal(json.version, JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')).version);
    assert.equal(typeof json.response_ms, 'number');
    assert.match(
      (await op.run(['status', '--url', td.url, '--format', 'yaml'])).stdout,
      /^url: http:\/\/127\.0\.0\.1:\d+\nstatus: ok\nversion: \S+\nresponse_ms: \d+\n$/,
    );
  });

  test('WAZO_AUTH_URL gives the URL; --url wins over it', async () => {
    assert.equal((await op.run(['status', '--format', 'plain'], {env: {WAZO_AUTH_URL: td.url}})).status, 0);
    const r = await op.run(['status', '--url', td.url, '--format', 'plain'], {env: {WAZO_AUTH_URL: 'http://127.0.0.1:1'}});
    assert.equal(r.status, 0, r.stderr);
  });

  const hasScript = spawnSync('sh', ['-c', 'command -v script']).status === 0;
  test('on a terminal the table has colours, unless NO_COLOR', {skip: hasScript ? false : 'util-linux script is not installed'}, async () => {
    const onTerminal = (env: Record<string, string>) =>
      capture('script', ['-qec', `"${process.execPath}" "${BIN}" status --url ${td.url}`, '/dev/null'], {...process.env, HOME: op.home, ...env});
    const coloured = await onTerminal({});
    assert.equal(coloured.status, 0, coloured.stderr);
    assert.ok(coloured.stdout.includes('\x1b['), 'colours on a terminal');
    const plain = await onTerminal({NO_COLOR: '1'});
    assert.equal(plain.status, 0, plain.stderr);
    assert.match(plain.stdout, /^status: ok\r?$/m);
    assert.ok(!plain.stdout.includes('\x1b['), JSON.stringify(plain.stdout));
  });
});

describe('a daemon that does not answer, or not as wazo-auth', () => {
  test('a closed port: exit 3, one line on stderr, nothing on stdout', async () => {
    const r = await op.run(['status', '--url', 'http://127.0.0.1:1']);
    assert.equal(r.status, 3);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, 'Error: cannot reach http://127.0.0.1:1: connection refused\n');
  });

  test('a closed port under --json: the error as JSON on stdout', async () => {
    const r = await op.run(['status', '--url', 'http://127.0.0.1:1', '--json']);
    assert.equal(r.status, 3);
    assert.deepEqual(JSON.parse(r.stdout), {error: {message: 'cannot reach http://127.0.0.1:1: connection refused', exit_code: 3, code: 'ECONNREFUSED'}});
  });

  test('a component failing (503): exit 1, the daemon answered no', async () => {
    const {url, server} = await fakeServer((_req, res) => res.writeHead(503).end());
    try {
      const r = await op.run(['status', '--url', url, '--json']);
      assert.equal(r.status, 1);
      assert.deepEqual(JSON.parse(r.stdout).error, {message: `${url} answers, but a component fails (503)`, exit_code: 1, status: 503, response: null});
    } finally {
      server.close();
    }
  });

  test('some other web server: exit 3', async () => {
    const {url, server} = await fakeServer((_req, res) => res.writeHead(404, {'content-type': 'text/html'}).end('<html>not here</html>'));
    try {
      const r = await op.run(['status', '--url', url]);
      assert.equal(r.status, 3);
      assert.equal(r.stderr, `Error: ${url} does not answer as a wazo-auth daemon (404)\n`);
    } finally {
      server.close();
    }
  });

  test('no URL anywhere: a usage error', async () => {
    const r = await op.run(['status']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no daemon URL: pass --url URL, set WAZO_AUTH_URL/);
  });

  test('a URL that is not one: a usage error', async () => {
    const r = await op.run(['status', '--url', 'ftp://example.com']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /http:\/\/ or https:\/\//);
  });
});

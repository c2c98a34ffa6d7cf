// How calls fail: the daemon's refusals as ApiError, and every way of getting no usable answer
// (refused, unknown host, timeout, TLS, something that is not the API) as ConnectionError.

import assert from 'node:assert/strict';
import {writeFileSync} from 'node:fs';
import {createServer as createHttpServer, type Server} from 'node:http';
import {createServer, type Server as NetServer} from 'node:net';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {ApiError, AuthClient, ClientOptionError, ConnectionError} from '../../src/client/index.js';
import {startHttpsDaemon, type HttpsDaemon} from '../compat/https-daemon.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;
let client: AuthClient;

before(async () => {
  td = await startTestDaemon();
  client = new AuthClient({url: td.url, token: td.admin.token});
});

after(async () => {
  await client.close();
  await td.stop();
});

function isConnectionError(code: string | RegExp, message?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof ConnectionError, `a ConnectionError, not ${String(error)}`);
    if (typeof code === 'string') assert.equal(error.code, code);
    else assert.match(error.code ?? '', code);
    if (message) assert.match(error.message, message);
    return true;
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as {port: number};
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function listening<S extends Server | NetServer>(server: S): Promise<{server: S; url: string}> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {server, url: `http://127.0.0.1:${(server.address() as {port: number}).port}`};
}

async function withClient(options: ConstructorParameters<typeof AuthClient>[0], use: (c: AuthClient) => Promise<void>) {
  const c = new AuthClient(options);
  try {
    await use(c);
  } finally {
    await c.close();
  }
}

describe('the daemon says no: ApiError', () => {
  test('401 without a token, with error_id and details', async () => {
    await withClient({url: td.url}, async (anonymous) => {
      await assert.rejects(anonymous.users.list(), (error: unknown) => {
        assert.ok(error instanceof ApiError);
        assert.equal(error.status, 401);
        assert.equal(error.errorId, 'unauthorized');
        assert.equal(error.message, 'Unauthorized');
        assert.equal(error.details?.required_access, 'auth.users.read');
        return true;
      });
    });
  });

  test('401 with a revoked token', async () => {
    const token = await client.tokens.create({username: td.admin.username, password: td.admin.password});
    await client.tokens.revoke(token.token);
    await withClient({url: td.url, token: token.token}, async (revoked) => {
      await assert.rejects(
        revoked.users.list(),
        (error: unknown) => error instanceof ApiError && error.status === 401 && error.details?.reason === 'not_found_or_expired',
      );
    });
  });

  test('404 with the resource error id', async () => {
    await assert.rejects(
      client.groups.get('00000000-0000-4000-8000-000000000000'),
      (error: unknown) => error instanceof ApiError && error.status === 404 && error.errorId === 'unknown-group',
    );
  });

  test('409 conflict', async () => {
    await client.tenants.create({slug: 'clash'});
    await assert.rejects(
      client.tenants.create({slug: 'clash'}),
      (error: unknown) => error instanceof ApiError && error.status === 409 && error.errorId === 'conflict',
    );
  });

  test('a path the API does not serve (a user named by something else than a uuid) is a 404 with its status text', async () => {
    await assert.rejects(client.users.get('alice'), (error: unknown) => {
      assert.ok(error instanceof ApiError);
      assert.equal(error.status, 404);
      assert.equal(error.message, '404 Not Found');
      assert.equal(error.errorId, undefined);
      assert.match(String(error.body), /Not Found/);
      return true;
    });
  });
});

describe('no usable answer: ConnectionError', () => {
  test('a closed port', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    await withClient({url}, async (c) => {
      await assert.rejects(c.status.check(), isConnectionError('ECONNREFUSED', new RegExp(`cannot reach ${url}: connection refused`)));
    });
  });

  test('an unknown host', async () => {
    await withClient({url: 'https://wazo-auth.invalid', timeoutMs: 5000}, async (c) => {
      await assert.rejects(c.status.check(), isConnectionError(/^(ENOTFOUND|EAI_AGAIN)$/, /unknown host wazo-auth\.invalid/));
    });
  });

  test('no answer in time', async (t) => {
    const sockets: import('node:net').Socket[] = [];
    const {server, url} = await listening(createServer((socket) => sockets.push(socket)));
    t.after(() => {
      for (const socket of sockets) socket.destroy();
      server.close();
    });
    await withClient({url, timeoutMs: 300}, async (c) => {
      const started = Date.now();
      await assert.rejects(c.users.list(), isConnectionError('ETIMEDOUT', /no answer from .* within 0\.3 s/));
      assert.ok(Date.now() - started < 3000);
    });
  });

  test('a connection closed without an answer', async (t) => {
    const {server, url} = await listening(createServer((socket) => socket.destroy()));
    t.after(() => server.close());
    await withClient({url}, async (c) => {
      await assert.rejects(c.status.check(), isConnectionError(/^ECONNRESET$/, /cannot talk to/));
    });
  });

  test('something that is not the API: a web page, a redirect', async (t) => {
    const {server, url} = await listening(
      createHttpServer((req, res) => {
        if (req.url!.startsWith('/old/')) res.writeHead(301, {location: 'https://auth.example.com/'}).end();
        else res.writeHead(200, {'content-type': 'text/html'}).end('<html>welcome</html>');
      }),
    );
    t.after(() => server.close());
    await withClient({url}, async (c) => {
      await assert.rejects(c.users.list(), (error: unknown) => error instanceof ConnectionError && /is it a wazo-auth daemon\?/.test(error.message));
    });
    await withClient({url: `${url}/old`}, async (c) => {
      await assert.rejects(
        c.users.list(),
        (error: unknown) => error instanceof ConnectionError && /redirects to https:\/\/auth\.example\.com\//.test(error.message),
      );
    });
  });

  test('the message names the daemon, never the token or the password sent', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const secret = '0b8fd0b6-1111-4222-8333-444455556666';
    await withClient({url, token: secret}, async (c) => {
      for (const call of [c.tokens.get(secret), c.users.list(), c.tokens.create({username: 'admin', password: 'hunter2-secret'})]) {
        await assert.rejects(call, (error: unknown) => {
          assert.ok(error instanceof ConnectionError);
          assert.ok(!error.message.includes(secret) && !error.message.includes('hunter2'));
          return true;
        });
      }
    });
  });
});

describe('HTTPS with a self-signed certificate, under a prefix', () => {
  let https: HttpsDaemon;

  before(async () => {
    https = await startHttpsDaemon();
  });
  after(() => https.stop());

  test('refused without the CA or --insecure', async () => {
    await withClient({url: https.base}, async (c) => {
      await assert.rejects(c.status.check(), isConnectionError('DEPTH_ZERO_SELF_SIGNED_CERT', /TLS certificate is not trusted/));
    });
  });

  test('insecure skips the verification; the URL may end in /0.1/', async () => {
    await withClient({url: `${https.base}/0.1/`, insecure: true}, async (c) => {
      assert.equal(c.url, https.base);
      const token = await c.tokens.create({username: https.admin.username, password: https.admin.password});
      c.token = token.token;
      assert.equal((await c.users.list()).total, 1);
    });
  });

  test('caFile trusts the CA; the host name must still match the certificate', async () => {
    const caFile = join(https.dir, 'cert.pem');
    await withClient({url: https.base, caFile}, async (c) => {
      await c.status.check();
      const token = await c.tokens.create({username: https.admin.username, password: https.admin.password});
      assert.equal(await c.tokens.check(token.token), true);
    });
    await withClient({url: `https://127.0.0.1:${https.port}/api/auth`, caFile}, async (c) => {
      await assert.rejects(c.status.check(), isConnectionError('ERR_TLS_CERT_ALTNAME_INVALID', /not trusted/));
    });
  });

  test('plain http to the TLS port cannot talk, and the message suggests https', async () => {
    await withClient({url: `http://localhost:${https.port}/api/auth`}, async (c) => {
      await assert.rejects(c.status.check(), isConnectionError(/^ECONNRESET$/, /cannot talk to .*: .*does it serve https\?/));
    });
  });

  test('a CA file that cannot be read or holds no certificate is ClientOptionError', () => {
    const notPem = join(https.dir, 'not.pem');
    writeFileSync(notPem, 'hello');
    assert.throws(
      () => new AuthClient({url: https.base, caFile: join(https.dir, 'missing.pem')}),
      (e: unknown) => e instanceof ClientOptionError && /cannot read the CA file/.test(e.message),
    );
    assert.throws(
      () => new AuthClient({url: https.base, caFile: notPem}),
      (e: unknown) => e instanceof ClientOptionError && /no PEM certificate/.test(e.message),
    );
  });
});

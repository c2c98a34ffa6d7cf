import assert from 'node:assert/strict';
import {randomBytes} from 'node:crypto';
import {connect} from 'node:net';
import {after, before, describe, test} from 'node:test';
import {parse} from 'yaml';
import {allRoutes, httpPlugins} from '../../src/http/routes/index.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;

before(async () => {
  td = await startTestDaemon({config: {rest_api: {headers_timeout_ms: 500, request_timeout_ms: 1000}}});
});
after(() => td.stop());

describe('framework answers', () => {
  test('status phrases are upper-case and JSON ends with a newline', async () => {
    const {request} = await import('undici');
    const r = await request(`${td.url}/0.1/token/00000000-0000-0000-0000-000000000000`);
    assert.equal(r.statusCode, 404);
    assert.equal(r.statusText, 'NOT FOUND');
    assert.ok((await r.body.text()).endsWith('\n'));
  });

  test('HEAD /status is 200 with the length of "" and GET /status is 405', async () => {
    const head = await td.call('HEAD', '/0.1/status');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-length'], '3');
    const get = await td.call('GET', '/0.1/status');
    assert.equal(get.status, 405);
    assert.equal(get.headers.allow, 'HEAD, OPTIONS');
    assert.deepEqual(get.json, {message: 'The method is not allowed for the requested URL.'});
  });

  test("an unknown path is werkzeug's HTML 404", async () => {
    const r = await td.call('GET', '/0.1/nonexistent');
    assert.equal(r.status, 404);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.match(r.text, /<title>404 Not Found<\/title>/);
  });

  test('HEAD works on every GET route', async () => {
    const r = await td.call('HEAD', '/0.1/users', {token: td.admin.token});
    assert.equal(r.status, 200);
    assert.equal(r.text, '');
  });

  test('GET /backends lists the enabled backends: ldap_user and wazo_user by default', async () => {
    assert.deepEqual((await td.call('GET', '/0.1/backends')).json, {data: ['ldap_user', 'wazo_user']});
  });

  test('a body over 1 MiB is 413; a malformed body on a resource route is 400', async () => {
    const big = await td.call('POST', '/0.1/users', {
      token: td.admin.token,
      rawBody: 'x'.repeat(1024 * 1024 + 1),
      headers: {'content-type': 'application/json'},
    });
    assert.equal(big.status, 413);
    const bad = await td.call('POST', '/0.1/users', {token: td.admin.token, rawBody: '{"username": ', headers: {'content-type': 'application/json'}});
    assert.equal(bad.status, 400);
  });

  test('the guard comes before the body: no token, no validation detail', async () => {
    const r = await td.call('POST', '/0.1/users', {rawBody: '{"username": ', headers: {'content-type': 'application/json'}});
    assert.equal(r.status, 401);
  });

  test('a bodiless PUT that declares JSON is accepted where no body is needed', async () => {
    const policy = await td.call('POST', '/0.1/policies', {token: td.admin.token, body: {name: 'bodiless', acl: ['a.b']}});
    assert.equal(policy.status, 200);
    const r = await td.call('PUT', `/0.1/users/${td.admin.uuid}/policies/${policy.json.uuid}`, {
      token: td.admin.token,
      headers: {'content-type': 'application/json', 'content-length': '0'},
    });
    assert.equal(r.status, 204);
  });

  test('the 401 body shows the presented token only by its end', async () => {
    const token = '00000000-0000-0000-0000-0000deadbeef';
    const r = await td.call('GET', '/0.1/users', {token});
    assert.equal(r.status, 401);
    assert.equal(r.json.details.invalid_token, 'XXXXXXXX-XXXX-XXXX-XXXX-XXXXdeadbeef');
    assert.equal(r.json.details.reason, 'not_found_or_expired');
    assert.equal(r.json.details.required_access, 'auth.users.read');
  });
});

describe('CORS', () => {
  test('every answer allows any origin, or echoes the one sent', async () => {
    assert.equal((await td.call('HEAD', '/0.1/status')).headers['access-control-allow-origin'], '*');
    const r = await td.call('HEAD', '/0.1/status', {headers: {origin: 'http://example.test'}});
    assert.equal(r.headers['access-control-allow-origin'], 'http://example.test');
    assert.equal(r.headers.vary, 'Origin');
  });

  test('a preflight answers 200 with the allowed headers and methods', async () => {
    const r = await td.call('OPTIONS', '/0.1/token', {
      headers: {
        origin: 'http://example.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization, x-not-allowed',
      },
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(r.headers['content-length'], '0');
    assert.equal(r.headers.allow, 'POST, OPTIONS');
    assert.equal(r.headers['access-control-allow-headers'], 'Authorization, Content-Type');
    assert.equal(r.headers['access-control-allow-methods'], 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT');
  });
});

describe('GET /0.1/api/api.yml', () => {
  test('is Swagger 2.0 YAML documenting every route the daemon serves', async () => {
    const r = await td.call('GET', '/0.1/api/api.yml');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'application/x-yaml');
    const doc = parse(r.text);
    assert.equal(doc.swagger, '2.0');
    assert.equal(doc.basePath, '/0.1');
    assert.equal(doc['x-xivo-name'], 'auth');
    // Those of the plugins enabled by default: user_registration is off, as upstream.
    const off = new Set(httpPlugins.filter((plugin) => !td.config.enabled_http_plugins[plugin.name]).flatMap((plugin) => plugin.load({routes: () => []})));
    assert.ok(off.size > 0);
    for (const route of allRoutes().filter((r) => ![...off].some((o) => o.method === r.method && o.path === r.path))) {
      const path = route.path.replace(/\{(\w+):\w+\}/g, '{$1}');
      assert.ok(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${path} is documented`);
    }
    const login = doc.paths['/token'].post.parameters.find((p: {in: string}) => p.in === 'body');
    assert.equal(login.schema.properties.expiration.maximum, 315360000);
  });
});

describe('hostile input', () => {
  test('a client that never finishes its headers is cut off', async () => {
    const port = td.daemon.port;
    const closed = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('GET /0.1/status HTTP/1.1\r\nHost: x\r\n'));
      socket.on('data', () => undefined);
      socket.on('close', () => resolve(true));
      setTimeout(() => {
        socket.destroy();
        resolve(false);
      }, 10_000);
    });
    assert.ok(closed, 'the daemon closed the stalled connection');
  });

  test('random bodies, paths and headers never get a 500', async () => {
    const paths = [
      '/0.1/token',
      '/0.1/users',
      '/0.1/policies',
      `/0.1/users/${td.admin.uuid}/password`,
      '/0.1/token/00000000-0000-0000-0000-000000000000/scopes/check',
    ];
    const bodies = [
      '',
      'null',
      '[]',
      '{}',
      '"x"',
      '1e309',
      '{"expiration": 1e400}',
      '{"username": "\\ud800"}',
      '{"acl": [null]}',
      '{"name": "' + 'n'.repeat(10000) + '"}',
      '{"__proto__": {"x": 1}}',
      '{"constructor": {"prototype": {}}}',
    ];
    for (let i = 0; i < 20; i++) bodies.push(randomBytes(64).toString('latin1'));
    for (const path of paths) {
      for (const rawBody of bodies) {
        for (const method of ['POST', 'PUT']) {
          const r = await td.call(method, path, {
            token: td.admin.token,
            rawBody,
            headers: {'content-type': 'application/json', authorization: 'Basic ' + randomBytes(8).toString('base64')},
          });
          assert.ok(r.status < 500, `${method} ${path} ${JSON.stringify(rawBody).slice(0, 60)} -> ${r.status} ${r.text.slice(0, 200)}`);
        }
      }
    }
    for (const path of [
      '/0.1/policies/%',
      '/0.1/policies/%ZZ',
      '/0.1/users/' + 'a'.repeat(5000),
      '/0.1/policies/' + encodeURIComponent('é€'),
      '/0.1/token/%00',
    ]) {
      const r = await td.call('GET', path, {token: td.admin.token});
      assert.ok(r.status < 500, `${path} -> ${r.status}`);
    }
  });
});

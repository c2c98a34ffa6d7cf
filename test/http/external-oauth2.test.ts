// Google and Microsoft accounts linked through OAuth2, against a local OAuth2 token endpoint
// (node:http) and a local synchronization service (a ws websocket server), both started here:
// the authorization URL, the code sent on the websocket and exchanged, the tokens kept sealed,
// the refresh of an expired access token (ManualClock), and providers that are down or answer
// garbage, which leave the stored tokens as they were.

import assert from 'node:assert/strict';
import {once} from 'node:events';
import {createServer, type IncomingMessage, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {after, before, describe, test} from 'node:test';
import {WebSocketServer, type WebSocket} from 'ws';
import {ManualClock} from '../../src/clock.js';
import type {OutboxMessage} from '../../src/store/store.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {recordingLog, type RecordingLog} from '../helpers/recording-log.js';
import {createTenant, createUser} from '../helpers/users.js';

type ProviderMode = 'ok' | 'garbage' | 'refused' | 'down' | 'no-refresh-token';

/** An OAuth2 token endpoint: records each grant, answers as `mode` says. */
class Provider {
  mode: ProviderMode = 'ok';
  grants: Record<string, string>[] = [];
  private issued = 0;
  readonly server: Server = createServer((req, res) => void this.answer(req, res));

  get tokenUrl() {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/token`;
  }

  private async answer(req: IncomingMessage, res: import('node:http').ServerResponse) {
    let text = '';
    for await (const chunk of req) text += chunk;
    this.grants.push(Object.fromEntries(new URLSearchParams(text)));
    if (this.mode === 'down') return req.socket.destroy();
    if (this.mode === 'garbage') return res.writeHead(200, {'content-type': 'text/html'}).end('<html>maintenance</html>');
    if (this.mode === 'refused')
      return res.writeHead(400, {'content-type': 'application/json'}).end(JSON.stringify({error: 'invalid_grant', error_description: 'Bad Request'}));
    this.issued += 1;
    // Marked by words that the hex and base64 of sealed rows cannot spell by chance (tests look for them there).
    const tokens: Record<string, unknown> = {
      access_token: `access-${this.issued}-lattesecret`,
      expires_in: 3600,
      scope: 'contacts profile',
      token_type: 'Bearer',
    };
    if (this.mode !== 'no-refresh-token') tokens.refresh_token = `refresh-${this.issued}-mochasecret`;
    res.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify(tokens));
  }
}

/** The synchronization service: keeps each daemon's websocket by the state in its path. */
class Sync {
  refuse = false;
  readonly sockets = new Map<string, WebSocket>();
  readonly server: Server = createServer();
  private readonly wss = new WebSocketServer({noServer: true});

  constructor() {
    this.server.on('upgrade', (req, socket, head) => {
      if (this.refuse) return socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
      this.wss.handleUpgrade(req, socket, head, (ws) => this.sockets.set(req.url!.replace(/^\/ws\//, ''), ws));
    });
  }

  get base() {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Sends the consent's answer and waits for the daemon to be done with it (it closes the socket then). */
  async consent(state: string, message: unknown = {code: 'a-code'}) {
    const ws = this.sockets.get(state);
    assert.ok(ws, `no websocket for state ${state}`);
    const closed = once(ws, 'close');
    ws.send(typeof message === 'string' ? message : JSON.stringify(message));
    await closed;
  }

  close() {
    for (const ws of this.sockets.values()) ws.terminate();
    this.wss.close();
    this.server.close();
  }
}

const listen = async (server: Server) => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
};

const CLIENT = {client_id: 'client-id-42', client_secret: 'client-secret-5ab1e'};

let td: TestDaemon;
let log: RecordingLog;
const clock = new ManualClock(1_800_000_000 * 1e6);
const provider = new Provider();
const sync = new Sync();
let tenantA: string;
const users: Record<string, string> = {};
const tokens: Record<string, string> = {};

before(async () => {
  await listen(provider.server);
  await listen(sync.server);
  log = recordingLog();
  td = await startTestDaemon({
    clock,
    log,
    config: {
      amqp: {uri: 'amqp://guest:guest@127.0.0.1:1/'},
      // The tests' own tokens outlive the hours the clock is moved on.
      default_token_lifetime: 10_000_000,
      oauth2_synchronization_ws_url_template: `${sync.base}/ws/{state}`,
      oauth2_synchronization_redirect_url_template: 'https://sync.example/{auth_type}/authorize',
      google: {authorization_base_url: 'https://accounts.example/o/oauth2/auth', token_url: provider.tokenUrl, scope: ['profile', 'contacts']},
      // Upstream's per-provider keys win over the templates.
      microsoft: {
        authorization_base_url: 'https://login.example/authorize',
        token_url: provider.tokenUrl,
        scope: ['offline_access', 'Contacts.Read'],
        redirect_uri: 'https://ms-sync.example/microsoft/authorize',
        websocket_host: sync.base,
      },
    },
  });
  const store = td.daemon.services.store;
  const top = (await store.tenants.top())!.uuid;
  tenantA = await createTenant(store, top, 'tenant-a');
  const tenantB = await createTenant(store, top, 'tenant-b');
  for (const [name, tenant, acl] of [
    ['alice', tenantA, ['auth.users.me.external.#']],
    ['admin-b', tenantB, ['auth.users.*.external.#', 'auth.google.external.#']],
  ] as const) {
    users[name] = await createUser(store, {username: name, password: `pw-${name}`, acl: [...acl], tenantUuid: tenant});
    tokens[name] = (await td.login(name, `pw-${name}`)).token;
  }
});
after(async () => {
  await td?.stop();
  sync.close();
  provider.server.close();
});

const as = (name: string, tenant?: string) => (method: string, path: string, body?: unknown) =>
  td.call(method, path, {token: name === 'root' ? td.admin.token : tokens[name], body, headers: tenant ? {'wazo-tenant': tenant} : {}});
const googlePath = () => `/0.1/users/${users.alice}/external/google`;

async function takeEvents(): Promise<OutboxMessage[]> {
  const taken: OutboxMessage[] = [];
  await td.daemon.services.store.outbox.drain(1000, async (messages) => void taken.push(...messages));
  return taken;
}

/** Links alice's account: POST, then the consent; returns the POST's answer. */
async function link(type: 'google' | 'microsoft', body: unknown = {}) {
  const r = await as('alice')('POST', `/0.1/users/${users.alice}/external/${type}`, body);
  assert.equal(r.status, 201, r.text);
  await sync.consent(r.json.state);
  return r.json;
}

describe('google', () => {
  test("POST without the tenant's google config: 404", async () => {
    const r = await as('alice')('POST', googlePath(), {});
    assert.equal(r.status, 404);
    assert.equal(r.json.error_id, 'unknown-external-auth');
  });

  test('POST: the authorization URL (client, redirect, scope, offline access) and its state; GET is 404 until the consent', async () => {
    assert.equal((await as('root', tenantA)('POST', '/0.1/external/google/config', CLIENT)).status, 201);
    const r = await as('alice')('POST', googlePath(), {});
    assert.equal(r.status, 201, r.text);
    assert.match(r.json.state, /^[A-Za-z0-9]{30}$/);
    const url = new URL(r.json.authorization_url);
    assert.equal(`${url.origin}${url.pathname}`, 'https://accounts.example/o/oauth2/auth');
    assert.deepEqual(Object.fromEntries(url.searchParams), {
      response_type: 'code',
      client_id: CLIENT.client_id,
      redirect_uri: 'https://sync.example/google/authorize',
      scope: 'profile contacts',
      state: r.json.state,
      access_type: 'offline',
      prompt: 'consent',
    });
    assert.ok(sync.sockets.has(r.json.state), 'the daemon waits on /ws/<state>');
    assert.equal((await as('alice')('GET', googlePath())).status, 404);
    await takeEvents();
    provider.grants = [];
    await sync.consent(r.json.state);
    assert.deepEqual(provider.grants, [{grant_type: 'authorization_code', code: 'a-code', redirect_uri: 'https://sync.example/google/authorize', ...CLIENT}]);
  });

  test('GET: the access token, its expiry and scope, never the refresh token', async () => {
    const r = await as('alice')('GET', googlePath());
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, {scope: ['contacts', 'profile'], access_token: 'access-1-lattesecret', token_expiration: 1_800_003_600});
  });

  test('the consent is announced: added and authorized', async () => {
    const events = await takeEvents();
    assert.deepEqual(
      events.map((e) => [e.headers.name, e.routingKey, e.data]),
      [
        ['auth_user_external_auth_added', `auth.users.${users.alice}.external.google.created`, {user_uuid: users.alice, external_auth_name: 'google'}],
        ['auth_user_external_auth_authorized', `auth.users.${users.alice}.external.google.authorized`, {user_uuid: users.alice, external_auth_name: 'google'}],
      ],
    );
  });

  test('an access token within 30 s of its expiry is refreshed on GET, the new one kept', async () => {
    clock.advance(3600 - 31);
    assert.equal((await as('alice')('GET', googlePath())).json.access_token, 'access-1-lattesecret');
    provider.grants = [];
    clock.advance(2);
    const r = await as('alice')('GET', googlePath());
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.access_token, 'access-2-lattesecret');
    assert.equal(r.json.token_expiration, Math.floor(clock.nowMicros() / 1e6) + 3600);
    assert.deepEqual(provider.grants, [{grant_type: 'refresh_token', refresh_token: 'refresh-1-mochasecret', ...CLIENT}]);
    assert.equal((await as('alice')('GET', googlePath())).json.access_token, 'access-2-lattesecret', 'kept, not refreshed again');
    assert.deepEqual(
      (await takeEvents()).map((e) => e.headers.name),
      ['auth_user_external_auth_updated'],
    );
  });

  for (const [mode, message] of [
    ['garbage', /^The google OAuth2 exchange failed: its token endpoint answered 200 with no JSON$/],
    ['refused', /^The google OAuth2 exchange failed: its token endpoint answered 400: invalid_grant$/],
    ['down', /^The google OAuth2 exchange failed: its token endpoint cannot be reached \(/],
  ] as const) {
    test(`a provider that is ${mode}: 502 saying so, the stored tokens intact`, async () => {
      clock.advance(3600);
      provider.mode = mode;
      try {
        const r = await as('alice')('GET', googlePath());
        assert.equal(r.status, 502);
        assert.equal(r.json.error_id, 'external-provider-failed');
        assert.match(r.json.message, message);
        assert.equal(r.text.includes('refresh-2-mochasecret') || r.text.includes(CLIENT.client_secret), false);
      } finally {
        // As Google: no new refresh token on a refresh, so the stored one must stay.
        provider.mode = 'no-refresh-token';
      }
      provider.grants = [];
      const r = await as('alice')('GET', googlePath());
      assert.equal(r.status, 200);
      assert.deepEqual(provider.grants, [{grant_type: 'refresh_token', refresh_token: 'refresh-2-mochasecret', ...CLIENT}], 'the refresh token kept');
    });
  }

  test('a refresh answer with a new refresh_token replaces the stored one', async () => {
    provider.mode = 'ok';
    for (const _ of [1, 2]) {
      clock.advance(3600);
      provider.grants = [];
      await as('alice')('GET', googlePath());
    }
    assert.match(provider.grants[0]!.refresh_token!, /^refresh-\d+-mochasecret$/);
    assert.notEqual(provider.grants[0]!.refresh_token, 'refresh-2-mochasecret');
  });

  test('a consent whose code the provider refuses stores nothing and keeps what was linked', async () => {
    const before = (await as('alice')('GET', googlePath())).json;
    const r = await as('alice')('POST', googlePath(), {});
    provider.mode = 'refused';
    try {
      await sync.consent(r.json.state);
    } finally {
      provider.mode = 'ok';
    }
    assert.deepEqual((await as('alice')('GET', googlePath())).json, before);
    assert.ok(log.at('warning').some((line) => /google: the authorization code could not be exchanged: .*invalid_grant/.test(line)));
    const garbage = await as('alice')('POST', googlePath(), {});
    await sync.consent(garbage.json.state, 'not json');
    assert.deepEqual((await as('alice')('GET', googlePath())).json, before);
  });

  test('a second POST supersedes the first: its websocket is closed, the new one waits', async () => {
    const first = await as('alice')('POST', googlePath(), {});
    const firstClosed = once(sync.sockets.get(first.json.state)!, 'close');
    const second = await as('alice')('POST', googlePath(), {});
    await firstClosed;
    assert.notEqual(second.json.state, first.json.state);
    await sync.consent(second.json.state);
    assert.equal((await as('alice')('GET', googlePath())).status, 200);
  });

  test('a synchronization service that refuses the websocket: POST is 502, saying so', async () => {
    sync.refuse = true;
    try {
      const r = await as('alice')('POST', googlePath(), {});
      assert.equal(r.status, 502);
      assert.match(r.json.message, /OAuth2 exchange failed: the synchronization service cannot be reached/);
    } finally {
      sync.refuse = false;
    }
  });

  test("another tenant's administrator: 404 for alice's account, on every route", async () => {
    for (const method of ['POST', 'GET', 'DELETE']) {
      const r = await as('admin-b')(method, googlePath(), method === 'POST' ? {} : undefined);
      assert.equal(r.status, 404, method);
      assert.equal(r.json.error_id, 'unknown-user', method);
    }
  });

  test('the tokens and the client secret are sealed in the database, absent from the log and from the list', async () => {
    const bytes = await td.databaseText();
    for (const secret of ['lattesecret', 'mochasecret', CLIENT.client_secret]) assert.equal(bytes.includes(secret), false, secret);
    const text = log.lines.map((l) => l.message).join('\n');
    for (const secret of ['lattesecret', 'mochasecret', CLIENT.client_secret, 'a-code']) assert.equal(text.includes(secret), false, secret);
    const list = await as('alice')('GET', `/0.1/users/${users.alice}/external`);
    assert.equal(list.text.includes('lattesecret') || list.text.includes('mochasecret'), false);
    assert.deepEqual(
      list.json.items.find((i: {type: string}) => i.type === 'google'),
      {type: 'google', data: {}, plugin_info: {}, enabled: true},
    );
  });

  test('DELETE unlinks (204, then 404) and is announced', async () => {
    await takeEvents();
    assert.equal((await as('alice')('DELETE', googlePath())).status, 204);
    assert.equal((await as('alice')('GET', googlePath())).status, 404);
    assert.equal((await as('alice')('DELETE', googlePath())).status, 404);
    assert.deepEqual(
      (await takeEvents()).map((e) => e.headers.name),
      ['auth_user_external_auth_deleted'],
    );
  });
});

describe('microsoft', () => {
  test("upstream's redirect_uri and websocket_host keys; the scope the request asks; no offline parameters", async () => {
    await as('root', tenantA)('POST', '/0.1/external/microsoft/config', CLIENT);
    provider.grants = [];
    const answer = await link('microsoft', {scope: ['Contacts.Read', 'User.Read']});
    const url = new URL(answer.authorization_url);
    assert.equal(url.searchParams.get('redirect_uri'), 'https://ms-sync.example/microsoft/authorize');
    assert.equal(url.searchParams.get('scope'), 'Contacts.Read User.Read');
    assert.equal(url.searchParams.has('access_type'), false);
    assert.equal(provider.grants[0]!.redirect_uri, 'https://ms-sync.example/microsoft/authorize');
    const r = await as('alice')('GET', `/0.1/users/${users.alice}/external/microsoft`);
    assert.equal(r.status, 200);
    assert.match(r.json.access_token, /^access-\d+-lattesecret$/);
  });

  test('a body that is not upstream schema: 400', async () => {
    const r = await as('alice')('POST', `/0.1/users/${users.alice}/external/microsoft`, {scope: 'Contacts.Read'});
    assert.equal(r.status, 400);
    assert.equal(r.json.error_id, 'invalid-data');
  });
});

describe('the plugins switched off', () => {
  test('their routes are 404 and absent from api.yml; on, they are there', async () => {
    const api = await td.call('GET', '/0.1/api/api.yml');
    for (const path of ['/users/{user_uuid}/external/google:', '/users/{user_uuid}/external/mobile/sender_id:', '/external/{auth_type}/config:']) {
      assert.ok(api.text.includes(path), path);
    }
    const off = await startTestDaemon({
      config: {enabled_external_auth_plugins: {google: false, microsoft: false, mobile: false}, enabled_http_plugins: {external: false}},
    });
    try {
      const offApi = await off.call('GET', '/0.1/api/api.yml');
      assert.equal(offApi.text.includes('/external'), false);
      for (const path of [`/0.1/users/${off.admin.uuid}/external/google`, `/0.1/users/${off.admin.uuid}/external/mobile`, '/0.1/external/google/config']) {
        assert.equal((await off.call('GET', path, {token: off.admin.token})).status, 404, path);
      }
    } finally {
      await off.stop();
    }
  });
});

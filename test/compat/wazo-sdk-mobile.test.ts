// The mobile app's push registration through Wazo's JavaScript SDK (@wazo/sdk 0.44.7, unchanged)
// against our daemon over HTTPS under /api/auth: sendDeviceToken, getPushNotificationSenderId and
// removeDeviceToken, as a user with upstream's `auth.users.me.external.#`. The SDK runs in a
// child process (wazo-sdk-mobile-scenario.ts; see wazo-sdk.test.ts for why).

import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {createTenant, createUser} from '../helpers/users.js';
import {startHttpsDaemon, type HttpsDaemon} from './https-daemon.js';
import type {MobileScenarioInput, MobileScenarioOutput} from './wazo-sdk-mobile-scenario.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCENARIO = fileURLToPath(new URL('./wazo-sdk-mobile-scenario.ts', import.meta.url));
const API = '/api/auth/0.1';

let d: HttpsDaemon;
let input: MobileScenarioInput;
let out: MobileScenarioOutput;
let adminToken: string;
const received: {step: string; method: string; url: string; status?: number}[] = [];

before(async () => {
  d = await startHttpsDaemon();
  d.daemon.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    // Only listens (reading the body here would take it from the daemon's handler).
    const entry = {step: String(req.headers['x-compat-step'] ?? ''), method: req.method!, url: req.url!};
    received.push(entry);
    res.on('finish', () => Object.assign(entry, {status: res.statusCode}));
  });
  const store = d.daemon.services.store;
  const top = (await store.tenants.top())!.uuid;
  const other = await createTenant(store, top, 'other');
  const acl = ['auth.users.me.external.#'];
  input = {
    server: d.server,
    alice: {username: 'alice', password: 'pw-alice', uuid: await createUser(store, {username: 'alice', password: 'pw-alice', acl})},
    carol: {username: 'carol', password: 'pw-carol', uuid: await createUser(store, {username: 'carol', password: 'pw-carol', acl, tenantUuid: other})},
    device: {token: 'fcm-device-token-1a2b', voip: 'apns-voip-token-3c4d', notification: 'apns-notification-token-5e6f'},
  };
  const login = await d.call('POST', '/0.1/token', {
    body: {},
    headers: {authorization: `Basic ${Buffer.from(`${d.admin.username}:${d.admin.password}`).toString('base64')}`},
  });
  adminToken = login.json.data.token;
  const config = await d.call('POST', '/0.1/external/mobile/config', {token: adminToken, body: {fcm_sender_id: 'sdk-sender-42', fcm_api_key: 'k'}});
  assert.equal(config.status, 201, config.text);

  const dir = mkdtempSync(join(tmpdir(), 'wazo-sdk-mobile-'));
  const file = join(dir, 'results.json');
  try {
    out = await new Promise<MobileScenarioOutput>((resolve, reject) =>
      execFile(
        process.execPath,
        ['--import', 'tsx', SCENARIO, JSON.stringify(input), file],
        {cwd: ROOT, env: {...process.env, NODE_TLS_REJECT_UNAUTHORIZED: '0', NODE_NO_WARNINGS: '1'}, timeout: 30_000, killSignal: 'SIGKILL'},
        (error, stdout, stderr) => {
          if (error) reject(new Error(`the SDK scenario failed (${error.message}):\n${stdout}\n${stderr}`));
          else resolve(JSON.parse(readFileSync(file, 'utf8')) as MobileScenarioOutput);
        },
      ),
    );
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});
after(() => d?.stop());

function value(step: string): any {
  const result = out[step];
  assert.ok(result, `no result for ${step}`);
  if (!result.ok) assert.fail(`${step} rejected: ${JSON.stringify(result.error)}`);
  return result.value;
}
function rejection(step: string) {
  const result = out[step];
  assert.ok(result, `no result for ${step}`);
  if (result.ok) assert.fail(`${step} resolved: ${JSON.stringify(result.value)}`);
  return result.error;
}
const summary = (step: string) => received.filter((r) => r.step === step).map((r) => `${r.method} ${r.url} ${r.status}`);
const mobile = () => `${API}/users/${input.alice.uuid}/external/mobile`;

test('getPushNotificationSenderId: the fcm_sender_id of the user’s tenant', () => {
  assert.equal(value('alice.getPushNotificationSenderId'), 'sdk-sender-42');
  assert.deepEqual(summary('alice.getPushNotificationSenderId'), [`GET ${mobile()}/sender_id 200`]);
});

test('sendDeviceToken: the FCM and APNs tokens registered, answered with every field (201)', async () => {
  const {token, voip, notification} = input.device;
  const expected = {token, apns_token: voip, apns_voip_token: voip, apns_notification_token: notification, apns_call_topic: null, apns_default_topic: null};
  assert.deepEqual(value('alice.sendDeviceToken'), expected);
  assert.deepEqual(summary('alice.sendDeviceToken'), [`POST ${mobile()} 201`]);
});

test('sendDeviceToken again: 409, as upstream (the app removes the tokens first)', () => {
  const error = rejection('alice.sendDeviceToken.again');
  assert.equal(error.status, 409);
  assert.equal(error.errorId, 'conflict');
});

test('removeDeviceToken: 204, resolved; a second time 404', () => {
  assert.equal(value('alice.removeDeviceToken'), true);
  assert.deepEqual(summary('alice.removeDeviceToken'), [`DELETE ${mobile()} 204`]);
  const error = rejection('alice.removeDeviceToken.again');
  assert.equal(error.status, 404);
  assert.equal(error.errorId, 'unknown-external-auth');
});

test('sendDeviceToken with the FCM token alone: stored as webhookd reads it', async () => {
  value('alice.sendDeviceToken.fcmOnly');
  const stored = await d.call('GET', `/0.1/users/${input.alice.uuid}/external/mobile`, {token: adminToken});
  assert.deepEqual(stored.json, {
    token: input.device.token,
    apns_token: null,
    apns_voip_token: null,
    apns_notification_token: null,
    apns_call_topic: null,
    apns_default_topic: null,
  });
});

test("another user's tokens: refused (401) with a `me` access", () => {
  assert.equal(rejection('alice.sendDeviceToken.forCarol').status, 401);
});

test('a tenant without mobile settings: getPushNotificationSenderId rejects with 404', () => {
  const error = rejection('carol.getPushNotificationSenderId');
  assert.equal(error.status, 404);
});

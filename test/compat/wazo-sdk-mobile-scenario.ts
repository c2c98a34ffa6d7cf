// The client side of wazo-sdk-mobile.test.ts, run in a child process: the mobile app's calls of
// Wazo's JavaScript SDK (@wazo/sdk, unchanged) — sendDeviceToken, getPushNotificationSenderId,
// removeDeviceToken — against a daemon; writes what each call gave as JSON.
//
//   node --import tsx test/compat/wazo-sdk-mobile-scenario.ts INPUT_JSON OUTPUT_FILE
//
// As wazo-sdk-scenario.ts: the SDK arms a 300 s timer per request, hence the explicit exit.

import {writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import type {StepResult} from './wazo-sdk-scenario.js';

export interface MobileScenarioInput {
  server: string;
  alice: {username: string; password: string; uuid: string};
  carol: {username: string; password: string; uuid: string};
  device: {token: string; voip: string; notification: string};
}

export type MobileScenarioOutput = Record<string, StepResult>;

type Sdk = typeof import('@wazo/sdk');
type Client = InstanceType<Sdk['WazoApiClient']>;

const sdk = createRequire(import.meta.url)('@wazo/sdk') as Sdk;
const [inputJson, outputFile] = process.argv.slice(2);
if (!inputJson || !outputFile) {
  console.error('usage: wazo-sdk-mobile-scenario.ts INPUT_JSON OUTPUT_FILE');
  process.exit(2);
}
const input = JSON.parse(inputJson) as MobileScenarioInput;
const results: MobileScenarioOutput = {};
setTimeout(() => {
  console.error('wazo-sdk mobile scenario: timed out; results so far:', JSON.stringify(results));
  process.exit(3);
}, 20_000);

// Each request names its step, so that the test can match what the daemon received.
const tag = {headers: {'X-Compat-Step': ''}};

async function step(name: string, run: () => Promise<unknown>): Promise<void> {
  tag.headers['X-Compat-Step'] = name;
  try {
    const value: any = await run();
    const {_headers, ...body} = value && typeof value === 'object' ? value : {_headers: undefined};
    results[name] = {ok: true, value: value && typeof value === 'object' ? body : (value ?? null)};
  } catch (error: any) {
    results[name] = {
      ok: false,
      error: {class: error?.constructor?.name, name: error?.name, message: String(error?.message ?? error), status: error?.status, errorId: error?.errorId},
    };
  }
}

async function loggedIn(user: {username: string; password: string}): Promise<Client> {
  const client = new sdk.WazoApiClient({server: input.server, fetchOptions: tag});
  client.disableErrorLogging();
  const session = await client.auth.logIn({username: user.username, password: user.password, expiration: 600, mobile: true});
  client.setToken(session!.token);
  return client;
}

async function main() {
  const alice = await loggedIn(input.alice);
  const {uuid} = input.alice;
  const {token, voip, notification} = input.device;
  await step('alice.getPushNotificationSenderId', () => alice.auth.getPushNotificationSenderId(uuid));
  await step('alice.sendDeviceToken', () => alice.auth.sendDeviceToken(uuid, token, voip, notification));
  await step('alice.sendDeviceToken.again', () => alice.auth.sendDeviceToken(uuid, token, voip, notification));
  await step('alice.removeDeviceToken', () => alice.auth.removeDeviceToken(uuid));
  await step('alice.removeDeviceToken.again', () => alice.auth.removeDeviceToken(uuid));
  await step('alice.sendDeviceToken.fcmOnly', () => alice.auth.sendDeviceToken(uuid, token));
  await step('alice.sendDeviceToken.forCarol', () => alice.auth.sendDeviceToken(input.carol.uuid, token));
  const carol = await loggedIn(input.carol);
  await step('carol.getPushNotificationSenderId', () => carol.auth.getPushNotificationSenderId(input.carol.uuid));
}

main()
  .then(() => {
    writeFileSync(outputFile, JSON.stringify(results));
    process.exit(0);
  })
  .catch((error) => {
    console.error(error);
    process.exit(1);
  });

// The client side of wazo-sdk-reset.test.ts, run in a child process: Wazo's JavaScript SDK
// (@wazo/sdk, unchanged) asks for the forgotten-password mail, or sets the password with the
// mailed token and logs in with it, and writes what each call gave as JSON.
//
//   node --import tsx test/compat/wazo-sdk-reset-scenario.ts INPUT_JSON OUTPUT_FILE

import {writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';

export type ResetScenarioInput =
  | {server: string; phase: 'ask'; username: string; email: string}
  | {server: string; phase: 'set'; userUuid: string; token: string; username: string; password: string};

export type ResetStepResult = {ok: true; value: unknown} | {ok: false; error: {class: string; message: string; status?: number}};

type Sdk = typeof import('@wazo/sdk');
const sdk = createRequire(import.meta.url)('@wazo/sdk') as Sdk;

const [inputJson, outputFile] = process.argv.slice(2);
const input = JSON.parse(inputJson!) as ResetScenarioInput;
const results: Record<string, ResetStepResult> = {};

setTimeout(() => {
  console.error('wazo-sdk reset scenario: timed out', JSON.stringify(results));
  process.exit(3);
}, 20_000);

const tag = {headers: {'X-Compat-Step': ''}};

async function step(name: string, run: () => Promise<unknown>): Promise<void> {
  tag.headers['X-Compat-Step'] = name;
  try {
    results[name] = {ok: true, value: (await run()) ?? null};
  } catch (error: any) {
    results[name] = {ok: false, error: {class: error?.constructor?.name ?? typeof error, message: String(error?.message ?? error), status: error?.status}};
  }
}

function newClient() {
  const client = new sdk.WazoApiClient({server: input.server, fetchOptions: tag});
  client.disableErrorLogging();
  return client;
}

async function main() {
  const client = newClient();
  if (input.phase === 'ask') {
    await step('sendResetPasswordEmail.username', () => client.auth.sendResetPasswordEmail({username: input.username}));
    await step('sendResetPasswordEmail.email', () => client.auth.sendResetPasswordEmail({email: input.email}));
    await step('sendResetPasswordEmail.unknown', () => client.auth.sendResetPasswordEmail({username: 'nobody-at-all'}));
  } else {
    // The application puts the link's token in the client, as Wazo's reset page does.
    client.setToken(input.token);
    await step('resetPassword', () => client.auth.resetPassword(input.userUuid, input.password));
    await step('resetPassword.again', () => client.auth.resetPassword(input.userUuid, 'once-more'));
    await step('logIn.newPassword', async () => {
      const session: any = await newClient().auth.logIn({username: input.username, password: input.password, expiration: 600});
      return {uuid: session?.uuid};
    });
  }
}

main().then(
  () => {
    writeFileSync(outputFile!, JSON.stringify(results));
    process.exit(0);
  },
  (error) => {
    console.error(error);
    process.exit(1);
  },
);

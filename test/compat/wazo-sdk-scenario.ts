// The client side of wazo-sdk.test.ts, run in a child process: drives Wazo's JavaScript SDK
// (@wazo/sdk, unchanged) against a daemon and writes what each call gave as JSON.
//
//   node --import tsx test/compat/wazo-sdk-scenario.ts INPUT_JSON OUTPUT_FILE
//
// The SDK arms a 300 s timer per request and never clears it, so this process ends with an
// explicit process.exit(). It needs NODE_TLS_REJECT_UNAUTHORIZED=0 for a self-signed
// certificate (the SDK's `agent` option is ignored by Node's fetch).

import {randomUUID} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';

export interface ScenarioUser {
  username: string;
  password: string;
  uuid: string;
}

export interface ScenarioInput {
  server: string;
  admin: ScenarioUser;
  alice: ScenarioUser;
  latin: ScenarioUser;
  euro: ScenarioUser;
  tenantUuid: string;
  bob: {username: string; password: string; newPassword: string; firstname: string; lastname: string; email: string; otherEmail: string};
  policy: {name: string; description: string; acl: string[]};
  group: {name: string};
  tenant: {name: string; newName: string; phone: string; address: Record<string, string>};
}

export type StepResult =
  | {ok: true; value: any}
  | {ok: false; error: {class: string; name: string; message: string; status?: number; errorId?: string | null; details?: unknown}};

export type ScenarioOutput = Record<string, StepResult>;

type Sdk = typeof import('@wazo/sdk');
type Client = InstanceType<Sdk['WazoApiClient']>;

// `import '@wazo/sdk'` would pick dist/index.mjs, which does not load in Node; require() picks
// the `node` export, the self-contained dist/wazo-sdk.js.
const sdk = createRequire(import.meta.url)('@wazo/sdk') as Sdk;

const [inputJson, outputFile] = process.argv.slice(2);
if (!inputJson || !outputFile) {
  console.error('usage: wazo-sdk-scenario.ts INPUT_JSON OUTPUT_FILE');
  process.exit(2);
}
const input = JSON.parse(inputJson) as ScenarioInput;
const results: ScenarioOutput = {};

// Never outlive the parent's patience, whatever a request does.
setTimeout(() => {
  console.error('wazo-sdk scenario: timed out; results so far:', JSON.stringify(results));
  process.exit(3);
}, 20_000);

// Every request carries the name of the step that made it, so that the test can match the
// requests the daemon received to the SDK calls. The SDK spreads `fetchOptions.headers` into each
// request's headers at call time (replays and refresh-token grants included), so one shared
// object, updated before each step, tags them all.
const tag = {headers: {'X-Compat-Step': ''}};

function newClient(options: {clientId?: string} = {}): Client {
  const client = new sdk.WazoApiClient({server: input.server, fetchOptions: tag, ...options});
  client.disableErrorLogging();
  return client;
}

function sessionView(session: any) {
  if (!session) return session;
  return {
    token: session.token,
    refreshToken: session.refreshToken,
    uuid: session.uuid,
    tenantUuid: session.tenantUuid,
    sessionUuid: session.sessionUuid,
    stackUuid: session.stackUuid,
    acl: session.acl,
    expiresAt: session.expiresAt instanceof Date ? session.expiresAt.toISOString() : String(session.expiresAt),
    hasExpired: session.hasExpired(),
    metadata: session.metadata,
  };
}

/** The body fields of a parsed answer, without the `_headers` the SDK adds. */
function bodyView(answer: any) {
  if (!answer || typeof answer !== 'object') return answer;
  const {_headers, ...rest} = answer;
  return rest;
}

async function step<T>(name: string, run: () => Promise<T>, view: (value: T) => unknown = (v) => v): Promise<T | undefined> {
  tag.headers['X-Compat-Step'] = name;
  try {
    const value = await run();
    results[name] = {ok: true, value: view(value) ?? null};
    return value;
  } catch (error: any) {
    results[name] = {
      ok: false,
      error: {
        class: error?.constructor?.name ?? typeof error,
        name: error?.name,
        message: String(error?.message ?? error),
        status: error?.status,
        errorId: error?.errorId,
        details: error?.details,
      },
    };
    return undefined;
  }
}

const login = (client: Client, user: {username: string; password: string}, extra: Record<string, unknown> = {}) =>
  client.auth.logIn({username: user.username, password: user.password, expiration: 600, ...extra});

async function main() {
  // --- a user's life cycle, through a client without a client id ---
  const aliceClient = newClient();
  const alice = await step('alice.logIn', () => login(aliceClient, input.alice), sessionView);
  const aliceToken = alice?.token ?? 'missing';
  await step('alice.checkToken.live', () => aliceClient.auth.checkToken(aliceToken));
  await step('alice.authenticate', () => aliceClient.auth.authenticate(aliceToken), sessionView);
  aliceClient.setToken(aliceToken);
  await step('alice.getRestrictionPolicies', () => aliceClient.auth.getRestrictionPolicies(['confd.users.me.read', 'confd.users.read']), bodyView);
  await step('alice.listUsers.forbidden', () => aliceClient.auth.listUsers(), bodyView);
  await step('alice.logOut', () => aliceClient.auth.logOut(aliceToken));
  await step('alice.checkToken.afterLogOut', () => aliceClient.auth.checkToken(aliceToken));
  await step('alice.authenticate.afterLogOut', () => aliceClient.auth.authenticate(aliceToken), sessionView);
  await step('checkToken.unknown', () => newClient().auth.checkToken(randomUUID()));
  await step('alice.logIn.wrongPassword', () => login(newClient(), {username: input.alice.username, password: 'not-the-password'}), sessionView);
  const aliceAgain = await step('alice.logIn.defaultExpiration', () => login(newClient(), input.alice, {expiration: 0}), sessionView);
  const mobile = await step('alice.logIn.mobile', () => login(newClient(), input.alice, {mobile: true}), sessionView);

  // --- a user ends one of her own sessions (another device's) ---
  const aliceSelf = newClient();
  aliceSelf.setToken(aliceAgain?.token ?? 'missing');
  await step('alice.getUserSession', () => aliceSelf.auth.getUserSession(input.alice.uuid), bodyView);
  await step('alice.deleteUserSession', () => aliceSelf.auth.deleteUserSession(input.alice.uuid, mobile?.sessionUuid ?? 'missing'));
  await step('alice.checkToken.deletedSession', () => aliceSelf.auth.checkToken(mobile?.token ?? 'missing'));
  await step('alice.checkToken.keptSession', () => aliceSelf.auth.checkToken(aliceAgain?.token ?? 'missing'));
  await step('alice.getUserSession.afterDelete', () => aliceSelf.auth.getUserSession(input.alice.uuid), bodyView);

  // --- offline access: a client id gets a refresh token ---
  const offlineClient = newClient({clientId: 'wazo-sdk-compat'});
  const offline = await step('offline.logIn', () => login(offlineClient, input.alice), sessionView);
  const refreshed = await step(
    'offline.refreshToken',
    () => offlineClient.auth.refreshToken(offline?.refreshToken ?? 'missing', 'wazo_user', 300),
    sessionView,
  );
  await step('offline.checkToken.refreshed', () => offlineClient.auth.checkToken(refreshed?.token ?? 'missing'));

  // --- the user withdraws her refresh token: it stops working, the tokens it made stay valid ---
  offlineClient.setToken(offline?.token ?? 'missing');
  await step('offline.deleteRefreshToken', () => offlineClient.auth.deleteRefreshToken('wazo-sdk-compat'));
  await step('offline.refreshToken.afterDelete', () => offlineClient.auth.refreshToken(offline?.refreshToken ?? 'missing', 'wazo_user', 300), sessionView);
  await step('offline.checkToken.refreshedAfterDelete', () => offlineClient.auth.checkToken(refreshed?.token ?? 'missing'));
  await step('offline.deleteRefreshToken.again', () => offlineClient.auth.deleteRefreshToken('wazo-sdk-compat'));
  // The SDK's automatic renewal with the withdrawn refresh token: its grant fails, so the
  // request is replayed with the stale token and rejected.
  const renewal: {error?: unknown} = {};
  offlineClient.setRefreshToken(offline?.refreshToken);
  offlineClient.setOnRefreshTokenError((error: any) => {
    renewal.error = {class: error?.constructor?.name, status: error?.status};
  });
  offlineClient.setToken(randomUUID());
  await step(
    'offline.renewal.afterDelete',
    () => offlineClient.auth.getUserSession(input.alice.uuid),
    (answer) => ({answer: bodyView(answer)}),
  );
  results['offline.renewal.afterDelete.refreshError'] = {ok: true, value: renewal.error ?? null};

  // --- credentials btoa() can encode (Latin-1) and one it cannot (UTF-8 fallback) ---
  const latin = await step('latin.logIn', () => login(newClient(), input.latin), sessionView);
  await step('euro.logIn', () => login(newClient(), input.euro), sessionView);

  // --- administration with an admin token ---
  const adminClient = newClient({clientId: 'wazo-sdk-compat-admin'});
  const admin = await step('admin.logIn', () => login(adminClient, input.admin), sessionView);
  adminClient.setToken(admin?.token ?? 'missing');
  await step('admin.listUsers', () => adminClient.auth.listUsers(), bodyView);
  const bob = await step(
    'admin.createUser',
    () => adminClient.auth.createUser(input.bob.username, input.bob.password, input.bob.firstname, input.bob.lastname),
    bodyView,
  );
  const bobUuid = (bob as any)?.uuid ?? 'missing';
  await step('admin.getUser', () => adminClient.auth.getUser(bobUuid), bodyView);
  await step('admin.addUserEmail', () => adminClient.auth.addUserEmail(bobUuid, input.bob.email, true), bodyView);
  // `main` is optional in the SDK; left out, the list has no main address.
  await step('admin.addUserEmail.noMain', () => adminClient.auth.addUserEmail(bobUuid, input.bob.otherEmail), bodyView);
  await step('admin.getUser.withEmail', () => adminClient.auth.getUser(bobUuid), bodyView);
  const policy = await step(
    'admin.createPolicy',
    () => adminClient.auth.createPolicy(input.policy.name, input.policy.description, input.policy.acl as any),
    bodyView,
  );
  const policyUuid = (policy as any)?.uuid ?? 'missing';
  await step('admin.listPolicies', () => adminClient.auth.listPolicies(), bodyView);
  await step('admin.addUserPolicy', () => adminClient.auth.addUserPolicy(bobUuid, policyUuid), bodyView);
  await step('bob.logIn.withPolicy', () => login(newClient(), input.bob), sessionView);
  await step('admin.deleteUserPolicy', () => adminClient.auth.deleteUserPolicy(bobUuid, policyUuid));
  await step('bob.logIn.withoutPolicy', () => login(newClient(), input.bob), sessionView);
  await step('admin.updatePassword', () => adminClient.auth.updatePassword(bobUuid, input.bob.password, input.bob.newPassword));
  await step('bob.logIn.newPassword', () => login(newClient(), {username: input.bob.username, password: input.bob.newPassword}), sessionView);
  await step('bob.logIn.oldPassword', () => login(newClient(), input.bob), sessionView);
  await step('admin.listTenants', () => adminClient.auth.listTenants(), bodyView);
  await step('admin.getTenant', () => adminClient.auth.getTenant(input.tenantUuid), bodyView);

  // --- an administrator ends another user's session ---
  await step('admin.getUserSession', () => adminClient.auth.getUserSession(input.latin.uuid), bodyView);
  await step('admin.deleteUserSession', () => adminClient.auth.deleteUserSession(input.latin.uuid, latin?.sessionUuid ?? 'missing'));
  await step('latin.checkToken.deletedSession', () => newClient().auth.checkToken(latin?.token ?? 'missing'));
  await step('admin.getUserSession.afterDelete', () => adminClient.auth.getUserSession(input.latin.uuid), bodyView);

  // --- groups ---
  const group = await step('admin.createGroup', () => adminClient.auth.createGroup(input.group.name) as Promise<any>, bodyView);
  const groupUuid = (group as any)?.uuid ?? 'missing';
  await step('admin.listGroups', () => adminClient.auth.listGroups(), bodyView);
  await step('admin.addUserGroup', () => adminClient.auth.addUserGroup(bobUuid, groupUuid), bodyView);
  await step('admin.listUsersGroup', () => adminClient.auth.listUsersGroup(groupUuid), bodyView);
  await step('admin.deleteUserGroup', () => adminClient.auth.deleteUserGroup(bobUuid, groupUuid));
  await step('admin.listUsersGroup.afterDelete', () => adminClient.auth.listUsersGroup(groupUuid), bodyView);
  await step('admin.deleteGroup', () => adminClient.auth.deleteGroup(groupUuid));
  await step('admin.listGroups.afterDelete', () => adminClient.auth.listGroups(), bodyView);

  // --- tenants: the address as the API takes it (an object), then as the SDK types it (an array) ---
  const tenant = await step('admin.createTenant', () => adminClient.auth.createTenant(input.tenant.name), bodyView);
  const childUuid = (tenant as any)?.uuid ?? 'missing';
  const {newName, phone, address} = input.tenant;
  await step('admin.updateTenant', () => adminClient.auth.updateTenant(childUuid, newName, bobUuid, phone, address as any), bodyView);
  await step('admin.getTenant.updated', () => adminClient.auth.getTenant(childUuid), bodyView);
  await step('admin.updateTenant.arrayAddress', () => adminClient.auth.updateTenant(childUuid, newName, bobUuid, phone, []), bodyView);
  await step('admin.listTenants.withChild', () => adminClient.auth.listTenants(), bodyView);
  await step('admin.deleteTenant', () => adminClient.auth.deleteTenant(childUuid));
  await step('admin.getTenant.deleted', () => adminClient.auth.getTenant(childUuid), bodyView);
  await step('admin.listTenants.afterDelete', () => adminClient.auth.listTenants(), bodyView);
  adminClient.setTenant(input.tenantUuid);
  await step('admin.listUsers.withTenant', () => adminClient.auth.listUsers(), bodyView);

  // An unknown token on a protected route: the SDK renews it with its refresh token and replays.
  const renewed: {token?: string} = {};
  adminClient.setRefreshToken(admin?.refreshToken);
  adminClient.setOnRefreshToken((token: string) => {
    renewed.token = token;
  });
  const staleToken = randomUUID();
  adminClient.setToken(staleToken);
  await step(
    'admin.listUsers.renewed',
    () => adminClient.auth.listUsers(),
    (answer) => ({answer: bodyView(answer), renewedToken: renewed.token ?? null, clientToken: adminClient.client.token, staleToken}),
  );

  await step('admin.deletePolicy', () => adminClient.auth.deletePolicy(policyUuid));
  await step('admin.deleteUser', () => adminClient.auth.deleteUser(bobUuid));
  await step('admin.getUser.deleted', () => adminClient.auth.getUser(bobUuid), bodyView);
  await step('admin.logOut', () => adminClient.auth.logOut(adminClient.client.token));
}

main().then(
  () => {
    writeFileSync(outputFile, JSON.stringify(results, null, 2));
    process.exit(0);
  },
  (error) => {
    console.error('wazo-sdk scenario failed:', error);
    process.exit(1);
  },
);

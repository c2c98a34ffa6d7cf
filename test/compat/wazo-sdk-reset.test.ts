// Wazo's JavaScript SDK (@wazo/sdk 0.44.7, unchanged) through the forgotten-password flow
// against our daemon over HTTPS under /api/auth: sendResetPasswordEmail, the mail (a real SMTP
// server), then resetPassword with the mailed token, as Wazo's reset page does.

import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import type {IncomingMessage, ServerResponse} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {fileURLToPath} from 'node:url';
import {mailConfig, startTestSmtp, type TestSmtp} from '../helpers/smtp.js';
import {startHttpsDaemon, type HttpsDaemon} from './https-daemon.js';
import type {ResetScenarioInput, ResetStepResult} from './wazo-sdk-reset-scenario.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SCENARIO = fileURLToPath(new URL('./wazo-sdk-reset-scenario.ts', import.meta.url));
const API = '/api/auth/0.1';

let d: HttpsDaemon;
let smtp: TestSmtp;
const received: {step: string; method: string; url: string; status?: number}[] = [];

function run(input: ResetScenarioInput): Promise<Record<string, ResetStepResult>> {
  const dir = mkdtempSync(join(tmpdir(), 'wazo-sdk-reset-'));
  const file = join(dir, 'results.json');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', SCENARIO, JSON.stringify(input), file],
      {cwd: ROOT, env: {...process.env, NODE_TLS_REJECT_UNAUTHORIZED: '0', NODE_NO_WARNINGS: '1'}, timeout: 30_000, killSignal: 'SIGKILL'},
      (error, stdout, stderr) => {
        try {
          if (error) throw new Error(`the SDK scenario failed (${error.message}):\n${stdout}\n${stderr}`);
          resolve(JSON.parse(readFileSync(file, 'utf8')));
        } catch (e) {
          reject(e);
        } finally {
          rmSync(dir, {recursive: true, force: true});
        }
      },
    );
  });
}

const requestsOf = (step: string) => received.filter((r) => r.step === step).map((r) => `${r.method} ${r.url} ${r.status}`);

before(async () => {
  smtp = await startTestSmtp();
  d = await startHttpsDaemon(mailConfig(smtp.port));
  d.daemon.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const entry: (typeof received)[number] = {step: String(req.headers['x-compat-step'] ?? ''), method: req.method!, url: req.url!};
    received.push(entry);
    res.on('finish', () => (entry.status = res.statusCode));
  });
});
after(async () => {
  await d?.stop();
  await smtp?.close();
});

test('sendResetPasswordEmail mails the link; resetPassword with its token sets the password, once', async () => {
  const token = (
    await d.call('POST', '/0.1/token', {
      body: {},
      headers: {authorization: `Basic ${Buffer.from(`${d.admin.username}:${d.admin.password}`).toString('base64')}`},
    })
  ).json.data.token;
  const user = (await d.call('POST', '/0.1/users', {token, body: {username: 'sdk-forgetful', password: 'old-pass', email_address: 'forgetful@example.com'}}))
    .json;

  const asked = await run({server: d.server, phase: 'ask', username: 'sdk-forgetful', email: 'forgetful@example.com'});
  for (const name of ['sendResetPasswordEmail.username', 'sendResetPasswordEmail.email', 'sendResetPasswordEmail.unknown']) {
    assert.deepEqual(asked[name], {ok: true, value: true}, name);
  }
  // The SDK puts its body in the query string of the GET.
  assert.deepEqual(requestsOf('sendResetPasswordEmail.username'), [`GET ${API}/users/password/reset?username=sdk-forgetful 204`]);
  assert.deepEqual(requestsOf('sendResetPasswordEmail.email'), [`GET ${API}/users/password/reset?email=forgetful%40example.com 204`]);
  assert.deepEqual(requestsOf('sendResetPasswordEmail.unknown'), [`GET ${API}/users/password/reset?username=nobody-at-all 204`]);

  await d.daemon.services.mail.idle();
  assert.equal(smtp.mails.length, 2);
  const mail = smtp.mails[1]!;
  assert.deepEqual(mail.to, ['forgetful@example.com']);
  const link = /^https:\/\/app\.wazo\.io\/reset-password\?host=([^&]+)&token=([0-9a-f-]{36})&user_uuid=([0-9a-f-]{36})$/m.exec(mail.body);
  assert.ok(link, mail.body);
  // What Wazo's reset page gets: the stack's host (the SDK's `server`), the token, the user.
  assert.equal(link[1], d.server);
  assert.equal(link[3], user.uuid);

  const set = await run({server: link[1]!, phase: 'set', userUuid: link[3]!, token: link[2]!, username: 'sdk-forgetful', password: 'new-pass'});
  assert.deepEqual(set.resetPassword, {ok: true, value: true});
  assert.deepEqual(requestsOf('resetPassword'), [`POST ${API}/users/password/reset?user_uuid=${user.uuid} 204`]);
  // The token worked once: the password change ended the user's sessions, the link's with them.
  assert.equal(set['resetPassword.again']!.ok, false);
  assert.deepEqual(set['logIn.newPassword'], {ok: true, value: {uuid: user.uuid}});
});

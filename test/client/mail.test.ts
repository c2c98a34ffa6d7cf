// client.users' mail calls against a real daemon and a real SMTP server: registration, the
// confirmation mail, the forgotten-password mail and setting a password without the old one.

import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {ApiError, AuthClient} from '../../src/client/index.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {mailConfig, startTestSmtp, type TestSmtp} from '../helpers/smtp.js';

let smtp: TestSmtp;
let td: TestDaemon;
let admin: AuthClient;
let anonymous: AuthClient;

before(async () => {
  smtp = await startTestSmtp();
  td = await startTestDaemon({config: mailConfig(smtp.port, {enabled_http_plugins: {user_registration: true}})});
  admin = new AuthClient({url: td.url, token: td.admin.token});
  anonymous = new AuthClient({url: td.url});
});
after(async () => {
  await admin.close();
  await anonymous.close();
  await td.stop();
  await smtp.close();
});

test('register, then the confirmation mail again; a confirmed address is ApiError 409', async () => {
  const user = await anonymous.users.register({username: 'client-reg', password: 'pw', email_address: 'client-reg@example.com'});
  assert.equal(user.username, 'client-reg');
  assert.equal(user.emails[0]!.confirmed, false);
  await smtp.waitFor(1);
  await admin.users.requestEmailConfirmation(user.uuid, user.emails[0]!.uuid);
  const second = (await smtp.waitFor(2))[1]!;
  assert.deepEqual(second.to, ['client-reg@example.com']);
  await admin.users.confirmEmail(user.emails[0]!.uuid);
  await assert.rejects(admin.users.requestEmailConfirmation(user.uuid, user.emails[0]!.uuid), (e) => e instanceof ApiError && e.status === 409);
  await assert.rejects(
    anonymous.users.register({username: 'client-reg', password: 'pw', email_address: 'x@example.com'}),
    (e) => e instanceof ApiError && e.status === 409,
  );
});

test('requestPasswordReset needs no token; setPassword with the mailed token, or as administrator', async () => {
  const user = await admin.users.create({username: 'client-reset', password: 'old', email_address: 'client-reset@example.com'});
  const count = smtp.mails.length + 1;
  await anonymous.users.requestPasswordReset({login: 'client-reset@example.com'});
  await anonymous.users.requestPasswordReset({username: 'not-there'});
  const mail = (await smtp.waitFor(count))[count - 1]!;
  const token = /token=([0-9a-f-]{36})/.exec(mail.body)![1]!;
  await anonymous.users.setPassword(user.uuid, 'from-mail', token);
  await td.login('client-reset', 'from-mail');
  await assert.rejects(anonymous.users.setPassword(user.uuid, 'again', token), (e) => e instanceof ApiError && e.status === 401);
  await admin.users.setPassword(user.uuid, 'from-admin');
  await td.login('client-reset', 'from-admin');
  await admin.users.setPassword(user.uuid, null);
  await assert.rejects(td.login('client-reset', 'from-admin'));
});

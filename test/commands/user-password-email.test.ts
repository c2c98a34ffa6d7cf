// `wazo-auth user password set|reset` and `wazo-auth user email confirm` through the built
// binary, against a real daemon mailing through a real SMTP server (smtp-server).

import assert from 'node:assert/strict';
import {after, before, describe, test} from 'node:test';
import {AuthClient} from '../../src/client/index.js';
import {adminCli, type AdminCli} from '../helpers/admin-cli.js';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {mailConfig, startTestSmtp, type TestSmtp} from '../helpers/smtp.js';

let smtp: TestSmtp;
let td: TestDaemon;
let client: AuthClient;
let cli: AdminCli;

before(async () => {
  smtp = await startTestSmtp();
  td = await startTestDaemon({config: mailConfig(smtp.port)});
  client = new AuthClient({url: td.url, token: td.admin.token});
  cli = adminCli(td.url, td.admin.token);
});
after(async () => {
  cli.remove();
  await client.close();
  await td.stop();
  await smtp.close();
});

const canLogIn = (username: string, password: string) =>
  td.login(username, password).then(
    () => true,
    () => false,
  );

describe('user password set', () => {
  test('from stdin, without the current password: the new one works, the sessions end', async () => {
    const user = await client.users.create({username: 'set-stdin', password: 'first'});
    await td.login('set-stdin', 'first');
    const r = await cli.run(['user', 'password', 'set', 'set-stdin', '--password-stdin'], 'second one\n');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /Password set \(set-stdin\)/);
    assert.doesNotMatch(r.stderr, /second one/);
    assert.equal((await client.users.listSessions(user.uuid)).total, 0);
    assert.equal(await canLogIn('set-stdin', 'second one'), true);
    assert.equal(await canLogIn('set-stdin', 'first'), false);
  });

  test('--remove takes the password away; no password and no terminal exits 2; an unknown user exits 1', async () => {
    await client.users.create({username: 'set-remove', password: 'first'});
    const removed = await cli.run(['user', 'password', 'set', 'set-remove', '--remove']);
    assert.equal(removed.status, 0, removed.stderr);
    assert.equal(await canLogIn('set-remove', 'first'), false);
    assert.equal((await cli.run(['user', 'password', 'set', 'set-remove'])).status, 2);
    assert.equal((await cli.run(['user', 'password', 'set', 'no-such-user', '--password-stdin'], 'x')).status, 1);
  });

  test('an ldap user is refused', async () => {
    await client.users.create({username: 'set-ldap', password: 'first', authentication_method: 'ldap'});
    const r = await cli.run(['user', 'password', 'set', 'set-ldap', '--password-stdin'], 'x');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /405/);
  });
});

describe('user password reset', () => {
  test('--username mails the link, whose token sets the password through the client', async () => {
    const user = await client.users.create({username: 'reset-cli', password: 'first', email_address: 'reset-cli@example.com'});
    const before = smtp.mails.length;
    const r = await cli.run(['user', 'password', 'reset', '--username', 'reset-cli'], undefined, {WAZO_AUTH_TOKEN: ''});
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /on its way/);
    const mail = (await smtp.waitFor(before + 1))[before]!;
    assert.deepEqual(mail.to, ['reset-cli@example.com']);
    const token = /token=([0-9a-f-]{36})/.exec(mail.body)![1]!;
    const anonymous = new AuthClient({url: td.url});
    try {
      await anonymous.users.setPassword(user.uuid, 'from the mail', token);
    } finally {
      await anonymous.close();
    }
    assert.equal(await canLogIn('reset-cli', 'from the mail'), true);
  });

  test('an unknown user succeeds too (the daemon says nothing); no flag or two flags exit 2', async () => {
    const before = smtp.mails.length;
    const r = await cli.run(['user', 'password', 'reset', '--email', 'nobody@example.com']);
    assert.equal(r.status, 0, r.stderr);
    await td.daemon.services.mail.idle();
    assert.equal(smtp.mails.length, before);
    assert.equal((await cli.run(['user', 'password', 'reset'])).status, 2);
    assert.equal((await cli.run(['user', 'password', 'reset', '--email', 'a@example.com', '--username', 'a'])).status, 2);
  });
});

describe('user email confirm', () => {
  test('by address or uuid: mails the link; a confirmed address exits 1', async () => {
    const user = await client.users.create({username: 'confirm-cli', password: 'pw'});
    const [email] = await client.users.updateEmails(user.uuid, [{address: 'confirm-cli@example.com', main: true}]);
    const before = smtp.mails.length;
    const r = await cli.run(['user', 'email', 'confirm', 'confirm-cli', 'Confirm-CLI@example.com']);
    assert.equal(r.status, 0, r.stderr);
    const mail = (await smtp.waitFor(before + 1))[before]!;
    const token = /confirm\?token=([0-9a-f-]{36})/.exec(mail.body)![1]!;
    assert.equal((await cli.run(['user', 'email', 'confirm', 'confirm-cli', email!.uuid])).status, 0);
    await smtp.waitFor(before + 2);
    // The second mail revoked the first link.
    assert.equal((await td.call('GET', `/0.1/emails/${email!.uuid}/confirm?token=${token}`)).status, 401);
    await client.users.confirmEmail(email!.uuid);
    const confirmed = await cli.run(['user', 'email', 'confirm', 'confirm-cli', 'confirm-cli@example.com']);
    assert.equal(confirmed.status, 1);
    assert.match(confirmed.stderr, /already confirmed/);
    assert.equal((await cli.run(['user', 'email', 'confirm', 'confirm-cli', 'other@example.com'])).status, 1);
  });
});

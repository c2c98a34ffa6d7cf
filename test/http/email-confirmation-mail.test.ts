// The confirmation mail of an address (GET /0.1/users/{uuid}/emails/{email_uuid}/confirm), its
// link, registration (POST /0.1/users/register), upstream's templates, and the SMTP server down,
// over real SMTP (smtp-server).

import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {createServer, type Server, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {ManualClock} from '../../src/clock.js';
import {BUILTIN_TEMPLATES} from '../../src/services/mail/templates.js';
import {basic, call, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {recordingLog} from '../helpers/recording-log.js';
import {mailConfig, startTestSmtp, type ReceivedMail, type TestSmtp} from '../helpers/smtp.js';
import {createTenant} from '../helpers/users.js';

const CONFIRM_LINK = /^https:\/\/(\S+?)\/0\.1\/emails\/([0-9a-f-]{36})\/confirm\?token=([0-9a-f-]{36})$/m;

let smtp: TestSmtp;
let td: TestDaemon;
let top: string;
let sub: string;
let sibling: string;
let subAdmin: string;

const admin = () => td.admin.token;
let made = 0;

async function pendingAddress(options: {tenant?: string; username?: string | null} = {}) {
  const username = options.username === undefined ? `confirm-user-${++made}` : options.username;
  const headers = options.tenant ? {'wazo-tenant': options.tenant} : undefined;
  const user = (await td.call('POST', '/0.1/users', {token: admin(), headers, body: {username, password: 'pw'}})).json;
  const address = `${username ?? `anonymous-${++made}`}@example.com`;
  const [email] = (await td.call('PUT', `/0.1/admin/users/${user.uuid}/emails`, {token: admin(), body: {emails: [{address, main: true, confirmed: false}]}}))
    .json;
  return {uuid: user.uuid as string, username, address, emailUuid: email.uuid as string};
}

async function resend(userUuid: string, emailUuid: string, token = admin(), headers?: Record<string, string>) {
  const before = smtp.mails.length;
  const r = await td.call('GET', `/0.1/users/${userUuid}/emails/${emailUuid}/confirm`, {token, headers});
  await td.daemon.services.mail.idle();
  return {status: r.status, json: r.json, mails: smtp.mails.slice(before)};
}

function linkOf(mail: ReceivedMail) {
  const match = CONFIRM_LINK.exec(mail.body);
  assert.ok(match, `no confirmation link in:\n${mail.body}`);
  return {host: match[1]!, emailUuid: match[2]!, token: match[3]!, url: match[0]};
}

before(async () => {
  smtp = await startTestSmtp();
  td = await startTestDaemon({config: mailConfig(smtp.port, {email_confirmation_get_mimetype: 'text/x-test'})});
  top = (await td.daemon.services.store.tenants.top())!.uuid;
  sub = await createTenant(td.daemon.services.store, top, 'sub');
  sibling = await createTenant(td.daemon.services.store, top, 'sibling');
  const boss = (await td.call('POST', '/0.1/users', {token: admin(), headers: {'wazo-tenant': sub}, body: {username: 'sub-boss', password: 'pw'}})).json;
  const policy = (await td.call('POST', '/0.1/policies', {token: admin(), headers: {'wazo-tenant': sub}, body: {name: 'sub-all', acl: ['#']}})).json;
  await td.call('PUT', `/0.1/users/${boss.uuid}/policies/${policy.uuid}`, {token: admin(), headers: {'wazo-tenant': sub}});
  subAdmin = (await td.login('sub-boss', 'pw')).token;
});
after(async () => {
  await td.stop();
  await smtp.close();
});

describe('GET /0.1/users/{uuid}/emails/{email_uuid}/confirm', () => {
  test('mails the link; following it confirms the address, which becomes a login', async () => {
    const alice = await pendingAddress();
    const {status, mails} = await resend(alice.uuid, alice.emailUuid);
    assert.equal(status, 204);
    assert.equal(mails.length, 1);
    const mail = mails[0]!;
    assert.deepEqual(mail.to, [alice.address]);
    assert.equal(mail.from, 'confirm-sender@example.com');
    assert.equal(mail.headers.from, 'Confirm Sender <confirm-sender@example.com>');
    assert.equal(mail.headers.subject, 'Please confirm your e-mail address');
    assert.match(mail.body, new RegExp(`confirm that ${alice.address} is your address`));
    const link = linkOf(mail);
    assert.equal(link.emailUuid, alice.emailUuid);
    assert.equal(link.host, new URL(td.url).host);

    assert.equal((await td.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic(alice.address, 'pw')}})).status, 401);
    const page = await call(td.url.replace(/\/*$/, ''), 'GET', link.url.replace(/^https:\/\/[^/]+/, ''));
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/x-test; charset=utf-8');
    assert.equal(page.text, BUILTIN_TEMPLATES.email_confirmation_get_body.replace(/\n$/, ''));
    const user = (await td.call('GET', `/0.1/users/${alice.uuid}`, {token: admin()})).json;
    assert.equal(user.emails[0].confirmed, true);
    assert.equal((await td.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic(alice.address, 'pw')}})).status, 200);
    // The link's token did its work: it is revoked.
    assert.equal((await td.call('HEAD', `/0.1/token/${link.token}`)).status, 404);
    // Confirmed: no more mails.
    const again = await resend(alice.uuid, alice.emailUuid);
    assert.equal(again.status, 409);
    assert.deepEqual(
      {...again.json, timestamp: 0},
      {
        message: `This email already confirmed: "${alice.emailUuid}"`,
        error_id: 'conflict',
        details: {uuid: alice.emailUuid},
        timestamp: 0,
        resource: 'emails',
      },
    );
    assert.deepEqual(again.mails, []);
  });

  test("the link's token confirms its own address only, and nothing else", async () => {
    const bob = await pendingAddress();
    const carol = await pendingAddress();
    const {token} = linkOf((await resend(bob.uuid, bob.emailUuid)).mails[0]!);
    assert.equal((await td.call('GET', `/0.1/emails/${carol.emailUuid}/confirm?token=${token}`)).status, 401);
    assert.equal((await td.call('GET', `/0.1/users/${bob.uuid}`, {token})).status, 401);
    assert.equal((await td.call('POST', `/0.1/users/password/reset?user_uuid=${bob.uuid}`, {token, body: {password: 'x'}})).status, 401);
    assert.equal((await td.call('PUT', `/0.1/emails/${bob.emailUuid}/confirm`, {token})).status, 204);
  });

  test('links follow X-Script-Name and the Host the client used', async () => {
    const dan = await pendingAddress();
    const {mails} = await resend(dan.uuid, dan.emailUuid, admin(), {host: 'auth.example.com:8443', 'x-script-name': '/api/auth'});
    assert.match(mails[0]!.body, new RegExp(`^https://auth\\.example\\.com:8443/api/auth/0\\.1/emails/${dan.emailUuid}/confirm\\?token=`, 'm'));
    // A prefix that is not a path is left out rather than put in a link.
    const {mails: odd} = await resend(dan.uuid, dan.emailUuid, admin(), {host: 'auth.example.com', 'x-script-name': '@evil.example/x'});
    assert.match(odd[0]!.body, new RegExp(`^https://auth\\.example\\.com/0\\.1/emails/${dan.emailUuid}/confirm\\?token=`, 'm'));
  });

  test('404 for an unknown user or address; 401 without the access', async () => {
    const erin = await pendingAddress();
    assert.equal((await resend(randomUUID(), erin.emailUuid)).status, 404);
    const unknownEmail = await resend(erin.uuid, randomUUID());
    assert.equal(unknownEmail.status, 404);
    assert.equal(unknownEmail.json.error_id, 'unknown-email');
    const other = await pendingAddress();
    assert.equal((await resend(erin.uuid, other.emailUuid)).status, 404, "another user's address");
    const anonymous = await td.call('GET', `/0.1/users/${erin.uuid}/emails/${erin.emailUuid}/confirm`);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.details.required_access, `auth.users.${erin.uuid}.emails.${erin.emailUuid}.confirm.read`);
  });

  test("tenant isolation: a tenant's administrator cannot mail or confirm another tenant's addresses", async () => {
    const inSibling = await pendingAddress({tenant: sibling});
    const r = await resend(inSibling.uuid, inSibling.emailUuid, subAdmin);
    assert.equal(r.status, 404);
    assert.deepEqual(r.mails, []);
    assert.equal((await td.call('PUT', `/0.1/emails/${inSibling.emailUuid}/confirm`, {token: subAdmin})).status, 404);
    const inSub = await pendingAddress({tenant: sub});
    const mine = await resend(inSub.uuid, inSub.emailUuid, subAdmin);
    assert.equal(mine.status, 204);
    assert.equal(mine.mails.length, 1);
  });
});

describe('POST /0.1/users/register', () => {
  test('404 unless user_registration is enabled, as upstream', async () => {
    assert.equal((await td.call('POST', '/0.1/users/register', {body: {username: 'x', password: 'y', email_address: 'x@example.com'}})).status, 404);
  });

  test('enabled: a user in a tenant of its own, its address unconfirmed until the mailed link', async () => {
    const mails = await startTestSmtp();
    const reg = await startTestDaemon({config: mailConfig(mails.port, {enabled_http_plugins: {user_registration: true}})});
    try {
      const r = await reg.call('POST', '/0.1/users/register', {
        body: {username: 'newcomer', password: 'fresh-pw', firstname: 'New', email_address: 'newcomer@example.com'},
      });
      assert.equal(r.status, 200);
      assert.equal(r.json.username, 'newcomer');
      assert.equal(r.json.firstname, 'New');
      assert.equal(r.json.emails[0].confirmed, false);
      assert.notEqual(r.json.tenant_uuid, (await reg.daemon.services.store.tenants.top())!.uuid);
      const tenant = (await reg.call('GET', `/0.1/tenants/${r.json.tenant_uuid}`, {token: reg.admin.token})).json;
      assert.equal(tenant.name, 'newcomer');
      const [mail] = await mails.waitFor(1);
      assert.deepEqual(mail!.to, ['newcomer@example.com']);
      assert.equal((await reg.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic('newcomer@example.com', 'fresh-pw')}})).status, 401);
      const link = linkOf(mail!);
      assert.equal((await reg.call('GET', `/0.1/emails/${link.emailUuid}/confirm?token=${link.token}`)).status, 200);
      assert.equal((await reg.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic('newcomer@example.com', 'fresh-pw')}})).status, 200);

      const taken = await reg.call('POST', '/0.1/users/register', {body: {username: 'newcomer', password: 'x', email_address: 'other@example.com'}});
      assert.equal(taken.status, 409);
      const tenants = (await reg.call('GET', '/0.1/tenants', {token: reg.admin.token})).json;
      assert.equal(tenants.total, 2, 'a refused registration leaves no tenant behind');
      const invalid = await reg.call('POST', '/0.1/users/register', {body: {username: 'x', password: 'y'}});
      assert.equal(invalid.status, 400);
      assert.equal(invalid.json.resource, 'users');
      assert.deepEqual(Object.keys(invalid.json.details), ['email_address']);
    } finally {
      await reg.stop();
      await mails.close();
    }
  });
});

describe("upstream's Jinja templates, configured", () => {
  test('render unchanged with nunjucks: variables, conditions, the confirmation page', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'templates-'));
    // Upstream's default templates (wazo-auth templates/*.jinja), written out as an operator has them.
    const files = {
      'password_reset_email.jinja': [
        'Hello {{ username }},',
        '',
        'To reset your password, click on the following link:',
        '',
        'https://app.wazo.io/reset-password?host={{ hostname }}{% if port %}:{{ port }}{% endif %}&token={{ token }}&user_uuid={{ user_uuid }}',
        '',
      ].join('\n'),
      'password_reset_email_subject.jinja': 'New password requested\n',
      'email_confirmation.jinja': [
        "You've registered a new account on wazo-auth for {{ username }}",
        '',
        'Click on the following link to confirm this email address:',
        '',
        'https://{{ hostname }}{% if port %}:{{ port }}{% endif %}{% if prefix %}{{ prefix }}{% endif %}/0.1/emails/{{ email_uuid }}/confirm?token={{ token }}',
        '',
      ].join('\n'),
      'email_confirmation_subject.jinja': 'Email confirmation for {{ username }}\n',
      'email_confirmation_get_body.jinja': 'Custom template\n',
    };
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
    const mails = await startTestSmtp();
    const custom = await startTestDaemon({
      config: {
        ...mailConfig(mails.port),
        password_reset_email_template: join(dir, 'password_reset_email.jinja'),
        password_reset_email_subject_template: join(dir, 'password_reset_email_subject.jinja'),
        email_confirmation_template: join(dir, 'email_confirmation.jinja'),
        email_confirmation_subject_template: join(dir, 'email_confirmation_subject.jinja'),
        email_confirmation_get_response_body_template: join(dir, 'email_confirmation_get_body.jinja'),
      },
    });
    try {
      const user = (
        await custom.call('POST', '/0.1/users', {token: custom.admin.token, body: {username: 'jinja', password: 'pw', email_address: 'jinja@example.com'}})
      ).json;
      await custom.call('GET', '/0.1/users/password/reset?username=jinja', {headers: {host: 'stack.example.com'}});
      const [reset] = await mails.waitFor(1);
      assert.equal(reset!.headers.subject, 'New password requested');
      const token = /token=([0-9a-f-]{36})/.exec(reset!.body)![1];
      assert.equal(
        reset!.body.replace(/\n$/, ''),
        `Hello jinja,\n\nTo reset your password, click on the following link:\n\nhttps://app.wazo.io/reset-password?host=stack.example.com&token=${token}&user_uuid=${user.uuid}`,
      );

      const [email] = (
        await custom.call('PUT', `/0.1/admin/users/${user.uuid}/emails`, {
          token: custom.admin.token,
          body: {emails: [{address: 'jinja2@example.com', main: true, confirmed: false}]},
        })
      ).json;
      await custom.call('GET', `/0.1/users/${user.uuid}/emails/${email.uuid}/confirm`, {
        token: custom.admin.token,
        headers: {host: 'stack.example.com:443', 'x-script-name': '/api/auth'},
      });
      const confirmation = (await mails.waitFor(2))[1]!;
      assert.equal(confirmation.headers.subject, 'Email confirmation for jinja');
      const link = linkOf(confirmation);
      assert.equal(link.url, `https://stack.example.com:443/api/auth/0.1/emails/${email.uuid}/confirm?token=${link.token}`);
      const page = await custom.call('GET', `/0.1/emails/${email.uuid}/confirm?token=${link.token}`);
      assert.equal(page.status, 200);
      assert.equal(page.text, 'Custom template');
      assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    } finally {
      await custom.stop();
      await mails.close();
      await rm(dir, {recursive: true, force: true});
    }
  });
});

describe('the SMTP server down', () => {
  test('the routes answer as usual; each mail is tried smtp.attempts times and its failure logged once, without the token', async () => {
    // A server that takes connections and drops them at once: every try fails.
    const sockets: Socket[] = [];
    let connections = 0;
    const dropper: Server = createServer((socket) => {
      connections++;
      sockets.push(socket);
      socket.destroy();
    });
    await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
    const port = (dropper.address() as {port: number}).port;
    const log = recordingLog();
    const down = await startTestDaemon({log, config: mailConfig(port, {smtp: {hostname: '127.0.0.1', port, attempts: 3, retry_delay: 0, password: null}})});
    try {
      const user = (
        await down.call('POST', '/0.1/users', {token: down.admin.token, body: {username: 'unlucky', password: 'pw', email_address: 'unlucky@example.com'}})
      ).json;
      assert.equal((await down.call('GET', '/0.1/users/password/reset?username=unlucky')).status, 204);
      await down.daemon.services.mail.idle();
      assert.equal(connections, 3);
      const failures = log.at('warning', 'error').filter((line) => line.startsWith('mail:'));
      assert.equal(failures.length, 1, failures.join('\n'));
      assert.match(failures[0]!, new RegExp(`^mail: password reset mail for user ${user.uuid} not sent to 127\\.0\\.0\\.1:${port}: `));
      // The token minted for the mail appears in no line.
      const sessions = await down.daemon.services.store.tokens.listSessions({tenantUuids: [user.tenant_uuid], userUuid: user.uuid}, {});
      assert.equal(sessions.items.length, 1);
      const token = (down.daemon.services.passwordReset as unknown as {lastToken: Map<string, string>}).lastToken.get(user.uuid)!;
      assert.ok(token);
      assert.ok(!log.lines.some((line) => line.message.includes(token)));

      // The confirmation route too answers as when the server is up.
      const [email] = (
        await down.call('PUT', `/0.1/admin/users/${user.uuid}/emails`, {
          token: down.admin.token,
          body: {emails: [{address: 'unlucky@example.com', main: true, confirmed: false}]},
        })
      ).json;
      assert.equal((await down.call('GET', `/0.1/users/${user.uuid}/emails/${email.uuid}/confirm`, {token: down.admin.token})).status, 204);
      await down.daemon.services.mail.idle();
      assert.equal(connections, 6);
      assert.equal(log.at('warning').filter((line) => line.startsWith('mail:')).length, 2);
    } finally {
      await down.stop();
      await new Promise((resolve) => dropper.close(resolve));
    }
  });

  test('a permanent refusal (5xx) is not tried again; a temporary one (4xx) is', async () => {
    for (const [code, tries] of [
      [550, 1],
      [451, 3],
    ] as const) {
      const refusing = await startTestSmtp({refuseRecipients: code});
      const log = recordingLog();
      const d = await startTestDaemon({
        log,
        config: mailConfig(refusing.port, {smtp: {hostname: '127.0.0.1', port: refusing.port, attempts: 3, retry_delay: 0}}),
      });
      try {
        await d.call('POST', '/0.1/users', {token: d.admin.token, body: {username: 'refused', password: 'pw', email_address: 'refused@example.com'}});
        assert.equal((await d.call('GET', '/0.1/users/password/reset?username=refused')).status, 204);
        await d.daemon.services.mail.idle();
        assert.equal(refusing.connections, tries, `${code}`);
        assert.deepEqual(refusing.mails, []);
        const failures = log.at('warning').filter((line) => line.startsWith('mail:'));
        assert.equal(failures.length, 1);
        assert.match(failures[0]!, new RegExp(`${code}`));
      } finally {
        await d.stop();
        await refusing.close();
      }
    }
  });

  test('a connection cut after the whole message was written is not tried again: the mail is sent once', async () => {
    const dropping = await startTestSmtp({dropAfterData: true});
    const log = recordingLog();
    const d = await startTestDaemon({
      log,
      config: mailConfig(dropping.port, {smtp: {hostname: '127.0.0.1', port: dropping.port, attempts: 3, retry_delay: 0}}),
    });
    try {
      await d.call('POST', '/0.1/users', {token: d.admin.token, body: {username: 'cut', password: 'pw', email_address: 'cut@example.com'}});
      assert.equal((await d.call('GET', '/0.1/users/password/reset?username=cut')).status, 204);
      await d.daemon.services.mail.idle();
      assert.equal(dropping.connections, 1);
      assert.equal(dropping.mails.length, 1, 'the server got it once');
      assert.equal(log.at('warning').filter((line) => line.startsWith('mail:')).length, 1);
    } finally {
      await d.stop();
      await dropping.close();
    }
  });

  test('a mail waiting for its next try holds no other mail back', async () => {
    let refusals = 0;
    const picky = await startTestSmtp({refuseRecipients: (address) => (address === 'later@example.com' ? (refusals++, 451) : undefined)});
    const log = recordingLog();
    const d = await startTestDaemon({log, config: mailConfig(picky.port, {smtp: {hostname: '127.0.0.1', port: picky.port, attempts: 3, retry_delay: 600}})});
    try {
      for (const name of ['later', 'now']) {
        await d.call('POST', '/0.1/users', {token: d.admin.token, body: {username: name, password: 'pw', email_address: `${name}@example.com`}});
        assert.equal((await d.call('GET', `/0.1/users/password/reset?username=${name}`)).status, 204);
      }
      const [mail] = await picky.waitFor(1);
      assert.deepEqual(mail!.to, ['now@example.com']);
      assert.equal(refusals, 1, 'the refused mail waits for its next try');
      assert.equal(d.daemon.services.mail.counts.failed, 0);
    } finally {
      await d.stop();
      await picky.close();
    }
    // Stopping gives it up, in one line.
    const failures = log.at('warning').filter((line) => line.startsWith('mail:'));
    assert.equal(failures.length, 1);
    assert.match(failures[0]!, /stopped before it could be sent/);
  });
});

describe('confirmation links expire after email_confirmation_expiration', () => {
  test('works until the expiry, not after (ManualClock)', async () => {
    const clock = new ManualClock();
    const mails = await startTestSmtp();
    const timed = await startTestDaemon({clock, config: mailConfig(mails.port, {email_confirmation_expiration: 600})});
    try {
      const user = (await timed.call('POST', '/0.1/users', {token: timed.admin.token, body: {username: 'timed', password: 'pw'}})).json;
      const emails = (
        await timed.call('PUT', `/0.1/admin/users/${user.uuid}/emails`, {
          token: timed.admin.token,
          body: {emails: [{address: 'early@example.com', main: true}, {address: 'late@example.com'}]},
        })
      ).json;
      const linkFor = async (emailUuid: string) => {
        const count = mails.mails.length + 1;
        await timed.call('GET', `/0.1/users/${user.uuid}/emails/${emailUuid}/confirm`, {token: timed.admin.token});
        return linkOf((await mails.waitFor(count))[count - 1]!);
      };
      const early = await linkFor(emails[0].uuid);
      const late = await linkFor(emails[1].uuid);
      clock.advance(599);
      assert.equal((await timed.call('GET', `/0.1/emails/${early.emailUuid}/confirm?token=${early.token}`)).status, 200);
      clock.advance(2);
      const r = await timed.call('GET', `/0.1/emails/${late.emailUuid}/confirm?token=${late.token}`);
      assert.equal(r.status, 401);
      assert.equal(r.json.details.reason, 'not_found_or_expired');
      const after = (await timed.call('GET', `/0.1/users/${user.uuid}`, {token: timed.admin.token})).json;
      assert.deepEqual(
        after.emails.map((e: {confirmed: boolean}) => e.confirmed),
        [true, false],
      );
    } finally {
      await timed.stop();
      await mails.close();
    }
  });
});

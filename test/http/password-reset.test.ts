// Forgotten passwords and administrators' resets over real SMTP (smtp-server): GET
// /0.1/users/password/reset, the mail, and POST /0.1/users/password/reset?user_uuid= with the
// mailed token or an administrator's.

import assert from 'node:assert/strict';
import {randomUUID} from 'node:crypto';
import {after, before, beforeEach, describe, test} from 'node:test';
import {ManualClock} from '../../src/clock.js';
import {basic, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {recordingLog, type RecordingLog} from '../helpers/recording-log.js';
import {mailConfig, startTestSmtp, type ReceivedMail, type TestSmtp} from '../helpers/smtp.js';
import {createTenant} from '../helpers/users.js';

const LINK = /^https:\/\/app\.wazo\.io\/reset-password\?host=([^&\s]+)&token=([0-9a-f-]{36})&user_uuid=([0-9a-f-]{36})$/m;

let smtp: TestSmtp;
let td: TestDaemon;
let log: RecordingLog;
let top: string;
let sub: string;
let sibling: string;
let subAdmin: string;
let seen = 0;

const admin = () => td.admin.token;
const loginStatus = async (login: string, password: string) =>
  (await td.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic(login, password)}})).status;

let made = 0;
/** A user made through the API: `email` confirmed unless said otherwise. */
async function newUser(options: {tenant?: string; email?: string | null; confirmed?: boolean; username?: string | null; method?: string} = {}) {
  const username = options.username === undefined ? `reset-user-${++made}` : options.username;
  const headers = options.tenant ? {'wazo-tenant': options.tenant} : undefined;
  const body: Record<string, unknown> = {username, password: 'old-secret'};
  if (options.method) body.authentication_method = options.method;
  const user = (await td.call('POST', '/0.1/users', {token: admin(), body, headers})).json;
  if (options.email !== null) {
    const address = options.email ?? `${username ?? `nobody-${made}`}@example.com`;
    await td.call('PUT', `/0.1/admin/users/${user.uuid}/emails`, {
      token: admin(),
      body: {emails: [{address, main: true, confirmed: options.confirmed ?? true}]},
    });
  }
  return {uuid: user.uuid as string, username: username as string | null, address: options.email ?? `${username}@example.com`};
}

/** Asks for a reset mail, lets the queue run, and returns the mails that arrived since the last call. */
async function ask(query: string): Promise<{status: number; mails: ReceivedMail[]}> {
  const r = await td.call('GET', `/0.1/users/password/reset?${query}`);
  await td.daemon.services.mail.idle();
  const mails = smtp.mails.slice(seen);
  seen = smtp.mails.length;
  return {status: r.status, mails};
}

function linkOf(mail: ReceivedMail): {host: string; token: string; userUuid: string} {
  const match = LINK.exec(mail.body);
  assert.ok(match, `no reset link in:\n${mail.body}`);
  return {host: match[1]!, token: match[2]!, userUuid: match[3]!};
}

const setPassword = (userUuid: string, password: string | null, token: string) =>
  td.call('POST', `/0.1/users/password/reset?user_uuid=${userUuid}`, {token, body: {password}});

before(async () => {
  smtp = await startTestSmtp();
  log = recordingLog();
  td = await startTestDaemon({config: mailConfig(smtp.port), log});
  top = (await td.daemon.services.store.tenants.top())!.uuid;
  sub = await createTenant(td.daemon.services.store, top, 'sub');
  sibling = await createTenant(td.daemon.services.store, top, 'sibling');
  const subBoss = await newUser({tenant: sub});
  await td.call(
    'PUT',
    `/0.1/users/${subBoss.uuid}/policies/${(await td.call('POST', '/0.1/policies', {token: admin(), headers: {'wazo-tenant': sub}, body: {name: 'sub-all', acl: ['#']}})).json.uuid}`,
    {token: admin(), headers: {'wazo-tenant': sub}},
  );
  subAdmin = (await td.login(subBoss.username!, 'old-secret')).token;
});
after(async () => {
  await td.stop();
  await smtp.close();
});
beforeEach(() => {
  seen = smtp.mails.length;
});

describe('GET /0.1/users/password/reset', () => {
  test('by username: one mail to the confirmed main address, with the link and its token', async () => {
    const bob = await newUser();
    const {status, mails} = await ask(`username=${bob.username}`);
    assert.equal(status, 204);
    assert.equal(mails.length, 1);
    const [mail] = mails;
    assert.deepEqual(mail!.to, [bob.address]);
    assert.equal(mail!.from, 'reset-sender@example.com');
    assert.equal(mail!.headers.from, 'Reset Sender <reset-sender@example.com>');
    assert.equal(mail!.headers.to, `"${bob.username}" <${bob.address}>`);
    assert.equal(mail!.headers.subject, 'Choosing a new password');
    assert.match(mail!.headers['content-type']!, /^text\/plain; charset=utf-8/);
    assert.match(mail!.body, new RegExp(`^Hello ${bob.username},`));
    const link = linkOf(mail!);
    assert.equal(link.userUuid, bob.uuid);
    // The request's Host: the daemon's address and port.
    assert.equal(link.host, new URL(td.url).host);
  });

  test('following the link: the mailed token sets the password once, ends the sessions, the old password stops working', async () => {
    const carol = await newUser();
    const session = (await td.login(carol.username!, 'old-secret')).token;
    const {mails} = await ask(`username=${carol.username}`);
    const {token} = linkOf(mails[0]!);

    const r = await setPassword(carol.uuid, 'new-secret', token);
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
    assert.equal(await loginStatus(carol.username!, 'new-secret'), 200);
    assert.equal(await loginStatus(carol.username!, 'old-secret'), 401);
    assert.equal((await td.call('HEAD', `/0.1/token/${session}`)).status, 404, 'the session of the old password ends');
    // The password change ended the user's sessions, the link's with them: it works once.
    assert.equal((await setPassword(carol.uuid, 'third-secret', token)).status, 401);
    assert.equal(await loginStatus(carol.username!, 'new-secret'), 200);
  });

  test('by email: to that address even unconfirmed, as upstream; by login: a confirmed address', async () => {
    const dave = await newUser({confirmed: false});
    const byEmail = await ask(`email=${encodeURIComponent(dave.address)}`);
    assert.equal(byEmail.status, 204);
    assert.deepEqual(
      byEmail.mails.map((m) => m.to),
      [[dave.address]],
    );

    const erin = await newUser({username: null, email: 'erin.login@example.com'});
    const byLogin = await ask('login=erin.login%40example.com');
    assert.deepEqual(
      byLogin.mails.map((m) => m.to),
      [['erin.login@example.com']],
    );
    // No username: the To has the address alone, and the greeting no name.
    assert.equal(byLogin.mails[0]!.headers.to, 'erin.login@example.com');
    assert.match(byLogin.mails[0]!.body, /^Hello,/);
    const {token} = linkOf(byLogin.mails[0]!);
    assert.equal((await setPassword(erin.uuid, 'erin-new', token)).status, 204);
    assert.equal(await loginStatus('erin.login@example.com', 'erin-new'), 200);
  });

  test('204 and no mail: unknown user, no confirmed address, password managed by ldap or saml', async () => {
    const pending = await newUser({confirmed: false});
    const noAddress = await newUser({email: null});
    const ldap = await newUser({method: 'ldap'});
    const saml = await newUser({method: 'saml'});
    for (const query of [
      'username=nobody-at-all',
      'email=nobody%40example.com',
      'login=nobody',
      `username=${pending.username}`,
      `login=${noAddress.username}`,
      `username=${ldap.username}`,
      `email=${encodeURIComponent(saml.address)}`,
    ]) {
      const {status, mails} = await ask(query);
      assert.equal(status, 204, query);
      assert.deepEqual(mails, [], query);
    }
  });

  test('known and unknown users take the same path: answered before the lookup, the mail after the answer', async () => {
    const frank = await newUser();
    const queued = td.daemon.services.mail.counts.queued;
    smtp.hold();
    const connectionsBefore = smtp.connections;
    try {
      const known = await td.call('GET', `/0.1/users/password/reset?username=${frank.username}`);
      const unknown = await td.call('GET', '/0.1/users/password/reset?username=no-such-user-here');
      // Both answered while the SMTP server has not even greeted: the mail is not on the request's path.
      assert.equal(known.status, 204);
      assert.equal(unknown.status, 204);
      assert.deepEqual([known.text, unknown.text], ['', '']);
      assert.deepEqual(Object.keys(known.headers).sort(), Object.keys(unknown.headers).sort());
      assert.equal(smtp.mails.length, seen);
      // Each request queued one job, whatever the user: the handler does nothing else.
      assert.equal(td.daemon.services.mail.counts.queued, queued + 2);
      while (smtp.connections === connectionsBefore) await new Promise((resolve) => setTimeout(resolve, 5));
    } finally {
      smtp.release();
    }
    await td.daemon.services.mail.idle();
    assert.deepEqual(
      smtp.mails.slice(seen).map((m) => m.to),
      [[frank.address]],
    );
  });

  test('a new mail revokes the previous link', async () => {
    const gina = await newUser();
    const first = linkOf((await ask(`username=${gina.username}`)).mails[0]!).token;
    const second = linkOf((await ask(`username=${gina.username}`)).mails[0]!).token;
    assert.notEqual(first, second);
    assert.equal((await setPassword(gina.uuid, 'x1', first)).status, 401);
    assert.equal((await setPassword(gina.uuid, 'x2', second)).status, 204);
  });

  test("400 in upstream's words unless exactly one valid parameter", async () => {
    for (const query of ['', 'username=a&email=a%40example.com', 'username=a&login=b&email=c%40example.com']) {
      const r = await td.call('GET', `/0.1/users/password/reset?${query}`);
      assert.equal(r.status, 400, query);
      assert.deepEqual(
        {...r.json, timestamp: 0},
        {message: ['"username" or "email" or "login" should be used'], error_id: 'invalid-data', details: {}, timestamp: 0, resource: 'reset'},
      );
    }
    const bad = await td.call('GET', '/0.1/users/password/reset?email=not-an-address');
    assert.equal(bad.status, 400);
    assert.equal(bad.json.message, 'Not a valid email address.');
    assert.equal((await td.call('GET', '/0.1/users/password/reset?username=')).status, 400);
  });
});

describe('POST /0.1/users/password/reset?user_uuid=', () => {
  test("one user's mailed token cannot set another user's password", async () => {
    const hank = await newUser();
    const ivy = await newUser();
    const {token} = linkOf((await ask(`username=${hank.username}`)).mails[0]!);
    const r = await setPassword(ivy.uuid, 'stolen', token);
    assert.equal(r.status, 401);
    assert.equal(r.json.details.required_access, `auth.users.password.reset.${ivy.uuid}.create`);
    assert.equal(await loginStatus(ivy.username!, 'old-secret'), 200);
    // Nor anything else: the token grants only its one access.
    assert.equal((await td.call('GET', `/0.1/users/${hank.uuid}`, {token})).status, 401);
    assert.equal((await td.call('GET', `/0.1/users/${hank.uuid}/sessions`, {token})).status, 401);
  });

  test('an administrator sets a password without the old one, or removes it with null', async () => {
    const jack = await newUser();
    assert.equal((await setPassword(jack.uuid, 'set-by-admin', admin())).status, 204);
    assert.equal(await loginStatus(jack.username!, 'set-by-admin'), 200);
    assert.equal((await setPassword(jack.uuid, null, admin())).status, 204);
    assert.equal(await loginStatus(jack.username!, 'set-by-admin'), 401);
    // The token may also come as ?token=, as upstream reads it.
    const r = await td.call('POST', `/0.1/users/password/reset?user_uuid=${jack.uuid}&token=${admin()}`, {body: {password: 'via-query'}});
    assert.equal(r.status, 204);
    assert.equal(await loginStatus(jack.username!, 'via-query'), 200);
  });

  test("tenant isolation: a tenant's administrator cannot reset a user of another tenant", async () => {
    const inSub = await newUser({tenant: sub});
    const inSibling = await newUser({tenant: sibling});
    const outside = await setPassword(inSibling.uuid, 'taken-over', subAdmin);
    assert.equal(outside.status, 404);
    assert.equal(outside.json.error_id, 'unknown-user');
    assert.equal(await loginStatus(inSibling.username!, 'old-secret'), 200);
    const above = await setPassword(td.admin.uuid, 'taken-over', subAdmin);
    assert.equal(above.status, 404);
    assert.equal((await setPassword(inSub.uuid, 'sub-set', subAdmin)).status, 204);
    assert.equal(await loginStatus(inSub.username!, 'sub-set'), 200);
  });

  test('401 before the body is judged; then 400, 404 and 405 as upstream', async () => {
    const kim = await newUser();
    const anonymous = await td.call('POST', `/0.1/users/password/reset?user_uuid=${kim.uuid}`, {body: {}});
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.json.details.required_access, `auth.users.password.reset.${kim.uuid}.create`);
    const missing = await td.call('POST', '/0.1/users/password/reset', {token: admin(), body: {password: 'x'}});
    assert.equal(missing.status, 404);
    const noBody = await setPassword(kim.uuid, undefined as unknown as null, admin());
    assert.equal(noBody.status, 400);
    assert.deepEqual(
      {...noBody.json, timestamp: 0},
      {message: 'Missing data for required field.', error_id: 'invalid-data', details: {}, timestamp: 0, resource: 'reset'},
    );
    assert.equal((await setPassword(kim.uuid, '', admin())).status, 400);
    assert.equal((await setPassword(randomUUID(), 'x', admin())).status, 404);
    const ldap = await newUser({method: 'ldap'});
    const external = await setPassword(ldap.uuid, 'x', admin());
    assert.equal(external.status, 405);
    assert.equal(external.json.error_id, 'password-managed-externally');
  });

  test('the password is never logged', async () => {
    const lee = await newUser();
    await setPassword(lee.uuid, 'very-secret-words', admin());
    assert.ok(!log.lines.some((l) => l.message.includes('very-secret-words')));
  });
});

describe('reset links expire after password_reset_expiration', () => {
  test('works until the expiry, not after (ManualClock)', async () => {
    const clock = new ManualClock();
    const mails = await startTestSmtp();
    const timed = await startTestDaemon({clock, config: mailConfig(mails.port, {password_reset_expiration: 3600})});
    try {
      const user = (
        await timed.call('POST', '/0.1/users', {token: timed.admin.token, body: {username: 'timed', password: 'pw', email_address: 'timed@example.com'}})
      ).json;
      const tokenOfNewMail = async () => {
        const count = mails.mails.length + 1;
        await timed.call('GET', '/0.1/users/password/reset?username=timed');
        return linkOf((await mails.waitFor(count))[count - 1]!).token;
      };
      const early = await tokenOfNewMail();
      clock.advance(3599);
      assert.equal((await timed.call('POST', `/0.1/users/password/reset?user_uuid=${user.uuid}`, {token: early, body: {password: 'in-time'}})).status, 204);

      const late = await tokenOfNewMail();
      clock.advance(3601);
      const r = await timed.call('POST', `/0.1/users/password/reset?user_uuid=${user.uuid}`, {token: late, body: {password: 'too-late'}});
      assert.equal(r.status, 401);
      assert.equal(r.json.details.reason, 'not_found_or_expired');
    } finally {
      await timed.stop();
      await mails.close();
    }
  });
});

describe('password_reset_mail_interval', () => {
  test('one reset mail per user per interval, whoever asks; the others answer 204 all the same (ManualClock)', async () => {
    const clock = new ManualClock();
    const mails = await startTestSmtp();
    const log = recordingLog();
    const limited = await startTestDaemon({clock, log, config: mailConfig(mails.port, {password_reset_mail_interval: 60})});
    try {
      await limited.call('POST', '/0.1/users', {token: limited.admin.token, body: {username: 'often', password: 'pw', email_address: 'often@example.com'}});
      await limited.call('POST', '/0.1/users', {token: limited.admin.token, body: {username: 'other', password: 'pw', email_address: 'other@example.com'}});
      const ask = async (query: string) => {
        assert.equal((await limited.call('GET', `/0.1/users/password/reset?${query}`)).status, 204);
        await limited.daemon.services.mail.idle();
      };
      await ask('username=often');
      await ask('email=often%40example.com');
      await ask('username=other');
      clock.advance(59);
      await ask('login=often');
      assert.deepEqual(
        mails.mails.map((m) => m.to[0]),
        ['often@example.com', 'other@example.com'],
      );
      assert.equal(log.at('info').filter((line) => line.includes('less than 60 s ago')).length, 2);
      clock.advance(1);
      await ask('username=often');
      assert.deepEqual(
        mails.mails.map((m) => m.to[0]),
        ['often@example.com', 'other@example.com', 'often@example.com'],
      );
    } finally {
      await limited.stop();
      await mails.close();
    }
  });
});

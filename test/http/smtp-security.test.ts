// SMTP with STARTTLS or TLS from the start, a self-signed certificate trusted through
// smtp.ca_certificate, and a login; the password never shown or logged.

import assert from 'node:assert/strict';
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {loadConfig} from '../../src/config/index.js';
import {startTestDaemon} from '../helpers/daemon.js';
import {recordingLog} from '../helpers/recording-log.js';
import {mailConfig, selfSignedCertificate, startTestSmtp} from '../helpers/smtp.js';

const LOGIN = {user: 'relay-user', password: 'relay-Pa55-w0rd'};
let dir: string;
let caFile: string;
let certificate: {cert: string; key: string};

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'smtp-tls-'));
  certificate = selfSignedCertificate();
  caFile = join(dir, 'ca.pem');
  await writeFile(caFile, certificate.cert);
});
after(() => rm(dir, {recursive: true, force: true}));

/** Starts a daemon on this SMTP server, asks for a reset mail and lets the queue run. */
async function resetThrough(smtp: Record<string, unknown>) {
  const log = recordingLog();
  const d = await startTestDaemon({log, config: mailConfig(Number(smtp.port), {smtp: {hostname: 'localhost', retry_delay: 0, attempts: 1, ...smtp}})});
  try {
    await d.call('POST', '/0.1/users', {token: d.admin.token, body: {username: 'tls-user', password: 'pw', email_address: 'tls-user@example.com'}});
    assert.equal((await d.call('GET', '/0.1/users/password/reset?username=tls-user')).status, 204);
    await d.daemon.services.mail.idle();
    const config = (await d.call('GET', '/0.1/config', {token: d.admin.token})).json;
    return {log, config, counts: {...d.daemon.services.mail.counts}};
  } finally {
    await d.stop();
  }
}

describe('SMTP security', () => {
  test('STARTTLS with a self-signed certificate trusted through smtp.ca_certificate, and a login', async () => {
    const server = await startTestSmtp({tls: certificate, login: LOGIN});
    try {
      const {log, config} = await resetThrough({port: server.port, starttls: true, ca_certificate: caFile, username: LOGIN.user, password: LOGIN.password});
      assert.equal(server.mails.length, 1);
      assert.equal(server.mails[0]!.secure, true, 'upgraded with STARTTLS');
      assert.equal(server.mails[0]!.user, LOGIN.user);
      assert.equal(config.smtp.password, '********');
      assert.equal(config.smtp.username, LOGIN.user);
      assert.ok(!log.lines.some((l) => l.message.includes(LOGIN.password)));
    } finally {
      await server.close();
    }
  });

  test('TLS from the start (smtp.tls)', async () => {
    const server = await startTestSmtp({tls: certificate, secure: true});
    try {
      await resetThrough({port: server.port, tls: true, ca_certificate: caFile});
      assert.equal(server.mails.length, 1);
      assert.equal(server.mails[0]!.secure, true);
    } finally {
      await server.close();
    }
  });

  test('an untrusted certificate sends nothing: logged once, without the password', async () => {
    const server = await startTestSmtp({tls: certificate, login: LOGIN});
    try {
      const {log, counts} = await resetThrough({port: server.port, starttls: true, username: LOGIN.user, password: LOGIN.password});
      assert.deepEqual(server.mails, []);
      assert.equal(counts.failed, 1);
      const failures = log.at('warning').filter((l) => l.startsWith('mail:'));
      assert.equal(failures.length, 1);
      assert.match(failures[0]!, /certificate/i);
      assert.ok(!log.lines.some((l) => l.message.includes(LOGIN.password)));
    } finally {
      await server.close();
    }
  });

  test('a wrong login is refused and logged without the password', async () => {
    const server = await startTestSmtp({tls: certificate, login: LOGIN});
    try {
      const {log} = await resetThrough({port: server.port, starttls: true, ca_certificate: caFile, username: LOGIN.user, password: 'not-the-Pa55'});
      assert.deepEqual(server.mails, []);
      assert.equal(log.at('warning').filter((l) => l.startsWith('mail:')).length, 1);
      assert.ok(!log.lines.some((l) => l.message.includes('not-the-Pa55')));
    } finally {
      await server.close();
    }
  });

  test('plain SMTP by default, as upstream: no STARTTLS even when offered', async () => {
    const server = await startTestSmtp({tls: certificate});
    try {
      await resetThrough({port: server.port});
      assert.equal(server.mails.length, 1);
      assert.equal(server.mails[0]!.secure, false);
    } finally {
      await server.close();
    }
  });
});

describe('mail configuration keys', () => {
  const load = (overrides: Record<string, unknown>) => loadConfig({configFile: null, overrides: {data_dir: dir, ...overrides}, env: {}});

  test("upstream's defaults", () => {
    const config = load({});
    assert.deepEqual(
      {hostname: config.smtp.hostname, port: config.smtp.port, tls: config.smtp.tls, starttls: config.smtp.starttls, username: config.smtp.username},
      {hostname: 'localhost', port: 25, tls: false, starttls: false, username: null},
    );
    assert.equal(config.password_reset_expiration, 172800);
    assert.equal(config.password_reset_mail_interval, 60, 'ours');
    assert.equal(config.email_confirmation_expiration, 172800);
    assert.equal(config.password_reset_from_name, 'wazo-auth');
    assert.equal(config.email_confirmation_from_address, 'noreply@wazo.community');
    assert.equal(config.password_reset_email_template, '/var/lib/wazo-auth/templates/password_reset_email.jinja');
    assert.equal(config.email_confirmation_get_response_body_template, '/var/lib/wazo-auth/templates/email_confirmation_get_body.jinja');
    assert.equal(config.email_confirmation_get_mimetype, 'text/html');
    assert.equal(config.enabled_http_plugins.user_registration, false);
    assert.equal(config.enabled_http_plugins.password_reset, true);
  });

  test('refused: tls and starttls together, a password without a user, an unreadable CA, a bad address', () => {
    assert.throws(() => load({smtp: {tls: true, starttls: true}}), /smtp\.tls and smtp\.starttls/);
    assert.throws(
      () => load({smtp: {password: 'secret-value'}}),
      (error: Error) => /smtp\.password is set without smtp\.username/.test(error.message) && !error.message.includes('secret-value'),
    );
    assert.throws(() => load({smtp: {ca_certificate: join(dir, 'missing.pem')}}), /smtp\.ca_certificate/);
    assert.throws(() => load({password_reset_from_address: 'not an address'}), /password_reset_from_address/);
    assert.throws(() => load({smtp: {port: 0}}), /smtp\.port/);
    assert.throws(() => load({password_reset_mail_interval: -1}), /password_reset_mail_interval/);
    assert.throws(() => load({email_links: {prefix: '../x'}}), /email_links\.prefix/);
  });

  test('email_links replaces the Host header in links', async () => {
    const server = await startTestSmtp();
    const d = await startTestDaemon({config: mailConfig(server.port, {email_links: {hostname: 'pbx.example.com', port: 8443, prefix: '/api/auth'}})});
    try {
      const user = (await d.call('POST', '/0.1/users', {token: d.admin.token, body: {username: 'linked', password: 'pw'}})).json;
      const [email] = (
        await d.call('PUT', `/0.1/admin/users/${user.uuid}/emails`, {token: d.admin.token, body: {emails: [{address: 'linked@example.com', main: true}]}})
      ).json;
      await d.call('GET', `/0.1/users/${user.uuid}/emails/${email.uuid}/confirm`, {token: d.admin.token, headers: {host: 'attacker.example'}});
      const [mail] = await server.waitFor(1);
      assert.match(mail!.body, new RegExp(`^https://pbx\\.example\\.com:8443/api/auth/0\\.1/emails/${email.uuid}/confirm\\?token=`, 'm'));
      assert.ok(!mail!.body.includes('attacker'));
    } finally {
      await d.stop();
      await server.close();
    }
  });
});

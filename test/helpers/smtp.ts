// A real SMTP server for the tests (the smtp-server package) on a free loopback port: it keeps
// every mail it accepts, can offer STARTTLS with a self-signed certificate, ask for a login, and
// hold its greeting until the test lets it go.

import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {SMTPServer, type SMTPServerOptions} from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  headers: Record<string, string>;
  /** The text, decoded from quoted-printable when so sent. */
  body: string;
  raw: string;
  secure: boolean;
  user: string | undefined;
}

export interface TestSmtp {
  port: number;
  mails: ReceivedMail[];
  /** Resolves when `count` mails have arrived in all. */
  waitFor(count: number): Promise<ReceivedMail[]>;
  /** Connections seen, accepted or not. */
  connections: number;
  /** Holds every new connection's greeting until release() (the mail then waits). */
  hold(): void;
  release(): void;
  close(): Promise<void>;
}

export interface TestSmtpOptions {
  /** A self-signed certificate for localhost: STARTTLS offered (or TLS from the start with `secure`). */
  tls?: {cert: string; key: string};
  secure?: boolean;
  /** Required login. */
  login?: {user: string; password: string};
  /** Recipients refused with this code (550: permanent, 451: temporary): all, or those the function gives a code. */
  refuseRecipients?: number | ((address: string) => number | undefined);
  /** Takes the whole message, then drops the connection instead of answering 250. */
  dropAfterData?: boolean;
}

function decodeQuotedPrintable(text: string): string {
  const bytes = text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

function parse(raw: string): {headers: Record<string, string>; body: string} {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.slice(split + 4);
  if (/quoted-printable/i.test(headers['content-transfer-encoding'] ?? '')) body = decodeQuotedPrintable(body);
  return {headers, body: body.replace(/\r\n/g, '\n')};
}

/** A self-signed certificate and key for `localhost` and 127.0.0.1 (openssl). */
export function selfSignedCertificate(): {cert: string; key: string} {
  const dir = mkdtempSync(join(tmpdir(), 'smtp-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      {stdio: 'ignore'},
    );
    return {cert: readFileSync(join(dir, 'cert.pem'), 'utf8'), key: readFileSync(join(dir, 'key.pem'), 'utf8')};
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
}

export async function startTestSmtp(options: TestSmtpOptions = {}): Promise<TestSmtp> {
  const mails: ReceivedMail[] = [];
  const waiters: {count: number; resolve: (mails: ReceivedMail[]) => void}[] = [];
  let held: (() => void)[] | undefined;
  const state = {connections: 0};

  const serverOptions: SMTPServerOptions = {
    secure: options.secure ?? false,
    disabledCommands: [...(options.tls ? [] : ['STARTTLS']), ...(options.login ? [] : ['AUTH'])],
    ...(options.tls ? {key: options.tls.key, cert: options.tls.cert} : {}),
    authOptional: !options.login,
    allowInsecureAuth: false,
    logger: false,
    onConnect(_session, callback) {
      state.connections++;
      if (held) held.push(() => callback());
      else callback();
    },
    onRcptTo(address, _session, callback) {
      const refuse = options.refuseRecipients;
      const code = typeof refuse === 'function' ? refuse(address.address) : refuse;
      if (!code) return callback();
      const error = Object.assign(new Error('Recipient refused by the test server'), {responseCode: code});
      callback(error);
    },
    onAuth(auth, _session, callback) {
      if (options.login && auth.username === options.login.user && auth.password === options.login.password) {
        callback(null, {user: auth.username});
      } else {
        callback(new Error('Invalid username or password'));
      }
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          ...parse(raw),
          raw,
          secure: session.secure,
          user: typeof session.user === 'string' ? session.user : undefined,
        });
        for (const waiter of waiters.filter((w) => mails.length >= w.count)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(mails.slice());
        }
        if (options.dropAfterData) {
          for (const connection of (server as unknown as {connections: Set<{_socket: {destroy(): void}}>}).connections) connection._socket.destroy();
          return;
        }
        callback();
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server as unknown as {server: {address(): AddressInfo}}).server.address().port;

  return {
    port,
    mails,
    get connections() {
      return state.connections;
    },
    waitFor(count) {
      if (mails.length >= count) return Promise.resolve(mails.slice());
      return new Promise((resolve) => waiters.push({count, resolve}));
    },
    hold() {
      held ??= [];
    },
    release() {
      const waiting = held ?? [];
      held = undefined;
      for (const go of waiting) go();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A daemon's mail settings for tests: this SMTP port, no pause between tries, and template paths that do not exist (the built-in texts). */
export function mailConfig(smtpPort: number, extra: Record<string, unknown> = {}) {
  return {
    smtp: {hostname: '127.0.0.1', port: smtpPort, retry_delay: 0, attempts: 2},
    // Tests ask for several mails to one user in a row; the interval has its own test.
    password_reset_mail_interval: 0,
    password_reset_email_template: '/nonexistent/password_reset_email.jinja',
    password_reset_email_subject_template: '/nonexistent/password_reset_email_subject.jinja',
    email_confirmation_template: '/nonexistent/email_confirmation.jinja',
    email_confirmation_subject_template: '/nonexistent/email_confirmation_subject.jinja',
    email_confirmation_get_response_body_template: '/nonexistent/email_confirmation_get_body.jinja',
    password_reset_from_name: 'Reset Sender',
    password_reset_from_address: 'reset-sender@example.com',
    email_confirmation_from_name: 'Confirm Sender',
    email_confirmation_from_address: 'confirm-sender@example.com',
    ...extra,
  };
}

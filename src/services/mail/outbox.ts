// Mail off the request path: a bounded queue of jobs, each of which may look things up and then
// hand over one mail, which is delivered over SMTP (nodemailer) and tried again a bounded number
// of times while the server is unreachable or answers a temporary failure. A failure is logged
// once, after the last try, without the mail's secret.

import {readFileSync} from 'node:fs';
import {rootCertificates} from 'node:tls';
import type {SmtpSettings} from '../../domain/types.js';
import type {Logger} from '../../log.js';

export interface Address {
  name: string | null;
  address: string;
}

export interface OutgoingMail {
  /** What it is, for the log: `password reset for user <uuid>`. */
  label: string;
  from: Address;
  to: Address;
  subject: string;
  text: string;
  /** The token the mail carries: never logged. */
  secret: string;
}

/** A queued piece of work: builds the mail to send, or nothing (no such user, no address...). */
export type MailJob = () => Promise<OutgoingMail | undefined>;

/** Jobs waiting at most; beyond it a job is dropped (and logged), so a flood cannot grow memory. */
const MAX_PENDING = 1000;

/** Errors of connecting or of the line, before the server could have accepted the message. */
const TRANSIENT_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ECONNREFUSED', 'EGREETING', 'ECONNRESET']);

interface SmtpError extends Error {
  code?: string;
  responseCode?: number;
  command?: string;
}

/**
 * Whether trying again cannot deliver the mail twice and may succeed: the server said "not now"
 * (4xx), or the line failed before the whole message was written (a server takes a message only
 * at its final dot). Cut after that, the server may have taken it: it is not sent again.
 */
function isTransient(error: SmtpError, messageWritten: boolean): boolean {
  if (typeof error.responseCode === 'number') return error.responseCode >= 400 && error.responseCode < 500;
  if (messageWritten) return false;
  return error.code !== undefined && TRANSIENT_CODES.has(error.code);
}

/**
 * nodemailer's logger, listened to for one fact: it logs (tnx `message`) when the whole message,
 * final dot included, has been written to the server. Nothing it logs is kept or printed.
 */
function writtenWatcher() {
  const state = {written: false};
  const ignore = () => undefined;
  const logger = {
    level: ignore,
    trace: ignore,
    debug: ignore,
    info: (entry: unknown) => {
      if ((entry as {tnx?: string} | undefined)?.tnx === 'message') state.written = true;
    },
    warn: ignore,
    error: ignore,
    fatal: ignore,
  };
  return {state, logger};
}

/** A job to run, or a mail whose try failed and whose next try is due. */
type Item = {prepare: MailJob} | {mail: OutgoingMail; attempt: number};

export class MailOutbox {
  private readonly queue: Item[] = [];
  private running: Promise<void> | undefined;
  private closed = false;
  /** Mails waiting for their next try: a pause that holds no other mail back. */
  private readonly retries = new Map<NodeJS.Timeout, OutgoingMail>();
  private readonly ca: string[] | undefined;
  /** Jobs taken and dropped, mails handed to the SMTP server and given up: for tests and the log. */
  readonly counts = {queued: 0, dropped: 0, sent: 0, failed: 0};

  constructor(
    private readonly smtp: SmtpSettings,
    private readonly log: Logger,
  ) {
    // The configured CAs beside the system's: a private relay's certificate is trusted without
    // turning verification off.
    this.ca = smtp.ca_certificate ? [...rootCertificates, readFileSync(smtp.ca_certificate, 'utf8')] : undefined;
  }

  /** Queues a job; false when the queue is full or closed (the job is dropped). */
  enqueue(job: MailJob): boolean {
    if (this.closed || this.queue.length >= MAX_PENDING) {
      this.counts.dropped++;
      this.log.warning(`mail: ${this.closed ? 'stopping' : 'queue full'}, a mail job was dropped`);
      return false;
    }
    this.counts.queued++;
    this.queue.push({prepare: job});
    this.kick();
    return true;
  }

  /** Resolves when every queued job has run and every mail is sent or given up. */
  async idle(): Promise<void> {
    for (;;) {
      if (this.running) await this.running;
      else if (this.retries.size > 0) await new Promise((resolve) => setTimeout(resolve, 10));
      else return;
    }
  }

  /** Drops the jobs that wait and the mails waiting for a retry (each logged), then waits for the one under way. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    for (const [timer, mail] of this.retries) {
      clearTimeout(timer);
      this.gaveUp(mail, undefined);
    }
    this.retries.clear();
    await this.idle();
  }

  /** One worker at a time; started again should a job arrive as it ends. */
  private kick(): void {
    if (this.running || this.closed) return;
    this.running = this.drain().finally(() => {
      this.running = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    for (let item = this.queue.shift(); item; item = this.queue.shift()) {
      if ('mail' in item) {
        await this.attempt(item.mail, item.attempt);
        continue;
      }
      let mail: OutgoingMail | undefined;
      try {
        mail = await item.prepare();
      } catch (error) {
        this.log.error(`mail: preparing a mail failed: ${(error as Error).message}`);
        continue;
      }
      if (mail) await this.attempt(mail, 1);
    }
  }

  /** One try; a failure that may pass is tried again after smtp.retry_delay, up to smtp.attempts tries. */
  private async attempt(mail: OutgoingMail, attempt: number): Promise<void> {
    const watcher = writtenWatcher();
    try {
      const transport = await this.transport(watcher.logger);
      await transport.sendMail({
        from: mail.from.name ? {name: mail.from.name, address: mail.from.address} : mail.from.address,
        to: mail.to.name ? {name: mail.to.name, address: mail.to.address} : mail.to.address,
        subject: mail.subject,
        text: mail.text,
      });
      this.counts.sent++;
      this.log.debug(`mail: ${mail.label} sent${attempt > 1 ? ` (try ${attempt})` : ''}`);
    } catch (error) {
      const failure = error as SmtpError;
      if (attempt < this.smtp.attempts && !this.closed && isTransient(failure, watcher.state.written)) {
        const timer = setTimeout(() => {
          this.retries.delete(timer);
          this.queue.push({mail, attempt: attempt + 1});
          this.kick();
        }, this.smtp.retry_delay * 1000);
        this.retries.set(timer, mail);
        return;
      }
      this.gaveUp(mail, failure);
    }
  }

  /** The one line a mail's failure gets. */
  private gaveUp(mail: OutgoingMail, error: SmtpError | undefined): void {
    this.counts.failed++;
    this.log.warning(`mail: ${mail.label} not sent to ${this.smtp.hostname}:${this.smtp.port}: ${this.describe(error, mail.secret)}`);
  }

  /** The error's code and words, with the mail's token and the SMTP password cut out. */
  private describe(error: SmtpError | undefined, secret: string): string {
    if (!error) return 'stopped before it could be sent';
    let words = `${error.code ? `${error.code}: ` : ''}${error.message}`;
    for (const hidden of [secret, this.smtp.password]) if (hidden) words = words.split(hidden).join('********');
    return words.replace(/[\r\n]+/g, ' ');
  }

  /** A connection per mail, as upstream: nothing stays open between mails. */
  private async transport(logger: object) {
    const {default: nodemailer} = await import('nodemailer');
    const {smtp} = this;
    const security = smtp.tls || smtp.starttls;
    return nodemailer.createTransport({
      host: smtp.hostname,
      port: smtp.port,
      secure: smtp.tls,
      requireTLS: smtp.starttls,
      // Upstream speaks plain SMTP: no STARTTLS unless asked for, even when the server offers it.
      ignoreTLS: !security,
      auth: smtp.username ? {user: smtp.username, pass: smtp.password ?? ''} : undefined,
      tls: this.ca ? {ca: this.ca} : undefined,
      connectionTimeout: smtp.timeout * 1000,
      greetingTimeout: smtp.timeout * 1000,
      socketTimeout: smtp.timeout * 1000,
      logger: logger as never,
      debug: false,
    });
  }
}

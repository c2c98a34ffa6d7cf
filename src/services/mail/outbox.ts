// Mail off the request path: a bounded queue of jobs, each of which may look things up and then
// hand over one mail, which is delivered over SMTP (nodemailer) and tried again a bounded number
// of times while the server is unreachable or answers a temporary failure. A failure is logged
// once, after the last try, without the mail's secret.

import {readFileSync} from 'node:fs';
import {rootCertificates} from 'node:tls';
import nodemailer from 'nodemailer';
import type {SmtpConfig} from '../../config/types.js';
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

export class MailOutbox {
  private readonly queue: MailJob[] = [];
  private running: Promise<void> | undefined;
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly wakers = new Set<() => void>();
  private readonly ca: string[] | undefined;
  /** Mails handed to the SMTP server, and those given up: for tests and the log. */
  readonly counts = {queued: 0, dropped: 0, sent: 0, failed: 0};

  constructor(
    private readonly smtp: SmtpConfig,
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
    this.queue.push(job);
    this.running ??= this.drain().finally(() => (this.running = undefined));
    return true;
  }

  /** Resolves when every queued job has run (its mail sent or given up). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Drops what waits, cuts the pauses between tries short and waits for the job under way. */
  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const wake of this.wakers) wake();
    await this.idle();
  }

  private async drain(): Promise<void> {
    for (let job = this.queue.shift(); job; job = this.queue.shift()) {
      let mail: OutgoingMail | undefined;
      try {
        mail = await job();
      } catch (error) {
        this.log.error(`mail: preparing a mail failed: ${(error as Error).message}`);
        continue;
      }
      if (mail) await this.deliver(mail);
    }
  }

  private async deliver(mail: OutgoingMail): Promise<void> {
    let lastError: SmtpError | undefined;
    for (let attempt = 1; attempt <= this.smtp.attempts && !this.closed; attempt++) {
      if (attempt > 1) await this.pause(this.smtp.retry_delay);
      if (this.closed) break;
      const watcher = writtenWatcher();
      try {
        await this.transport(watcher.logger).sendMail({
          from: mail.from.name ? {name: mail.from.name, address: mail.from.address} : mail.from.address,
          to: mail.to.name ? {name: mail.to.name, address: mail.to.address} : mail.to.address,
          subject: mail.subject,
          text: mail.text,
        });
        this.counts.sent++;
        this.log.debug(`mail: ${mail.label} sent${attempt > 1 ? ` (try ${attempt})` : ''}`);
        return;
      } catch (error) {
        lastError = error as SmtpError;
        if (!isTransient(lastError, watcher.state.written)) break;
      }
    }
    this.counts.failed++;
    this.log.warning(`mail: ${mail.label} not sent to ${this.smtp.hostname}:${this.smtp.port}: ${this.describe(lastError, mail.secret)}`);
  }

  /** The error's code and words, with the mail's token and the SMTP password cut out. */
  private describe(error: SmtpError | undefined, secret: string): string {
    if (!error) return 'stopped before it could be sent';
    let words = `${error.code ? `${error.code}: ` : ''}${error.message}`;
    for (const hidden of [secret, this.smtp.password]) if (hidden) words = words.split(hidden).join('********');
    return words.replace(/[\r\n]+/g, ' ');
  }

  private pause(seconds: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.timers.delete(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, seconds * 1000);
      this.timers.add(timer);
      this.wakers.add(wake);
    });
  }

  /** A connection per mail, as upstream: nothing stays open between mails. */
  private transport(logger: object) {
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

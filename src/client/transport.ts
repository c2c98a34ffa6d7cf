// The client's one connection to a daemon: a keep-alive agent of node:http or node:https carrying
// the TLS settings, the timeout, the headers every call sends, and the turning of answers and
// socket failures into values, ApiError or ConnectionError. Node's own HTTP client rather than
// undici: every command pays for what it loads, and undici (its Agent, its WebAssembly parser)
// cost a short-lived command several times what node:http does, for a few requests.

import {readFileSync} from 'node:fs';
import {Agent as HttpAgent, request as httpRequest, type IncomingMessage} from 'node:http';
import {ApiError, ClientOptionError, ConnectionError} from './errors.js';
import {normalizeUrl} from './url.js';

export interface TransportOptions {
  url: string;
  token?: string;
  tenant?: string;
  /** A PEM file with the CA that signed the daemon's certificate, trusted on top of the system's. */
  caFile?: string;
  /** Accept any certificate: for a daemon with a self-signed one, on a network one trusts. */
  insecure?: boolean;
  /** How long the connection may stay silent: to connect, then before and within the answer; default 10 s. */
  timeoutMs?: number;
  userAgent?: string;
  /** The connections of an http URL; by default keep-alive ones of the client's own (a test hands in in-memory ones). */
  agent?: HttpAgent;
}

export type QueryValue = string | number | boolean | readonly string[] | null | undefined;

export interface Call {
  /** Left out when undefined or null; an array repeats the parameter. */
  query?: Record<string, QueryValue>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is with its content type instead of `body` (a multipart upload). */
  raw?: {body: Buffer; contentType: string};
  headers?: Record<string, string>;
  /** Send the client's token and tenant (default). The token routes carry their own credential instead. */
  authenticated?: boolean;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the answer says it is JSON, else the text (undefined when empty). */
  body: unknown;
}

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const DEFAULT_TIMEOUT_MS = 10_000;

/** `encodeURIComponent` for a value placed in a path, such as an access (`confd.#` must not end the path). */
export const segment = encodeURIComponent;

export class Transport {
  token: string | undefined;
  /**
   * Gives a new token when the daemon refuses the current one (401): a kept token revoked
   * elsewhere. Called at most once; the refused call is then sent again with the new token.
   */
  renewRefused: (() => Promise<string>) | undefined;
  tenant: string | undefined;
  /** The daemon's root as normalizeUrl gives it. */
  readonly root: string;
  private readonly url: URL;
  /** The prefix and the API version, e.g. `/api/auth/0.1`. */
  private readonly apiPath: string;
  private readonly agent: HttpAgent;
  /** Calls under way, which close() lets finish. */
  private readonly pending = new Set<Promise<unknown>>();
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  /** node:http's or node:https's request, as the URL says. */
  private readonly request: typeof httpRequest;

  constructor(options: TransportOptions) {
    this.root = normalizeUrl(options.url);
    const url = (this.url = new URL(this.root));
    this.apiPath = `${url.pathname.replace(/\/$/, '')}/0.1`;
    this.token = options.token;
    this.tenant = options.tenant;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.userAgent = options.userAgent ?? 'wazo-auth-client';
    if (url.protocol === 'https:') {
      // Loaded for https only: node:https and node:tls take about 7 ms of a command's start.
      const {Agent, request} = process.getBuiltinModule('node:https');
      const {rootCertificates} = process.getBuiltinModule('node:tls');
      this.agent = new Agent({
        keepAlive: true,
        rejectUnauthorized: !options.insecure,
        ...(options.caFile ? {ca: [...rootCertificates, readCa(options.caFile)]} : {}),
      });
      this.request = request;
    } else {
      this.agent = options.agent ?? new HttpAgent({keepAlive: true});
      this.request = httpRequest;
    }
  }

  /** Whatever the daemon answers; throws ConnectionError when there is no answer. */
  async send(method: Method, path: string, call: Call = {}): Promise<Answer> {
    const answer = await this.sendOnce(method, path, call);
    if (answer.status !== 401 || call.authenticated === false || !this.token || !(await this.renewToken())) return answer;
    return this.sendOnce(method, path, call);
  }

  /** Replaces the token through renewRefused, once; false when there is no (more) way to. */
  async renewToken(): Promise<boolean> {
    const renew = this.renewRefused;
    if (!renew) return false;
    this.renewRefused = undefined;
    this.token = await renew();
    return true;
  }

  private async sendOnce(method: Method, path: string, call: Call): Promise<Answer> {
    const headers: Record<string, string> = {accept: 'application/json', 'user-agent': this.userAgent, ...call.headers};
    if (call.authenticated !== false) {
      if (this.token) headers['x-auth-token'] = this.token;
      // A call naming its tenant (one listing per tenant) keeps it.
      if (this.tenant && !call.headers?.['wazo-tenant']) headers['wazo-tenant'] = this.tenant;
    }
    let body: string | Buffer | undefined;
    if (call.raw !== undefined) {
      body = call.raw.body;
      headers['content-type'] = call.raw.contentType;
    } else if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    const sent = this.exchange(method, this.apiPath + path + queryString(call.query), headers, body);
    this.pending.add(sent);
    try {
      const {response, text} = await sent;
      return {status: response.statusCode ?? 0, headers: response.headers, body: parseBody(text, response.headers['content-type'])};
    } catch (error) {
      throw this.connectionError(error);
    } finally {
      this.pending.delete(sent);
    }
  }

  /** One request and its whole answer; a silence longer than the timeout fails it (ETIMEDOUT). */
  private exchange(method: Method, path: string, headers: Record<string, string>, body: string | Buffer | undefined) {
    return new Promise<{response: IncomingMessage; text: string}>((resolve, reject) => {
      const request = this.request(
        {
          agent: this.agent,
          // An IPv6 address without its brackets.
          hostname: this.url.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: this.url.port || undefined,
          path,
          method,
          headers: body === undefined ? headers : {...headers, 'content-length': String(Buffer.byteLength(body))},
          timeout: this.timeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({response, text: Buffer.concat(chunks).toString('utf8')}));
          response.on('error', reject);
          response.on('aborted', () => reject(Object.assign(new Error('the connection closed within the answer'), {code: 'ECONNRESET'})));
        },
      );
      request.on('timeout', () => request.destroy(Object.assign(new Error('timed out'), {code: 'ETIMEDOUT'})));
      request.on('error', reject);
      request.end(body);
    });
  }

  /** The JSON body of a 2xx answer; ApiError for any other. */
  async json<T>(method: Method, path: string, call?: Call): Promise<T> {
    const answer = this.expectSuccess(await this.send(method, path, call));
    if (typeof answer.body !== 'object' || answer.body === null) {
      throw new ConnectionError(`${this.root} answered ${answer.status} without the JSON of the wazo-auth API: is it a wazo-auth daemon?`);
    }
    return answer.body as T;
  }

  /** For calls whose success has no body worth reading (204, HEAD); ApiError for a failure. */
  async empty(method: Method, path: string, call?: Call): Promise<void> {
    this.expectSuccess(await this.send(method, path, call));
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.pending);
    this.agent.destroy();
  }

  /** The answer when it is a success; otherwise ApiError, or ConnectionError for a redirect. */
  expectSuccess(answer: Answer): Answer {
    if (answer.status >= 200 && answer.status < 300) return answer;
    // A proxy sending http to https, or an old address: the API itself never redirects.
    if (answer.status >= 300 && answer.status < 400) {
      throw new ConnectionError(`${this.root} redirects to ${String(answer.headers.location ?? 'another address')}: use the daemon's own URL`);
    }
    throw new ApiError(answer.status, answer.body);
  }

  /** Socket, DNS, TLS and timeout failures as ConnectionError; anything else is a bug here and goes up as is. */
  private connectionError(error: unknown): unknown {
    const code = (error as {code?: unknown} | null)?.code;
    if (typeof code !== 'string' || /^ERR_(INVALID|HTTP_INVALID)/.test(code)) return error;
    const detail = (error as Error).message;
    const where = this.root;
    let message: string;
    if (code === 'ECONNREFUSED') message = `cannot reach ${where}: connection refused`;
    else if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') message = `cannot reach ${where}: unknown host ${new URL(where).hostname}`;
    else if (/TIMEOUT|ETIMEDOUT/.test(code)) message = `no answer from ${where} within ${this.timeoutMs / 1000} s`;
    else if (/CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)/.test(code)) {
      message = `cannot talk to ${where}: its TLS certificate is not trusted (${detail}); give the CA that signed it, or turn verification off`;
    } else if (where.startsWith('https:') && /wrong.version.number|packet.length.too.long|http.request/i.test(`${code} ${detail}`)) {
      // What a plain-HTTP port answers to a TLS hello.
      message = `cannot talk to ${where}: this is plain HTTP, not TLS: try ${where.replace(/^https:/, 'http:')}`;
    } else if (/^(ECONNRESET|EPIPE)$/.test(code) && where.startsWith('http:')) {
      // What a TLS port does with a request in clear text.
      message = `cannot talk to ${where}: ${detail} (does it serve https?)`;
    } else message = `cannot talk to ${where}: ${detail}`;
    return new ConnectionError(message, code, {cause: error});
  }
}

function readCa(file: string): string {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ClientOptionError(`cannot read the CA file ${file}: ${(error as Error).message}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new ClientOptionError(`the CA file ${file} holds no PEM certificate`);
  return pem;
}

function queryString(query: Call['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) params.append(name, item);
    else params.append(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

function parseBody(text: string, contentType: string | string[] | undefined): unknown {
  if (!text) return undefined;
  if (String(contentType ?? '').includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

// The daemon's HTTP(S) front: routing under the configured prefix, CORS, body limits,
// the guard, and the one place where errors become responses (refusals paced per address).
// Whatever a request does, it ends that request (an answer, or its socket closed), never the
// process.

import {createServer as createHttpServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import querystring from 'node:querystring';
import type {Duplex} from 'node:stream';
import {clientValue, redactToken, type Logger} from '../log.js';
import type {ObjectSchema} from '../schema/schema.js';
import type {Services} from '../services/index.js';
import {CodedError, HashQueueFull, LoginThrottled, StoreUnavailable} from '../domain/errors.js';
import type {ClientAddresses} from './client-address.js';
import {auditEntry, isAudited} from './audit.js';
import {ClientGone, readJson} from './body.js';
import {answerTo, INTERNAL_ERROR} from './errors.js';
import {guard} from './guard.js';
import {toJson} from './json.js';
import {BodyTooLarge, InvalidBody, MethodNotAllowed, RouteNotFound, TooDeeplyNested, TopTenantOnly} from './request-errors.js';
import {RefusalPace} from './refusal-pace.js';
import type {Reply, Route, ServerRequest} from './route.js';
import {Router} from './router.js';
import {validate} from './schema.js';

/** Route paths are declared relative to it, as in the API document's basePath. */
const API_ROOT = '/0.1';
/** Shared by every request without a query string; routes only read their query. */
const NO_QUERY = new URLSearchParams();
/** Shared by the routes that declare no query parameters. */
const NOTHING_PARSED: Readonly<Record<string, unknown>> = Object.freeze({});
const ALLOW_METHODS = 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT';
const REASONS: Record<number, string> = Object.fromEntries(Object.entries(STATUS_CODES).map(([code, text]) => [code, (text ?? '').toUpperCase()]));

export interface ApiOptions {
  prefix: string;
  cors: {enabled: boolean; allow_headers: string[]};
  maxBodyBytes: number;
  /** How long an answer may take to leave once written; 0: no limit. */
  sendTimeoutMs: number;
  clientAddresses: ClientAddresses;
}

/**
 * Refusals a client can repeat at no cost to itself, as fast as they are answered: paced per
 * address. A full hash queue's 503 among them: unpaced, a guesser's 503s took the CPU from the
 * hash worker, so that its first failures (and the throttle they start) never came.
 */
const isPacedRefusal = (error: unknown) =>
  error instanceof LoginThrottled || error instanceof HashQueueFull || error instanceof BodyTooLarge || error instanceof TooDeeplyNested;

/** How much of a refused body is still read, so that a client still sending it gets its answer: Go's net/http's figure. */
const REFUSED_BODY_DRAIN = 256 * 1024;

/**
 * A body refused half-way leaves the connection unable to carry another request. The rest is
 * read and dropped up to REFUSED_BODY_DRAIN, for the client to finish sending and read the
 * answer; past that, or when the client has sent it all, the connection is closed. Never left
 * unread: a stalled socket would not even notice the client's reset.
 */
function closeAfterRefusal(req: IncomingMessage): void {
  const socket = req.socket;
  let left = REFUSED_BODY_DRAIN;
  req.on('data', (chunk: Buffer) => {
    left -= chunk.length;
    if (left < 0) socket.destroy();
  });
  req.once('end', () => socket.end());
  req.resume();
}

/**
 * The path and query as the daemon reads them (percent-decoded), with token values cut to their
 * last characters however the client encoded them, for the log.
 */
function loggablePath(url: string): string {
  const q = url.indexOf('?');
  const path = querystring
    .unescape(q === -1 ? url : url.slice(0, q))
    .replace(/(\/token\/+)([^/]*)/gi, (_, key: string, token: string) => key + redactToken(token));
  if (q === -1) return clientValue(path);
  const query = [...new URLSearchParams(url.slice(q + 1))].map(([key, value]) => `${key}=${key.toLowerCase() === 'token' ? redactToken(value) : value}`);
  return clientValue(`${path}?${query.join('&')}`);
}

/** The values of a route's access placeholders: its path's, and those it takes from the query. */
function accessParams(route: Route, params: Record<string, string>, query: URLSearchParams): Record<string, string> {
  if (!route.accessFromQuery) return params;
  const values = {...params};
  for (const name of route.accessFromQuery) values[name] = query.get(name) ?? 'None';
  return values;
}

export function createApi(services: Services, routes: Route[], options: ApiOptions) {
  const router = new Router<Route>();
  for (const route of routes) router.add(route.method, API_ROOT + route.path, route);
  const allowed = new Map(options.cors.allow_headers.map((h) => [h.toLowerCase(), h]));
  const log = services.log;
  const pace = new RefusalPace();

  function send(req: IncomingMessage, res: ServerResponse, reply: Reply, route: Route | undefined): void {
    if (res.headersSent || res.destroyed) return;
    const headers: Record<string, string | number> = reply.headers ? {...reply.headers} : {};
    if (route?.noStore) headers['Cache-Control'] = 'no-store';
    if (options.cors.enabled) {
      const origin = req.headers.origin;
      headers['Access-Control-Allow-Origin'] = origin ?? '*';
      if (origin) headers.Vary = 'Origin';
    }
    let text: string | undefined;
    if (reply.raw) {
      headers['Content-Type'] = reply.raw.contentType;
      text = reply.raw.text;
    } else if (reply.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      text = toJson(reply.body);
    } else if (!headers['Content-Type']) {
      headers['Content-Type'] = 'application/json';
    }
    if (text !== undefined) headers['Content-Length'] = Buffer.byteLength(text);
    res.writeHead(reply.status, REASONS[reply.status], headers);
    // node drops the body of HEAD answers itself and keeps the Content-Length.
    res.end(reply.status === 204 ? undefined : text);
    watchFlush(req, res);
  }

  // A client that stops reading would keep its answers in memory for ever: once the answer
  // is written, the connection has sendTimeoutMs to take it, or it is closed and its buffers
  // freed. Most answers leave at once (nothing buffered, or queued behind no other).
  function watchFlush(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    if (options.sendTimeoutMs === 0 || (res.socket && socket.writableLength === 0)) return;
    const timer = setTimeout(() => socket.destroy(), options.sendTimeoutMs);
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
  }

  // Expected while the database restarts: one line, no stack, and at most one every few seconds
  // however many requests fail meanwhile.
  let unavailableSince = -Infinity;
  let unavailableUnsaid = 0;
  function unavailableLog(error: StoreUnavailable): void {
    const now = performance.now();
    if (now - unavailableSince < 5_000) {
      unavailableUnsaid += 1;
      return;
    }
    const more = unavailableUnsaid ? ` (and ${unavailableUnsaid} more requests since the last such line)` : '';
    log.error(`database unavailable: ${error.message}${more}`);
    unavailableSince = now;
    unavailableUnsaid = 0;
  }

  function errorReply(error: unknown, route: Route | undefined, ctx: ServerRequest | undefined): Reply {
    if (error instanceof StoreUnavailable) unavailableLog(error);
    const at = {resource: route?.resource, invalidBody: route?.invalidBody, params: ctx?.params ?? {}, token: ctx?.token};
    const answer = error instanceof CodedError ? answerTo(error, at) : undefined;
    if (answer) return answer;
    log.error(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return INTERNAL_ERROR;
  }

  function preflight(req: IncomingMessage, allow: string[]): Reply {
    const headers: Record<string, string> = {Allow: allow.join(', '), 'Content-Type': 'text/html; charset=utf-8'};
    if (options.cors.enabled) {
      const requested = String(req.headers['access-control-request-headers'] ?? '')
        .split(',')
        .map((h) => allowed.get(h.trim().toLowerCase()))
        .filter((h): h is string => Boolean(h))
        .sort();
      if (requested.length) headers['Access-Control-Allow-Headers'] = requested.join(', ');
      headers['Access-Control-Allow-Methods'] = ALLOW_METHODS;
    }
    return {status: 200, headers, raw: {contentType: 'text/html; charset=utf-8', text: ''}};
  }

  /**
   * The answer's status, `aborted` when the client left before its request was read, or `cut`
   * when a refusal would have waited too long for its turn (refusal-pace.ts).
   */
  async function dispatch(req: IncomingMessage, res: ServerResponse, started: number): Promise<number | 'aborted' | 'cut'> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const fullPath = q === -1 ? url : url.slice(0, q);
    const remoteAddr = options.clientAddresses.clientOf(req.socket.remoteAddress ?? '', req.headers['x-forwarded-for']);
    let route: Route | undefined;
    let ctx: ServerRequest | undefined;
    let readingBody = false;
    let status: number | 'aborted' | 'cut' = 500;
    try {
      if (!fullPath.startsWith(options.prefix + '/')) throw new RouteNotFound();
      const path = fullPath.slice(options.prefix.length);
      const method = req.method ?? 'GET';
      let match = router.find(method, path);
      if (match.kind === 'method-not-allowed' && method === 'HEAD') {
        const get = router.find('GET', path);
        if (get.kind === 'found') match = get;
      }
      if (match.kind === 'not-found') throw new RouteNotFound();
      if (match.kind === 'method-not-allowed') {
        const allow = [...match.allow];
        if (allow.includes('GET') && !allow.includes('HEAD')) allow.push('HEAD');
        allow.push('OPTIONS');
        if (method === 'OPTIONS') {
          send(req, res, preflight(req, allow), undefined);
          return (status = 200);
        }
        throw new MethodNotAllowed(allow);
      }
      route = match.route;
      const query = q === -1 ? NO_QUERY : new URLSearchParams(url.slice(q + 1));
      ctx = {
        method,
        path,
        params: match.params,
        query: route.query ? {} : NOTHING_PARSED,
        rawQuery: q === -1 ? '' : url.slice(q + 1),
        headers: req.headers,
        remoteAddr,
        userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : '',
        body: undefined,
        token: undefined,
        tenantUuid: undefined,
        services,
      };
      // The guard comes first: an anonymous caller learns nothing from validation errors.
      if (route.access) Object.assign(ctx, await guard(services, route.access, accessParams(route, match.params, query), req.headers, query));
      if (route.topTenantOnly && ctx.token?.tenantUuid !== (await services.tenants.top())) throw new TopTenantOnly();
      if (route.query) for (const name in route.query) ctx.query[name] = route.query[name]!.parse(query);
      if (route.beforeBody) await route.beforeBody(ctx);
      if (route.readForm) {
        readingBody = true;
        ctx.form = await route.readForm(req, Math.min(route.maxBodyBytes ?? Infinity, options.maxBodyBytes));
      } else if (route.body) {
        readingBody = true;
        ctx.body = await parseBody(req, route, route.body);
      }
      const reply = await route.handle(ctx);
      send(req, res, reply, route);
      if (isAudited(route, reply.status)) services.audit.record(auditEntry(route, ctx, reply, API_ROOT));
      return (status = reply.status);
    } catch (error) {
      if (error instanceof ClientGone) {
        req.socket.destroy();
        return (status = 'aborted');
      }
      const reply = errorReply(error, route, ctx);
      if (isPacedRefusal(error)) {
        const wait = pace.wait(remoteAddr);
        if (wait === Infinity) {
          req.socket.destroy();
          return (status = 'cut');
        }
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      send(req, res, reply, route);
      if (readingBody && !req.complete) closeAfterRefusal(req);
      // Received whole but refused half-read: what is left is dropped.
      else if (readingBody) req.resume();
      return (status = reply.status);
    } finally {
      if (log.enabled('debug')) {
        log.debug(`${clientValue(remoteAddr)} "${req.method} ${loggablePath(url)}" ${status} ${(performance.now() - started).toFixed(1)}ms`);
      }
    }
  }

  async function parseBody(req: IncomingMessage, route: Route, schema: ObjectSchema): Promise<unknown> {
    let json = await readJson(req, Math.min(route.maxBodyBytes ?? Infinity, options.maxBodyBytes));
    if (route.falsyBodyIsEmpty && (!json || (Array.isArray(json) && json.length === 0))) json = {};
    if (route.bodyIsList !== undefined) json = {[route.bodyIsList]: json};
    const result = validate(schema, json);
    if (!result.ok) throw new InvalidBody(result.errors);
    return result.value;
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    // Reached only when answering itself failed (or the log did): the connection goes.
    dispatch(req, res, performance.now()).catch(() => {
      if (!res.writableEnded) req.socket.destroy();
    });
  };
}

/** What a connection that HTTP cannot parse gets, as node's default; never thrown. */
function clientError(log: Logger) {
  return (error: NodeJS.ErrnoException, socket: Duplex): void => {
    try {
      if (error.code !== 'ECONNRESET' && socket.writable && socket.writableLength === 0) {
        const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400;
        socket.write(`HTTP/1.1 ${status} ${REASONS[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      }
      socket.destroy();
      if (log.enabled('debug')) log.debug(`unreadable request: ${error.code ?? error.message}`);
    } catch {
      socket.destroy();
    }
  };
}

/** The `rest_api` settings the server itself applies; the daemon hands it the configuration's. */
export interface ServerSettings {
  headers_timeout_ms: number;
  request_timeout_ms: number;
  keep_alive_timeout_ms: number;
  ciphers: string;
  tls_min_version: 'TLSv1.2' | 'TLSv1.3';
}

/** An HTTPS server when a certificate and key are configured, plain HTTP otherwise. */
export function createServer(
  restApi: ServerSettings,
  tls: {cert: Buffer; key: Buffer} | undefined,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
  log: Logger,
): Server {
  const options = {
    headersTimeout: restApi.headers_timeout_ms,
    requestTimeout: restApi.request_timeout_ms,
    keepAliveTimeout: restApi.keep_alive_timeout_ms,
    // node only enforces the two timeouts above at this interval (30 s by default).
    connectionsCheckingInterval: 1000,
  };
  const server = tls
    ? createHttpsServer({...options, ...tls, ciphers: restApi.ciphers, minVersion: restApi.tls_min_version}, handler)
    : createHttpServer(options, handler);
  server.on('clientError', clientError(log));
  return server;
}

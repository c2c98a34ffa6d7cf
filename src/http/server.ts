// The daemon's HTTP(S) front: routing under the configured prefix, CORS, body limits,
// the guard, and the one place where errors become responses.

import {createServer as createHttpServer, STATUS_CODES, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import {createServer as createHttpsServer} from 'node:https';
import querystring from 'node:querystring';
import type {DaemonConfig} from '../config/index.js';
import {clientValue, redactToken} from '../log.js';
import type {Services} from '../services/index.js';
import {ConflictError, StoreUnavailable} from '../store/store.js';
import {errors, HttpError} from './errors.js';
import {guard} from './guard.js';
import {toJson} from './json.js';
import type {Reply, RequestContext, Route} from './route.js';
import {Router} from './router.js';
import {firstErrors, validate} from './schema.js';

/** Route paths are declared relative to it, as in the API document's basePath. */
const API_ROOT = '/0.1';
/** Shared by every request without a query string; routes only read their query. */
const NO_QUERY = new URLSearchParams();
const ALLOW_METHODS = 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT';
const REASONS: Record<number, string> = Object.fromEntries(
  Object.entries(STATUS_CODES).map(([code, text]) => [code, (text ?? '').toUpperCase()]),
);

export interface ApiOptions {
  prefix: string;
  cors: {enabled: boolean; allow_headers: string[]};
  maxBodyBytes: number;
}

/** Reads at most `limit` bytes of body; undefined when the body is larger. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > limit) {
      req.resume();
      return resolve(undefined);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(undefined);
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function remoteAddress(req: IncomingMessage): string {
  // One proxy hop is trusted, as upstream's ProxyFix(x_for=1).
  const forwarded = req.headers['x-forwarded-for'];
  if (typeof forwarded === 'string' && forwarded) {
    const hops = forwarded.split(',');
    return hops[hops.length - 1]!.trim();
  }
  return req.socket.remoteAddress ?? '';
}

/**
 * The path and query as the daemon reads them (percent-decoded), with token values cut to their
 * last characters however the client encoded them, for the log.
 */
function loggablePath(url: string): string {
  const q = url.indexOf('?');
  const path = querystring.unescape(q === -1 ? url : url.slice(0, q)).replace(/(\/token\/+)([^/]*)/gi, (_, key: string, token: string) => key + redactToken(token));
  if (q === -1) return clientValue(path);
  const query = [...new URLSearchParams(url.slice(q + 1))].map(([key, value]) => `${key}=${key.toLowerCase() === 'token' ? redactToken(value) : value}`);
  return clientValue(`${path}?${query.join('&')}`);
}

export function createApi(services: Services, routes: Route[], options: ApiOptions) {
  const router = new Router<Route>();
  for (const route of routes) router.add(route.method, API_ROOT + route.path, route);
  const allowed = new Map(options.cors.allow_headers.map((h) => [h.toLowerCase(), h]));
  const log = services.log;

  function send(req: IncomingMessage, res: ServerResponse, reply: Reply): void {
    const headers: Record<string, string | number> = reply.headers ? {...reply.headers} : {};
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

  function errorReply(error: unknown, route: Route | undefined): Reply {
    if (error instanceof HttpError) {
      return error.html
        ? {status: error.status, headers: error.headers, raw: {contentType: 'text/html; charset=utf-8', text: String(error.body)}}
        : {status: error.status, headers: error.headers, body: error.body};
    }
    if (error instanceof ConflictError) {
      const e = errors.conflict(route?.resource ?? '', error.field, error.message);
      return {status: e.status, body: e.body};
    }
    if (error instanceof StoreUnavailable) {
      unavailableLog(error);
      const e = errors.unavailable();
      return {status: e.status, body: e.body};
    }
    log.error(`unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    const e = errors.internal();
    return {status: e.status, body: e.body};
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

  async function dispatch(req: IncomingMessage, res: ServerResponse, started: number): Promise<number> {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const fullPath = q === -1 ? url : url.slice(0, q);
    let route: Route | undefined;
    try {
      if (!fullPath.startsWith(options.prefix + '/')) throw errors.routeNotFound();
      const path = fullPath.slice(options.prefix.length);
      const method = req.method ?? 'GET';
      let match = router.find(method, path);
      if (match.kind === 'method-not-allowed' && method === 'HEAD') {
        const get = router.find('GET', path);
        if (get.kind === 'found') match = get;
      }
      if (match.kind === 'not-found') throw errors.routeNotFound();
      if (match.kind === 'method-not-allowed') {
        const allow = [...match.allow];
        if (allow.includes('GET') && !allow.includes('HEAD')) allow.push('HEAD');
        allow.push('OPTIONS');
        if (method === 'OPTIONS') {
          send(req, res, preflight(req, allow));
          return 200;
        }
        throw errors.methodNotAllowed(allow);
      }
      route = match.route;
      const query = q === -1 ? NO_QUERY : new URLSearchParams(url.slice(q + 1));
      const ctx: RequestContext = {
        method,
        path,
        params: match.params,
        query,
        headers: req.headers,
        remoteAddr: remoteAddress(req),
        userAgent: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'] : '',
        body: {},
        token: undefined,
        tenantUuid: undefined,
        services,
      };
      // The guard comes first: an anonymous caller learns nothing from validation errors.
      if (route.access) Object.assign(ctx, await guard(services, route.access, match.params, req.headers, query));
      if (route.topTenantOnly && ctx.token?.tenantUuid !== (await services.tenants.top())) {
        throw errors.topTenantOnly(redactToken(ctx.token?.value ?? ''));
      }
      if (route.beforeBody) await route.beforeBody(ctx);
      if (route.body) ctx.body = await parseBody(req, route);
      const reply = await route.handle(ctx);
      send(req, res, reply);
      return reply.status;
    } catch (error) {
      const reply = errorReply(error, route);
      if (!res.headersSent) send(req, res, reply);
      if (reply.status === 413) req.socket.end();
      return reply.status;
    } finally {
      if (log.enabled('debug')) {
        log.debug(`${clientValue(remoteAddress(req))} "${req.method} ${loggablePath(url)}" ${res.statusCode} ${(performance.now() - started).toFixed(1)}ms`);
      }
    }
  }

  async function parseBody(req: IncomingMessage, route: Route): Promise<Record<string, unknown>> {
    const raw = await readBody(req, options.maxBodyBytes);
    if (raw === undefined) throw errors.payloadTooLarge();
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw errors.badRequestBody();
    }
    if (route.falsyBodyIsEmpty && (!json || (Array.isArray(json) && json.length === 0))) json = {};
    if (route.bodyIsList !== undefined) json = {[route.bodyIsList]: json};
    const result = validate(route.body!, json);
    if (!result.ok) {
      throw route.invalidBody ? route.invalidBody(result.errors) : errors.invalidData(route.resource ?? '', firstErrors(result.errors));
    }
    return result.value;
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    // A request that fails even to answer ends its own connection, never the daemon.
    dispatch(req, res, performance.now()).catch(() => res.destroy());
  };
}

/** An HTTPS server when a certificate and key are configured, plain HTTP otherwise. */
export function createServer(
  restApi: DaemonConfig['rest_api'],
  tls: {cert: Buffer; key: Buffer} | undefined,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Server {
  const options = {
    headersTimeout: restApi.headers_timeout_ms,
    requestTimeout: restApi.request_timeout_ms,
    keepAliveTimeout: restApi.keep_alive_timeout_ms,
    // node only enforces the two timeouts above at this interval (30 s by default).
    connectionsCheckingInterval: 1000,
  };
  return tls ? createHttpsServer({...options, cert: tls.cert, key: tls.key}, handler) : createHttpServer(options, handler);
}

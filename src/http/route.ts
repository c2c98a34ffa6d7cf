// What a route file declares: method, path, required access, body schema, handler.
// The server does the parsing, the guard and the error mapping around the handler.

import type {IncomingHttpHeaders} from 'node:http';
import type {LiveToken} from '../services/tokens.js';
import type {Services} from '../services/index.js';
import type {HttpError} from './errors.js';
import type {FieldErrors, ObjectSchema, Schema} from './schema.js';

export interface RequestContext {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** The client's address: the peer's, or what a trusted proxy forwarded (see client-address.ts). */
  remoteAddr: string;
  userAgent: string;
  /** The validated body, when the route declares one. */
  body: Record<string, unknown>;
  /** The caller's token, on routes that require access. */
  token: LiveToken | undefined;
  /** The tenant the request acts in: `Wazo-Tenant` or the token's own. */
  tenantUuid: string | undefined;
  services: Services;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Sent as is with this content type instead of JSON. */
  raw?: {contentType: string; text: string};
}

export interface QueryParameter {
  name: string;
  schema: Schema;
  required?: boolean;
}

export interface Route {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to the API root, e.g. `/users/{user_uuid:uuid}`. */
  path: string;
  summary: string;
  tag: string;
  /** Required access, with `{param}` placeholders; absent when no token is needed. */
  access?: string;
  body?: ObjectSchema;
  /** The largest body taken, below `rest_api.max_body_bytes`; larger is a 413 (anonymous routes keep it small). */
  maxBodyBytes?: number;
  /** Answers hold a token: no cache may keep them (`Cache-Control: no-store`). */
  noStore?: boolean;
  /** Bodies such as `null` or `[]` count as `{}` (upstream's POST /token). */
  falsyBodyIsEmpty?: boolean;
  /** The body is a JSON array, validated and documented as this property of `body` (PATCH /config). */
  bodyIsList?: string;
  /** Only tokens of the top tenant pass, whatever Wazo-Tenant says; checked before the body (upstream's required_top_tenant). */
  topTenantOnly?: boolean;
  /** Runs after the guard, before the body is read: where upstream answers a 404 before judging the body. */
  beforeBody?: (ctx: RequestContext) => Promise<void>;
  /** How a body that fails its schema is answered; default: 400 invalid-data. */
  invalidBody?: (errors: FieldErrors) => HttpError;
  query?: QueryParameter[];
  /** The resource name used in error bodies, e.g. `users`. */
  resource?: string;
  /** Status codes and what they mean, for the API document. */
  responses: Record<number, string>;
  handle(ctx: RequestContext): Promise<Reply> | Reply;
}

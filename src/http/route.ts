// What a route file declares: method, path, required access, schemas, handler. The server does
// the parsing, the guard and the error answers around the handler, which gets its request typed
// from the declaration: path parameters from the path, the body from its schema, the query from
// its parsers, and a token and a tenant when the route requires an access.

import type {IncomingHttpHeaders, IncomingMessage} from 'node:http';
import type {Infer, ObjectSchema, Schema} from '../schema/schema.js';
import type {Services} from '../services/index.js';
import type {LiveToken} from '../services/tokens.js';
import type {BodyErrorStyle} from './errors.js';

export interface QueryParameter {
  name: string;
  schema: Schema;
  required?: boolean;
}

/** Some query parameters: their description, and their parsing, which throws the 400 answer. */
export interface QueryParser<T> {
  parameters: QueryParameter[];
  parse(query: URLSearchParams): T;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string> | undefined;
  /** Sent as is with this content type instead of JSON. */
  raw?: {contentType: string; text: string};
}

/** The names of a path's `{name}` and `{name:converter}` segments. */
type ParamName<P extends string> = P extends `${string}{${infer Param}}${infer Rest}`
  ? (Param extends `${infer Name}:${string}` ? Name : Param) | ParamName<Rest>
  : never;

/** One object per path of a union: a handler declared for several paths reads what each has. */
export type PathParams<P extends string> = P extends string ? {readonly [K in ParamName<P>]: string} : never;

type Queries = Readonly<Record<string, QueryParser<unknown>>>;
type Parsed<Q> = {readonly [K in keyof Q]: Q[K] extends QueryParser<infer T> ? T : never};

/** On a route that requires an access: the caller's token and the tenant the request acts in. */
type Caller<A> = A extends string ? {token: LiveToken; tenantUuid: string} : {token?: undefined; tenantUuid?: undefined};

export type RequestContext<P extends string, Q, B, A> = {
  method: string;
  path: string;
  params: PathParams<P>;
  query: Parsed<Q>;
  /** The query string as sent, without its '?' (what a redirect binding's signature covers). */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  /** The client's address: the peer's, or what a trusted proxy forwarded (see client-address.ts). */
  remoteAddr: string;
  userAgent: string;
  body: B;
  /** What `readForm` read, on the routes that declare it. */
  form?: unknown;
  services: Services;
} & Caller<A>;

/** A request as the server builds it, whatever the route. */
export interface ServerRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: Record<string, unknown>;
  rawQuery: string;
  headers: IncomingHttpHeaders;
  remoteAddr: string;
  userAgent: string;
  body: unknown;
  form?: unknown;
  services: Services;
  token?: LiveToken | undefined;
  tenantUuid?: string | undefined;
}

interface Common {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  summary: string;
  tag: string;
  /** The largest body taken, below `rest_api.max_body_bytes`; larger is a 413 (anonymous routes keep it small). */
  maxBodyBytes?: number;
  /** Answers hold a token: no cache may keep them (`Cache-Control: no-store`). */
  noStore?: boolean;
  /** Bodies such as `null` or `[]` count as `{}` (upstream's POST /token). */
  falsyBodyIsEmpty?: boolean;
  /** The body is a JSON array, validated and documented as this property of `body` (PATCH /config). */
  bodyIsList?: string;
  /**
   * Placeholders of `access` filled from these query parameters (upstream's POST
   * /users/password/reset requires `auth.users.password.reset.{user_uuid}.create` for
   * `?user_uuid=`); one that is absent reads `None`, as upstream formats it.
   */
  accessFromQuery?: readonly string[];
  /** Only tokens of the top tenant pass, whatever Wazo-Tenant says; checked before the body (upstream's required_top_tenant). */
  topTenantOnly?: boolean;
  /** How a body that fails its schema is answered; default: each field's first error. */
  invalidBody?: BodyErrorStyle;
  /** Reads a body that is not JSON (an HTML form); the handler finds it as `form`. */
  readForm?(req: IncomingMessage, maxBytes: number): Promise<unknown>;
  /** false: the route changes nothing an administrator did (a login, a check): the audit trail skips it. */
  audit?: false;
  /** The resource named in error bodies, e.g. `users`. */
  resource?: string;
  /** Status codes and what they mean, for the API document. */
  responses: Record<number, string>;
}

/** A route as the server, the router and the API document see it. */
export interface Route extends Common {
  /** Relative to the API root, e.g. `/users/{user_uuid:uuid}`. */
  path: string;
  /** Required access, with `{param}` placeholders; absent when no token is needed. */
  access?: string;
  body?: ObjectSchema;
  /** Parsed in this order, after the guard. */
  query?: Queries;
  /** Runs after the guard, before the body is read: where upstream answers a 404 before judging the body. */
  beforeBody?(ctx: ServerRequest): Promise<void>;
  handle(ctx: ServerRequest): Promise<Reply> | Reply;
}

export interface Declaration<P extends string, A extends string | undefined, B extends ObjectSchema | undefined, Q extends Queries> extends Common {
  path: P;
  access?: A;
  body?: B;
  query?: Q;
  beforeBody?(ctx: RequestContext<P, Q, undefined, A>): Promise<void>;
  handle(ctx: RequestContext<P, Q, B extends ObjectSchema ? Infer<B> : undefined, A>): Promise<Reply> | Reply;
}

/** A route, its handler typed from the declaration. */
export function route<
  const P extends string,
  const A extends string | undefined = undefined,
  B extends ObjectSchema | undefined = undefined,
  Q extends Queries = {},
>(declaration: Declaration<P, A, B, Q>): Route {
  return declaration;
}

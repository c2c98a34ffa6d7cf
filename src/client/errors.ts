// The two ways a call to a daemon fails: the daemon answered with an error (ApiError), or there
// was no usable answer at all (ConnectionError). Callers map each kind to its own exit code.

import {STATUS_CODES} from 'node:http';

/** A non-2xx answer. `message` is the daemon's own, whichever of upstream's body shapes it came in. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** `error_id` of resource routes' bodies (`unauthorized`, `unknown-user`, `conflict`...); token routes have none. */
  readonly errorId: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    readonly status: number,
    /** The parsed JSON body, or the raw text when the body is not JSON (e.g. the HTML page of an unknown route). */
    readonly body: unknown,
  ) {
    super(messageOf(status, body));
    const fields = isObject(body) ? body : {};
    this.errorId = typeof fields.error_id === 'string' ? fields.error_id : undefined;
    this.details = isObject(fields.details) ? fields.details : undefined;
  }
}

/**
 * No answer from a wazo-auth daemon: name resolution, refused or reset connection, TLS failure,
 * timeout, or an answer that is not the API's (a proxy page, a redirect). `code` is the underlying
 * error code when there is one (`ECONNREFUSED`, `DEPTH_ZERO_SELF_SIGNED_CERT`, `ETIMEDOUT`).
 */
export class ConnectionError extends Error {
  override readonly name = 'ConnectionError';

  constructor(
    message: string,
    readonly code?: string,
    options?: {cause?: unknown},
  ) {
    super(message, options);
  }
}

/** An option the client cannot work with: a URL that is not http(s) or holds credentials, an unreadable CA file. */
export class ClientOptionError extends Error {
  override readonly name = 'ClientOptionError';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Resource routes say `message`; token and policy routes say `reason: [message]`. */
function messageOf(status: number, body: unknown): string {
  if (isObject(body)) {
    if (typeof body.message === 'string' && body.message) return body.message;
    if (Array.isArray(body.reason) && typeof body.reason[0] === 'string') return body.reason[0];
  }
  return `${status} ${STATUS_CODES[status] ?? 'HTTP error'}`;
}

// One mapping from whatever stops a command to an exit code, a one-line message and, under
// --json, an error object: the only place the CLI reads the API's statuses. BaseCommand.catch
// calls failureOf; commands and src/cli word the refusals whose meaning depends on the question
// with the functions below, and never read a status themselves.

import {ApiError, ClientOptionError, ConnectionError} from '../client/errors.js';
import {ExitCode} from './exit-codes.js';

/** A command's failure as the operator sees it; `fields` join the message in the JSON error. */
export class CliFailure extends Error {
  override readonly name = 'CliFailure';

  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly fields: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const usageError = (message: string) => new CliFailure(message, ExitCode.usage);

/** Exit code of an API error status: who may not is 4, a daemon failing is 3, any other no is 1. */
export function exitCodeOfStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return ExitCode.authentication;
  if (status >= 500) return ExitCode.unreachable;
  return ExitCode.negative;
}

/** The ways the daemon says no that a command may expect, by status. */
export type Refusal = 'unauthorized' | 'forbidden' | 'not-found' | 'conflict';

const REFUSALS: Readonly<Record<number, Refusal>> = {401: 'unauthorized', 403: 'forbidden', 404: 'not-found', 409: 'conflict'};

/** Whether the daemon answered no in one of these ways. */
export function isRefusal(error: unknown, ...refusals: Refusal[]): boolean {
  if (!(error instanceof ApiError)) return false;
  const refusal = REFUSALS[error.status];
  return refusal !== undefined && refusals.includes(refusal);
}

/** The answer, or undefined when the daemon says no in one of these ways (not the caller's to read, not there). */
export async function unlessRefused<T>(call: Promise<T>, ...refusals: Refusal[]): Promise<T | undefined> {
  try {
    return await call;
  } catch (error) {
    if (isRefusal(error, ...refusals)) return undefined;
    throw error;
  }
}

const answered = (error: ApiError) => ({status: error.status, response: error.body ?? null});

/**
 * The refusals whose meaning depends on what was asked. Each turns the API errors it knows into
 * the operator's failure and gives any other error back unchanged, for the caller to throw.
 */
export const refusals = {
  /** HEAD /status: a 503 is a working daemon saying a component fails; any other error, no wazo-auth daemon. */
  health(error: unknown, url: string): unknown {
    if (!(error instanceof ApiError)) return error;
    if (error.status === 503) return new CliFailure(`${url} answers, but a component fails (503)`, ExitCode.negative, answered(error));
    return new CliFailure(`${url} does not answer as a wazo-auth daemon (${error.status})`, ExitCode.unreachable, answered(error));
  },

  /** The login route answered 404: the URL is not a wazo-auth daemon's root (a wrong prefix); exit 3, as `status` says. */
  notTheApi(error: unknown, url: string): unknown {
    if (!(error instanceof ApiError) || !isRefusal(error, 'not-found')) return error;
    return new CliFailure(
      `${url} does not answer as a wazo-auth daemon (404): check the URL, e.g. https://HOST/api/auth behind nginx, https://HOST:9497 direct`,
      ExitCode.unreachable,
      answered(error),
    );
  },

  /** A token checked for someone else: unknown, or not covering the tenant, is a "no" about that token. */
  checkedToken(error: unknown, tenant: string | undefined): unknown {
    if (isRefusal(error, 'not-found')) return new CliFailure('invalid token: unknown, expired or revoked', ExitCode.negative, {valid: false});
    if (isRefusal(error, 'forbidden')) return new CliFailure(`the token does not cover tenant ${tenant}`, ExitCode.negative, {valid: false});
    return error;
  },

  /** The caller's own token, which the daemon does not know: expired, revoked, or another daemon's. */
  ownToken(error: unknown, message: string): unknown {
    if (!(error instanceof ApiError) || !isRefusal(error, 'not-found')) return error;
    return new CliFailure(message, ExitCode.authentication, answered(error));
  },

  /** Credentials the daemon refuses: a password, a kept login; `message` gets the daemon's own words. */
  credentials(error: unknown, message: (said: string) => string): unknown {
    if (!(error instanceof ApiError) || !isRefusal(error, 'unauthorized')) return error;
    return new CliFailure(message(error.message), ExitCode.authentication, answered(error));
  },
};

/**
 * The failure a thrown value stands for; undefined for a value no mapping knows, which is a bug
 * and keeps its stack. oclif's own errors (parsing: exit 2) keep their exit code.
 */
export function failureOf(error: unknown): CliFailure | undefined {
  if (error instanceof CliFailure) return error;
  if (error instanceof ApiError) {
    // The body as the API sent it: its field names (error_id, details, resource) are the API's.
    return new CliFailure(apiErrorText(error), exitCodeOfStatus(error.status), {status: error.status, response: error.body ?? null});
  }
  if (error instanceof ConnectionError) return new CliFailure(error.message, ExitCode.unreachable, error.code ? {code: error.code} : {});
  if (error instanceof ClientOptionError) return usageError(error.message);
  const oclifExit = (error as {oclif?: {exit?: unknown}} | null)?.oclif?.exit;
  if (error instanceof Error && typeof oclifExit === 'number') return new CliFailure(oneLine(error.message), oclifExit as ExitCode);
  return undefined;
}

/**
 * What the daemon said, in one line: the access a refused token lacks, the fields a 400 or a 409
 * names and why, the resource a 404 did not find; else its status and message.
 */
export function apiErrorText(error: ApiError): string {
  const details = error.details ?? {};
  const access = typeof details.required_access === 'string' ? details.required_access : undefined;
  if (error.status === 401 && access) {
    if (details.reason === 'not_found_or_expired') return `the daemon does not know the token (unknown, expired or revoked); ${access} needs a valid one`;
    return `not allowed: the token does not grant ${access}`;
  }
  const fields = fieldText(details);
  if (error.status === 400) return fields ? `invalid request: ${fields}` : `the daemon refused: ${error.message}`;
  if (error.status === 409) return `conflict: ${fields || error.message}`;
  // Resource routes name what they did not find (`No such user: "x"`); others get it said.
  if (error.status === 404) return /^no such /i.test(error.message) ? error.message : `not found: ${error.message}`;
  return `the daemon answered ${error.status}: ${error.message}${fields ? ` (${fields})` : ''}`;
}

/**
 * What the daemon says about each field, when it does (`username: The login "bob" is already
 * used`), nested fields by their path (`emails.0.address: Not a valid email address.`).
 */
function fieldText(details: Record<string, unknown>, path = ''): string {
  const said = Object.entries(details).flatMap(([field, detail]) => {
    if (typeof detail !== 'object' || detail === null) return [];
    const where = path ? `${path}.${field}` : field;
    const message = (detail as {message?: unknown}).message;
    if (typeof message === 'string' && message) return [`${where}: ${message}`];
    const nested = fieldText(detail as Record<string, unknown>, where);
    return nested ? [nested] : [];
  });
  return said.join('; ');
}

/** A multi-line message (oclif's parse errors) as one line. */
const oneLine = (message: string) =>
  message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('; ');

/** The `--json` form of a failure: `{"error": {"message", "exit_code", ...fields}}`. */
export function failureJson(failure: CliFailure): {error: Record<string, unknown>} {
  return {error: {message: failure.message, exit_code: failure.exitCode, ...failure.fields}};
}

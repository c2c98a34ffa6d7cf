// One mapping from whatever stops a command to an exit code, a one-line message and, under
// --json, an error object. BaseCommand.catch is its only caller.

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

/**
 * The failure a thrown value stands for; undefined for a value no mapping knows, which is a bug
 * and keeps its stack. oclif's own errors (parsing: exit 2) keep their exit code.
 */
export function failureOf(error: unknown): CliFailure | undefined {
  if (error instanceof CliFailure) return error;
  if (error instanceof ApiError) {
    // The body as the API sent it: its field names (error_id, details, resource) are the API's.
    return new CliFailure(`the daemon answered ${error.status}: ${error.message}${detailText(error.details)}`, exitCodeOfStatus(error.status), {
      status: error.status,
      response: error.body ?? null,
    });
  }
  if (error instanceof ConnectionError) return new CliFailure(error.message, ExitCode.unreachable, error.code ? {code: error.code} : {});
  if (error instanceof ClientOptionError) return usageError(error.message);
  const oclifExit = (error as {oclif?: {exit?: unknown}} | null)?.oclif?.exit;
  if (error instanceof Error && typeof oclifExit === 'number') return new CliFailure(error.message, oclifExit as ExitCode);
  return undefined;
}

/**
 * What the daemon says about each field, when it does: a 409 or a 400 names the field and why
 * (` (username: The login "bob" is already used)`), which its message alone does not.
 */
function detailText(details: Record<string, unknown> | undefined): string {
  const said = Object.entries(details ?? {}).flatMap(([field, detail]) => {
    const message = (detail as {message?: unknown} | null)?.message;
    return typeof message === 'string' && message ? [`${field}: ${message}`] : [];
  });
  return said.length > 0 ? ` (${said.join('; ')})` : '';
}

/** The `--json` form of a failure: `{"error": {"message", "exit_code", ...fields}}`. */
export function failureJson(failure: CliFailure): {error: Record<string, unknown>} {
  return {error: {message: failure.message, exit_code: failure.exitCode, ...failure.fields}};
}

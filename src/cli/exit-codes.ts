// The exit codes every command shares, so that a script can tell a "no" from a broken link or a
// missing login whatever the command, and the sentence that documents them in each --help.

export const ExitCode = {
  success: 0,
  /** The daemon answered no: not found, invalid token, denied scope, refused change. */
  negative: 1,
  usage: 2,
  /** No usable answer: refused connection, DNS, TLS, timeout, not a wazo-auth daemon, a 5xx. */
  unreachable: 3,
  /** No credentials, credentials refused (401) or not allowed to do this (403). */
  authentication: 4,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const EXIT_CODES_HELP =
  'Exit codes: 0 success, 1 a negative answer (not found, invalid token, denied scope), 2 usage error, ' +
  '3 cannot reach or talk to the daemon, 4 authentication needed or refused.';

/** A command's description followed by the exit codes, for its --help. */
export function withExitCodes(description: string): string {
  return `${description}\n\n${EXIT_CODES_HELP}`;
}

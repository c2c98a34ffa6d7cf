// The passwords `user create` and `user passwd` set: from standard input with --password-stdin,
// else typed twice at a hidden prompt on a terminal; never from the command line.

import {usageError} from './failure.js';
import {currentFactory} from './factory.js';
import {passwordFromStdin, promptHidden} from './password.js';

export interface PasswordChange {
  old_password: string;
  new_password: string;
}

/** A new password for `who`; undefined when it comes neither from stdin nor from a terminal. */
export async function readNewPassword(fromStdin: boolean, who: string): Promise<string | undefined> {
  if (fromStdin) return nonEmpty(await passwordFromStdin(), 'the password on standard input is empty');
  if (!currentFactory().io.stdin.isTTY) return undefined;
  return typedTwice(who);
}

/**
 * The current password of `who` and the new one: on standard input, one a line; on a terminal,
 * the current one once and the new one twice. Undefined when there is neither.
 */
export async function readPasswordChange(fromStdin: boolean, who: string): Promise<PasswordChange | undefined> {
  if (fromStdin) {
    const text = await passwordFromStdin();
    const newline = text.indexOf('\n');
    if (newline < 0) throw usageError('--password-stdin: the current password on the first line, the new one on the second');
    return {
      old_password: nonEmpty(text.slice(0, newline).replace(/\r$/, ''), 'the current password on standard input is empty'),
      new_password: nonEmpty(text.slice(newline + 1), 'the new password on standard input is empty'),
    };
  }
  if (!currentFactory().io.stdin.isTTY) return undefined;
  const current = nonEmpty(await promptHidden(`Current password (${who}): `), 'the current password is empty');
  return {old_password: current, new_password: await typedTwice(who)};
}

/** Typed twice, since a typing error nobody saw would lock the user out. */
async function typedTwice(who: string): Promise<string> {
  const password = nonEmpty(await promptHidden(`New password (${who}): `), 'the password is empty');
  if ((await promptHidden('Type it again: ')) !== password) throw usageError('the two passwords differ');
  return password;
}

function nonEmpty(password: string, message: string): string {
  if (!password) throw usageError(message);
  return password;
}

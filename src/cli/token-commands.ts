// What the `token` commands share: the TOKEN argument, which may be `-` to read the token from
// standard input (a pipeline, `token create ... --format plain | token check -`, keeps it off argv,
// where any user of the machine can see it), and how a token's data is shown.

import {Args} from '@oclif/core';
import type {Token} from '../client/index.js';
import {usageError} from './failure.js';
import type {RecordView} from './output.js';
import {passwordFromStdin} from './password.js';

export const tokenArgument = Args.string({description: 'The token, or - to read it from standard input', required: true});

/** The token the argument names; a usage error when stdin gives none. */
export async function tokenOf(argument: string): Promise<string> {
  if (argument !== '-') return argument;
  const token = (await passwordFromStdin()).trim();
  if (!token) throw usageError('no token on standard input');
  return token;
}

/** A token's table rows (the refresh token only when the login gave one) and what `plain` prints of it. */
export function tokenView(token: Token, plain: string[]): RecordView {
  const fields = ['token', 'refresh_token', 'auth_id', 'session_uuid', 'utc_issued_at', 'utc_expires_at', 'acl', 'metadata'];
  return {fields: token.refresh_token ? fields : fields.filter((field) => field !== 'refresh_token'), plain};
}

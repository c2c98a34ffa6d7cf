// What the external commands share: how a user's linked types and a tenant's settings are shown
// (secrets masked unless asked for), and where settings come from (a file or stdin, never argv).

import {readFile} from 'node:fs/promises';
import {usageError} from './failure.js';
import type {ListView} from './output.js';
import {passwordFromStdin} from './password.js';

export const externalList: ListView = {columns: ['type', 'enabled', 'plugin_info'], plain: 'type'};

/** The settings upstream documents as secrets: the OAuth client secret, FCM and APNs credentials. */
const SECRET_FIELDS = new Set(['client_secret', 'fcm_api_key', 'fcm_service_account_info', 'ios_apn_private', 'ios_apn_certificate']);

/** Each secret as `(set, N characters)`: enough to see it is there, nothing of its value. */
export function maskedConfig(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([key, value]) => [
      key,
      SECRET_FIELDS.has(key) && value !== null && value !== ''
        ? `(set, ${(typeof value === 'string' ? value : JSON.stringify(value)).length} characters)`
        : value,
    ]),
  );
}

/** A JSON object from `path`, or from standard input when it is `-`. */
export async function configFrom(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = path === '-' ? await passwordFromStdin() : await readFile(path, 'utf8');
  } catch (error) {
    throw usageError(`--file: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw usageError(`--file: ${path === '-' ? 'standard input' : path} is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw usageError('--file: the settings must be a JSON object');
  return parsed as Record<string, unknown>;
}

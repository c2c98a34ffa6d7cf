// What the configuration makes at start (default policies, tenant default groups) is read, then
// created or updated. Daemons starting together on one database may both find it missing: the
// one whose creation then conflicts reads again and updates instead.

import {ConflictError} from '../domain/errors.js';

/**
 * `write(read())`, once more when a creation conflicts; a conflict that remains is another
 * object holding the name, said as `what` (`default_policies.operators: ... by another policy`).
 */
export async function readThenWrite<T, R>(
  read: () => Promise<T | undefined>,
  write: (existing: T | undefined) => Promise<R>,
  what: (message: string) => string,
): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    const existing = await read();
    try {
      return await write(existing);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      if (!existing && attempt === 1) continue;
      throw new Error(what(error.message));
    }
  }
}

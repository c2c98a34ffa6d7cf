// Local accounts by name, from the password database: whom the daemon becomes (`user`), whom
// bootstrap's credentials file belongs to.

import {readFileSync} from 'node:fs';

/** The uid and gid of a local user; undefined when there is no such user. */
export function accountIds(user: string): {uid: number; gid: number} | undefined {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[0] === user);
  if (!line) return undefined;
  const [, , uid, gid] = line.split(':');
  return {uid: Number(uid), gid: Number(gid)};
}

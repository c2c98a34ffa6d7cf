// wazo_user: the users of this daemon's database, their passwords, their policies (through their
// groups and their own) and the metadata of their purpose.

import type {User} from '../../domain/types.js';
import type {BackendPlugin, Purposes} from '../types.js';

/** The metadata plugins of the user's purpose, merged in order (ldap_user gives the same). */
export async function purposeMetadata(purposes: Purposes, user: User): Promise<Record<string, unknown>> {
  const metadata: Record<string, unknown> = {};
  for (const provider of purposes.of(user.purpose)) {
    // defineProperty: a field named "__proto__" stays a field.
    for (const [key, value] of Object.entries(await provider.tokenMetadata(user))) {
      Object.defineProperty(metadata, key, {value, enumerable: true, writable: true, configurable: true});
    }
  }
  return metadata;
}

export const wazoUser: BackendPlugin = {
  name: 'wazo_user',
  load: ({services, purposes}) => ({
    verifyPassword: (login, password) => services.users.verifyPassword(login, password),
    acl: (user) => services.users.acl(user),
    metadata: (user) => purposeMetadata(purposes, user),
  }),
};

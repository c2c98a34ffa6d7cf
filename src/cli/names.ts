// Objects are named on the command line by uuid, or by the name upstream keeps unique: a user by
// its username, a tenant by its slug, a group by its name. Policies need nothing here: the API
// takes a slug wherever it takes a policy's uuid.

import type {AuthClient} from '../client/index.js';
import {ExitCode} from './exit-codes.js';
import {CliFailure} from './failure.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string) => UUID.test(value);

/** One match or a negative answer; `kind` and `key` word the message ("no user with username bob"). */
async function single(kind: string, key: string, name: string, find: () => Promise<{items: {uuid: string}[]}>): Promise<string> {
  if (isUuid(name)) return name;
  const {items} = await find();
  if (items.length === 1) return items[0]!.uuid;
  if (items.length === 0) throw new CliFailure(`no ${kind} with ${key} ${name}`, ExitCode.negative);
  throw new CliFailure(`${items.length} ${kind}s have ${key} ${name}: name it by uuid`, ExitCode.negative);
}

/** Searched in every tenant the caller sees (`recurse`); the username filter is exact, case included. */
export const userUuid = (client: AuthClient, name: string) =>
  single('user', 'username', name, () => client.users.list({username: name, recurse: true, limit: 2}));

export const tenantUuid = (client: AuthClient, name: string) => single('tenant', 'slug', name, () => client.tenants.list({slug: name, limit: 2}));

export const groupUuid = (client: AuthClient, name: string) => single('group', 'name', name, () => client.groups.list({name, recurse: true, limit: 2}));

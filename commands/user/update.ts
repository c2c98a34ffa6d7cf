import {Flags} from '@oclif/core';
import type {EmailChange, User} from '../../src/client/index.js';
import {given, requireChange, textChange} from '../../src/cli/changes.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {userArgument} from '../../src/cli/name-args.js';
import {userUuid} from '../../src/cli/names.js';
import {ResourceCommand} from '../../src/cli/resource-command.js';
import {userRecord, userRow} from '../../src/cli/views.js';

/** The flags of the user's own fields; --email goes to its addresses instead. */
const USER_FIELDS = ['username', 'firstname', 'lastname', 'purpose', 'enable', 'disable', 'authentication-method'];

export default class UserUpdate extends ResourceCommand<typeof UserUpdate> {
  static override summary = 'Change some fields of a user.';
  static override description = withExitCodes(
    'Changes only the fields given and keeps the others (the user is read first: the API replaces every field). An ' +
      "empty value clears a name: --firstname ''. --email makes the address the main one, confirmed, in place of the " +
      "former main one (the other addresses stay); --email '' removes every address. Disabling a user ends its " +
      "sessions. --authentication-method says how the user logs in: default (its tenant's method), native, ldap " +
      "(its password is checked in its tenant's directory; see `wazo-auth ldap set`), saml, or a method a plugin " +
      'provides (`wazo-auth idp list`). Prints the user as it is now; with --format plain, its uuid.',
  );
  static override examples = [
    {description: 'A new last name', command: '<%= config.bin %> user update alice --lastname Durand'},
    {description: 'Disable an account', command: '<%= config.bin %> user update bob --disable'},
    {description: 'Rename, and clear the first name', command: "<%= config.bin %> user update bob --username robert --firstname ''"},
    {description: "Log in with the password of the tenant's LDAP directory", command: '<%= config.bin %> user update alice --authentication-method ldap'},
  ];
  static override args = {user: userArgument};
  static override flags = {
    username: Flags.string({summary: 'New login', helpValue: 'NAME'}),
    firstname: Flags.string({summary: 'First name', helpValue: 'TEXT'}),
    lastname: Flags.string({summary: 'Last name', helpValue: 'TEXT'}),
    email: Flags.string({summary: 'Main e-mail address, confirmed', helpValue: 'ADDRESS'}),
    purpose: Flags.option({summary: 'What the account is for', options: ['user', 'internal', 'external_api'] as const})(),
    enable: Flags.boolean({summary: 'Let the user log in again', exclusive: ['disable']}),
    disable: Flags.boolean({summary: 'Stop the user from logging in; ends its sessions'}),
    'authentication-method': Flags.string({summary: "default, native, ldap, saml, or a plugin's (see idp list)", helpValue: 'METHOD'}),
  };

  async run() {
    const {flags} = this;
    requireChange(flags, [...USER_FIELDS, 'email']);
    const client = await this.authenticatedClient();
    const uuid = await userUuid(client, this.args.user);
    let user = await client.users.get(uuid);
    if (USER_FIELDS.some((name) => given(flags[name as keyof typeof flags]))) {
      user = await client.users.update(uuid, {
        username: flags.username ?? user.username,
        firstname: textChange(flags.firstname, user.firstname),
        lastname: textChange(flags.lastname, user.lastname),
        purpose: flags.purpose ?? user.purpose,
        enabled: flags.enable ? true : flags.disable ? false : user.enabled,
        authentication_method: flags['authentication-method'] ?? user.authentication_method,
      });
    }
    if (flags.email !== undefined) user = {...user, emails: await client.users.adminUpdateEmails(uuid, emailsWithMain(user, flags.email))};
    return this.showRecord(user, userRecord, userRow);
  }
}

/** `address` as the main address (confirmed) in place of the former main one; '' for none at all. */
function emailsWithMain(user: User, address: string): EmailChange[] {
  if (address === '') return [];
  const others = user.emails.filter((email) => !email.main && email.address.toLowerCase() !== address.toLowerCase());
  return [{address, main: true, confirmed: true}, ...others.map((email) => ({address: email.address, main: false, confirmed: null}))];
}

import {Flags} from '@oclif/core';
import {BaseCommand} from '../../../src/cli/base-command.js';
import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {usageError} from '../../../src/cli/failure.js';
import type {PasswordResetLookup} from '../../../src/client/index.js';

export default class UserPasswordReset extends BaseCommand<typeof UserPasswordReset> {
  static override summary = 'Send the forgotten-password mail of a user.';
  static override description = withExitCodes(
    'Asks the daemon to mail a link that sets a new password (GET /0.1/users/password/reset): to the address given ' +
      'with --email, or to the confirmed address of the user named by --username or --login (a username or a ' +
      'confirmed address). No token is needed. The daemon answers the same whether or not a user matches, so the ' +
      'command succeeds either way; users whose password ldap or saml checks get no mail.',
  );
  static override examples = [
    {description: 'By username', command: '<%= config.bin %> user password reset --username alice'},
    {description: 'By address', command: '<%= config.bin %> user password reset --email alice@example.com'},
  ];
  static override flags = {
    email: Flags.string({summary: "One of the user's addresses: the mail goes to it", exclusive: ['username', 'login']}),
    username: Flags.string({summary: "The user's username", exclusive: ['email', 'login']}),
    login: Flags.string({summary: 'A username or a confirmed address', exclusive: ['email', 'username']}),
  };

  async run(): Promise<void> {
    const {email, username, login} = this.flags;
    const lookup: PasswordResetLookup | undefined =
      email !== undefined ? {email} : username !== undefined ? {username} : login !== undefined ? {login} : undefined;
    if (!lookup) throw usageError('say who: --email, --username or --login');
    const client = await this.client();
    await client.users.requestPasswordReset(lookup);
    this.note('Asked: if a user matches and has an address to write to, the mail is on its way.');
  }
}

import {Flags} from '@oclif/core';
import {BaseCommand} from '../../../src/cli/base-command.js';
import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {usageError} from '../../../src/cli/failure.js';
import {userArgument} from '../../../src/cli/name-args.js';
import {userUuid} from '../../../src/cli/names.js';
import {readNewPassword} from '../../../src/cli/new-password.js';

export default class UserPasswordSet extends BaseCommand<typeof UserPasswordSet> {
  static override summary = "Set a user's password without the current one (administrators).";
  static override description = withExitCodes(
    'Sets the password of USER (uuid or username) without its current one, as an administrator does (POST ' +
      '/0.1/users/password/reset?user_uuid=UUID, access auth.users.password.reset.UUID.create). On a terminal the new ' +
      'password is typed twice at a hidden prompt; with --password-stdin it is read from standard input; it is never ' +
      "taken from the command line. --remove takes the password away instead. The user's sessions end. A user whose " +
      'password ldap or saml checks is refused (405).',
  );
  static override examples = [
    {description: 'At a prompt', command: '<%= config.bin %> user password set alice'},
    {description: 'From a script', command: 'printf \'%s\' "$NEW" | <%= config.bin %> user password set alice --password-stdin'},
    {description: 'No password login any more', command: '<%= config.bin %> user password set alice --remove'},
  ];
  static override args = {user: userArgument};
  static override flags = {
    'password-stdin': Flags.boolean({summary: 'Read the new password from standard input', exclusive: ['remove']}),
    remove: Flags.boolean({summary: 'Remove the password: the user cannot log in with one'}),
  };

  async run(): Promise<void> {
    const who = this.args.user;
    let password: string | null = null;
    if (!this.flags.remove) {
      const typed = await readNewPassword(this.flags['password-stdin'], who);
      if (typed === undefined) throw usageError('no password: pipe it with --password-stdin, or run on a terminal to be prompted');
      password = typed;
    }
    const client = await this.authenticatedClient();
    const uuid = await userUuid(client, who);
    await client.users.setPassword(uuid, password);
    this.note(`${password === null ? 'Password removed' : 'Password set'} (${who}); the user's sessions have ended.`);
  }
}

import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {refusals, usageError} from '../../src/cli/failure.js';
import {userUuid} from '../../src/cli/names.js';
import {readPasswordChange} from '../../src/cli/new-password.js';

export default class UserPasswd extends BaseCommand<typeof UserPasswd> {
  static override summary = "Change a user's password, given its current one.";
  static override description = withExitCodes(
    "Changes the password of USER, or of the credentials' own user when USER is left out (PUT " +
      "/0.1/users/UUID/password). The API asks for the current password, an administrator's token included; an administrator " +
      'sets one without it with `user password set`. On a terminal, the current password is asked once and the new one twice, at hidden ' +
      'prompts; with --password-stdin, standard input holds the current password on its first line and the new one on ' +
      "the second. The user's sessions end. A wrong current password exits 4.",
  );
  static override examples = [
    {description: 'Your own password, at prompts', command: '<%= config.bin %> user passwd'},
    {description: "Another user's, from a script", command: 'printf \'%s\\n%s\\n\' "$OLD" "$NEW" | <%= config.bin %> user passwd alice --password-stdin'},
  ];
  static override args = {user: Args.string({description: "The user (uuid or username); default: the credentials' own", ignoreStdin: true})};
  static override flags = {
    'password-stdin': Flags.boolean({summary: 'Read the current password, then the new one, from standard input, one a line'}),
  };

  async run(): Promise<void> {
    const who = this.args.user ?? (this.environmentToken ? undefined : this.profile().username) ?? 'yours';
    const passwords = await readPasswordChange(this.flags['password-stdin'], who);
    if (!passwords) throw usageError('no passwords: pipe them with --password-stdin, or run on a terminal to be prompted');
    const client = await this.authenticatedClient();
    const uuid = this.args.user === undefined ? (await client.tokens.get(client.token!)).auth_id : await userUuid(client, this.args.user);
    await client.users.changePassword(uuid, passwords).catch((error: unknown) => {
      // The API says no more for a wrong current password than for a token that may not change it.
      throw refusals.credentials(error, (said) => `refused: the current password is wrong, or these credentials may not change it (${said})`);
    });
    this.note(`Password changed (${who}); the user's sessions have ended.`);
  }
}

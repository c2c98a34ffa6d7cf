import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {tokenArgument, tokenOf} from '../../src/cli/token-commands.js';
import {confirm, confirmFlags} from '../../src/cli/confirm.js';

export default class TokenRevoke extends BaseCommand<typeof TokenRevoke> {
  static override summary = 'Revoke a token and end its session.';
  static override description = withExitCodes(
    'Revokes the token on the daemon (DELETE /0.1/token/TOKEN); needs no login, the token is its own credential. ' +
      'Revoking a token that is already unknown, expired or revoked succeeds too, so that a script can run it twice. ' +
      'Prints nothing on stdout.',
  );
  static override examples = [
    {description: 'A token kept in a file', command: '<%= config.bin %> token revoke --yes - < token.txt'},
    {
      description: 'Log in, work, revoke',
      command:
        'TOKEN=$(<%= config.bin %> token create --username alice --format plain) && ... && printf \'%s\' "$TOKEN" | <%= config.bin %> token revoke --yes -',
    },
  ];
  static override args = {token: tokenArgument};
  static override flags = confirmFlags;

  async run(): Promise<void> {
    const client = await this.client();
    const token = await tokenOf(this.args.token);
    await confirm('revoke the token', this.flags.yes);
    await client.tokens.revoke(token);
    this.note('Token revoked.');
  }
}

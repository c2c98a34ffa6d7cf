import {BaseCommand} from '../../src/cli/base-command.js';
import {ExitCode, withExitCodes} from '../../src/cli/exit-codes.js';
import {CliFailure} from '../../src/cli/failure.js';
import {tokenArgument, tokenOf} from '../../src/cli/token-commands.js';
import {confirm, confirmFlags} from '../../src/cli/confirm.js';

export default class TokenRevoke extends BaseCommand<typeof TokenRevoke> {
  static override summary = 'Revoke a token and end its session.';
  static override description = withExitCodes(
    'Revokes the token on the daemon (DELETE /0.1/token/TOKEN); needs no login, the token is its own credential. ' +
      'A token the daemon does not know (unknown, expired or already revoked) is "not found", exit 1. Prints nothing on ' +
      'stdout; with --json, {"revoked": true}.',
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

  async run() {
    const client = await this.client();
    const token = await tokenOf(this.args.token);
    // The API revokes an unknown token without a word: asked first, to say so.
    if (!(await client.tokens.check(token)))
      throw new CliFailure('not found: the daemon does not know this token (unknown, expired or already revoked)', ExitCode.negative);
    await confirm('revoke the token', this.flags.yes);
    await client.tokens.revoke(token);
    this.note('Token revoked.');
    return {revoked: true};
  }
}

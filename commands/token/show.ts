import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {tokenArgument, tokenOf, tokenView} from '../../src/cli/token-commands.js';

export default class TokenShow extends BaseCommand<typeof TokenShow> {
  static override summary = "Print a token's data: who it is for, its session, its expiry and its ACL.";
  static override description = withExitCodes(
    'Reads the token from the daemon (GET /0.1/token/TOKEN); needs no login, the token is its own credential. ' +
      'With --format plain, prints its ACL, one access a line. Exits 1 when the token is unknown, expired or revoked.',
  );
  static override examples = [
    {description: 'A token in a variable, read from stdin to keep it off the command line', command: 'printf \'%s\' "$TOKEN" | <%= config.bin %> token show -'},
    {description: 'Its ACL, one access a line', command: '<%= config.bin %> token show - --format plain < token.txt'},
  ];
  static override args = {token: tokenArgument};

  async run() {
    const client = await this.client();
    const token = await client.tokens.get(await tokenOf(this.args.token));
    return this.show(token, tokenView(token, ['acl']));
  }
}

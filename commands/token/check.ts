import {Flags} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {ExitCode, withExitCodes} from '../../src/cli/exit-codes.js';
import {CliFailure, refusals} from '../../src/cli/failure.js';
import {tokenArgument, tokenOf} from '../../src/cli/token-commands.js';

export default class TokenCheck extends BaseCommand<typeof TokenCheck> {
  static override summary = 'Check that a token is valid, grants each --scope and covers --tenant.';
  static override description = withExitCodes(
    'Asks the daemon (POST /0.1/token/TOKEN/scopes/check); needs no login, the token is its own credential. Exits 0 ' +
      'when the token is valid, grants every access given with --scope and covers the --tenant; otherwise exits 1 and ' +
      'says on stderr what failed: an invalid token, the accesses not granted, or the tenant. With --format plain, ' +
      'prints nothing: the exit code is the answer.',
  );
  static override examples = [
    {description: 'In a script', command: 'if printf \'%s\' "$TOKEN" | <%= config.bin %> token check - --scope confd.users.read --format plain; then ...; fi'},
    {
      description: 'A new token, checked at once',
      command:
        'printf \'%s\' "$PASSWORD" | <%= config.bin %> token create --username alice --password-stdin --format plain | <%= config.bin %> token check - --scope confd.users.me.read',
    },
    {
      description: 'Several accesses and a tenant',
      command: '<%= config.bin %> token check - --scope calld.calls.read --scope confd.users.read --tenant 1b6f3a2e-0c1d-4c5e-9f10-2a3b4c5d6e7f < token.txt',
    },
  ];
  static override args = {token: tokenArgument};
  static override flags = {
    scope: Flags.string({summary: 'An access the token must grant; repeat for several', multiple: true, multipleNonGreedy: true, helpValue: 'ACCESS'}),
    tenant: Flags.string({summary: 'A tenant the token must cover: its own or one below it', helpValue: 'UUID'}),
  };

  async run() {
    const scopes = this.flags.scope ?? [];
    const tenant = this.flags.tenant;
    const client = await this.client();
    const token = await tokenOf(this.args.token);
    const granted = await client.tokens.checkScopes(token, scopes, tenant).catch((error: unknown) => {
      throw refusals.checkedToken(error, tenant);
    });
    const denied = scopes.filter((scope) => !granted[scope]);
    if (denied.length > 0) throw new CliFailure(`the token does not grant ${denied.join(', ')}`, ExitCode.negative, {valid: false, scopes: granted});
    return this.show({valid: true, scopes: granted, ...(tenant ? {tenant} : {})}, {plain: []});
  }
}

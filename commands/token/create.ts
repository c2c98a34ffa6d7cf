import {Flags} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {usageError} from '../../src/cli/failure.js';
import {readPassword} from '../../src/cli/password.js';
import {tokenView} from '../../src/cli/token-commands.js';

export default class TokenCreate extends BaseCommand<typeof TokenCreate> {
  static override summary = 'Log in as a user and print the new token.';
  static override description = withExitCodes(
    'Logs in to the daemon as NAME (POST /0.1/token), without a stored profile or login: the password comes from a ' +
      "hidden prompt, or from standard input with --password-stdin, never from the command line. Prints the token's " +
      'data; with --format plain, the token alone, for pipelines. With --access-type offline, the answer also holds a ' +
      'refresh token for --client-id. With --domain-name or --tenant-id, the login and password are checked in that ' +
      "tenant's LDAP directory (the user's method must be ldap). A wrong password exits 4.",
  );
  static override examples = [
    {description: 'Prompted for the password', command: '<%= config.bin %> token create --url https://pbx.example.com/api/auth --username alice'},
    {
      description: 'The token alone, checked at once',
      command:
        'printf \'%s\' "$PASSWORD" | <%= config.bin %> token create --username alice --password-stdin --format plain | <%= config.bin %> token check - --scope confd.users.me.read',
    },
    {description: 'A directory login', command: '<%= config.bin %> token create --username alice --domain-name acme.example.com'},
    {
      description: 'A mobile session with a refresh token',
      command: '<%= config.bin %> token create --username alice --access-type offline --client-id my-phone --session-type mobile --json',
    },
  ];
  static override flags = {
    backend: Flags.string({summary: 'Authentication backend', default: 'wazo_user', helpValue: 'NAME'}),
    username: Flags.string({summary: 'Login (username or e-mail address) of the user', required: true, helpValue: 'NAME'}),
    'password-stdin': Flags.boolean({summary: 'Read the password from standard input'}),
    expiration: Flags.integer({summary: "Lifetime of the token in seconds (default: the daemon's)", min: 1, helpValue: 'SECONDS'}),
    'access-type': Flags.option({summary: 'offline: also get a refresh token', options: ['online', 'offline'] as const})(),
    'client-id': Flags.string({summary: 'Names the refresh token of an offline login', helpValue: 'ID'}),
    'session-type': Flags.option({summary: 'Marks the session', options: ['mobile'] as const})(),
    'domain-name': Flags.string({
      summary: 'Log in against the LDAP directory of the tenant with this domain name',
      helpValue: 'DOMAIN',
      exclusive: ['tenant-id'],
    }),
    'tenant-id': Flags.string({summary: 'Log in against the LDAP directory of this tenant (uuid or slug)', helpValue: 'TENANT'}),
  };

  async run() {
    const {flags} = this;
    if (flags['access-type'] === 'offline' && !flags['client-id']) throw usageError('--access-type offline needs --client-id');
    const password = await readPassword(flags['password-stdin'], `Password for ${flags.username}: `);
    if (password === undefined) throw usageError('no password: pass --password-stdin and pipe it, or run on a terminal to be prompted');
    const client = await this.client();
    const token = await client.tokens.create(
      {username: flags.username, password},
      {
        backend: flags.backend,
        expiration: flags.expiration,
        accessType: flags['access-type'],
        clientId: flags['client-id'],
        sessionType: flags['session-type'],
        domainName: flags['domain-name'],
        tenantId: flags['tenant-id'],
      },
    );
    return this.show(token, tokenView(token, ['token']));
  }
}

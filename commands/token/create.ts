import {Flags} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {durationFlag} from '../../src/cli/duration.js';
import {refusals, usageError} from '../../src/cli/failure.js';
import {readPassword} from '../../src/cli/password.js';
import {tokenOf, tokenView} from '../../src/cli/token-commands.js';

export default class TokenCreate extends BaseCommand<typeof TokenCreate> {
  static override summary = 'Log in as a user and print the new token.';
  static override description = withExitCodes(
    'Logs in to the daemon as NAME (POST /0.1/token), without a stored profile or login: the password comes from a ' +
      "hidden prompt, or from standard input with --password-stdin, never from the command line. Prints the token's " +
      'data; with --format plain, the token alone, for pipelines. With --access-type offline, the answer also holds a ' +
      'refresh token for --client-id. With --domain-name or --tenant-id, the login and password are checked in that ' +
      "tenant's LDAP directory (the user's method must be ldap). With --refresh-token and --client-id, the token comes " +
      'from a refresh token instead of a password (- reads it from standard input, off the process list). A wrong ' +
      "password or refresh token exits 4. wazo-auth-cli's spellings (--refresh_token, --client_id, --access_type, " +
      '--tenant_id, --mobile) are accepted too.',
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
      description: 'A new token from a refresh token',
      command: 'printf \'%s\' "$REFRESH_TOKEN" | <%= config.bin %> token create --refresh-token - --client-id my-phone --expiration 2h --format plain',
    },
    {
      description: 'A mobile session with a refresh token',
      command: '<%= config.bin %> token create --username alice --access-type offline --client-id my-phone --session-type mobile --json',
    },
  ];
  static override flags = {
    backend: Flags.string({summary: 'Authentication backend', default: 'wazo_user', helpValue: 'NAME'}),
    username: Flags.string({summary: 'Login (username or e-mail address) of the user', helpValue: 'NAME', exactlyOne: ['username', 'refresh-token']}),
    'refresh-token': Flags.string({
      summary: 'Create the token from this refresh token (with --client-id), or - to read it from standard input',
      helpValue: 'TOKEN',
      aliases: ['refresh_token'],
      exclusive: ['password-stdin', 'access-type', 'domain-name', 'tenant-id'],
    }),
    'password-stdin': Flags.boolean({summary: 'Read the password from standard input'}),
    expiration: durationFlag({summary: "Lifetime of the token: seconds, or 10m, 2h, 1d (default: the daemon's)", min: 1}),
    'access-type': Flags.option({summary: 'offline: also get a refresh token', options: ['online', 'offline'] as const, aliases: ['access_type']})(),
    'client-id': Flags.string({summary: 'Names the refresh token of an offline login', helpValue: 'ID', aliases: ['client_id']}),
    'session-type': Flags.option({summary: 'Marks the session', options: ['mobile'] as const})(),
    mobile: Flags.boolean({summary: 'A mobile session: --session-type mobile', exclusive: ['session-type']}),
    'domain-name': Flags.string({
      summary: 'Log in against the LDAP directory of the tenant with this domain name',
      helpValue: 'DOMAIN',
      exclusive: ['tenant-id'],
    }),
    'tenant-id': Flags.string({summary: 'Log in against the LDAP directory of this tenant (uuid or slug)', helpValue: 'TENANT', aliases: ['tenant_id']}),
  };

  async run() {
    const {flags} = this;
    const sessionType = flags.mobile ? 'mobile' : flags['session-type'];
    if (flags['refresh-token'] !== undefined) {
      if (!flags['client-id']) throw usageError('--refresh-token needs the --client-id it was issued to');
      const refreshToken = await tokenOf(flags['refresh-token']);
      const client = await this.client();
      const token = await client.tokens
        .createFromRefreshToken(refreshToken, flags['client-id'], {expiration: flags.expiration, sessionType})
        .catch((error: unknown) => {
          throw refusals.credentials(error, (said) => `${client.url} refused the refresh token for client ${flags['client-id']} (${said})`);
        });
      return this.show(token, tokenView(token, ['token']));
    }
    if (flags['access-type'] === 'offline' && !flags['client-id']) throw usageError('--access-type offline needs --client-id');
    const username = flags.username!;
    const password = await readPassword(flags['password-stdin'], `Password for ${username}: `);
    if (password === undefined) throw usageError('no password: pass --password-stdin and pipe it, or run on a terminal to be prompted');
    const client = await this.client();
    const token = await client.tokens.create(
      {username, password},
      {
        backend: flags.backend,
        expiration: flags.expiration,
        accessType: flags['access-type'],
        clientId: flags['client-id'],
        sessionType,
        domainName: flags['domain-name'],
        tenantId: flags['tenant-id'],
      },
    );
    return this.show(token, tokenView(token, ['token']));
  }
}

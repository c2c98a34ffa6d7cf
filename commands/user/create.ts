import {Args, Flags} from '@oclif/core';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {usageError} from '../../src/cli/failure.js';
import {readNewPassword} from '../../src/cli/new-password.js';
import {ResourceCommand} from '../../src/cli/resource-command.js';
import {actIn, tenantFlag} from '../../src/cli/tenant-scope.js';
import {userRecord, userRow} from '../../src/cli/views.js';

export default class UserCreate extends ResourceCommand<typeof UserCreate> {
  static override summary = 'Create a user.';
  static override description = withExitCodes(
    "Creates a user in the token's tenant, or in --tenant. Its password is typed twice at a hidden prompt on a " +
      'terminal, or read from standard input with --password-stdin, never from the command line; with --no-password ' +
      'the user cannot log in with a password. The e-mail address becomes its main address, confirmed. Prints the ' +
      'new user; with --format plain, its uuid. Exits 1 when the username or address is taken.',
  );
  static override examples = [
    {description: 'Prompted for the password', command: '<%= config.bin %> user create alice --firstname Alice --lastname Martin --email alice@example.com'},
    {description: 'From a script', command: 'printf \'%s\' "$PASSWORD" | <%= config.bin %> user create bob --tenant acme --password-stdin --format plain'},
    {
      description: 'An account for a service, without a password for now',
      command: '<%= config.bin %> user create billing --purpose external_api --no-password',
    },
  ];
  static override args = {username: Args.string({description: 'Login of the new user; unique whatever the case', required: true, ignoreStdin: true})};
  static override flags = {
    firstname: Flags.string({summary: 'First name', helpValue: 'TEXT'}),
    lastname: Flags.string({summary: 'Last name', helpValue: 'TEXT'}),
    email: Flags.string({summary: 'Main e-mail address (confirmed: it is also a login)', helpValue: 'ADDRESS'}),
    purpose: Flags.option({summary: 'What the account is for (default: user)', options: ['user', 'internal', 'external_api'] as const})(),
    disabled: Flags.boolean({summary: 'Create it disabled: it cannot log in until enabled'}),
    tenant: tenantFlag,
    'password-stdin': Flags.boolean({summary: 'Read the password from standard input', exclusive: ['no-password']}),
    'no-password': Flags.boolean({summary: 'No password: the user cannot log in with one'}),
    uuid: Flags.string({summary: "The user's uuid, as another Wazo service already knows it (default: a new one)", helpValue: 'UUID'}),
  };

  async run() {
    const {flags, args} = this;
    let password: string | null = null;
    if (!flags['no-password']) {
      const typed = await readNewPassword(flags['password-stdin'], args.username);
      if (typed === undefined) throw usageError('no password: pipe it with --password-stdin, run on a terminal to be prompted, or pass --no-password');
      password = typed;
    }
    const client = await this.authenticatedClient();
    await actIn(client, flags.tenant);
    const user = await client.users.create({
      ...(flags.uuid ? {uuid: flags.uuid} : {}),
      username: args.username,
      firstname: flags.firstname ?? null,
      lastname: flags.lastname ?? null,
      email_address: flags.email ?? null,
      purpose: flags.purpose,
      enabled: !flags.disabled,
      password,
    });
    return this.showRecord(user, userRecord, userRow);
  }
}

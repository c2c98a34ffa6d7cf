import {Command, Flags} from '@oclif/core';
import {readPassword} from '../src/cli/password.js';
import {runBootstrap} from '../src/daemon/bootstrap.js';

export default class Bootstrap extends Command {
  static override summary = 'Create (or reset the password of) the first administrator.';
  static override description =
    'Works directly on the configured database, whether the daemon runs or not: creates the top tenant when there is ' +
    'none, a policy granting every access (#) and the user. Run again with the same name, it only changes the password. ' +
    "Prints the user's uuid.\n\nExit codes: 0 done, 2 bad configuration or usage, 3 database unreachable.";
  static override examples = [
    {
      description: 'Password from a pipe',
      command: 'printf \'%s\' "$ADMIN_PASSWORD" | <%= config.bin %> bootstrap -c /etc/wazo-auth/config.yml --username admin --password-stdin',
    },
    {description: 'Password typed at a hidden prompt', command: '<%= config.bin %> bootstrap -c /etc/wazo-auth/config.yml --username admin'},
  ];
  static override flags = {
    'config-file': Flags.string({char: 'c', summary: 'YAML configuration file of the daemon', helpValue: 'FILE'}),
    username: Flags.string({summary: 'Login of the administrator', required: true, helpValue: 'NAME'}),
    'password-stdin': Flags.boolean({summary: 'Read the password from standard input'}),
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(Bootstrap);
    const uuid = await runBootstrap({
      configFile: flags['config-file'],
      username: flags.username,
      readPassword: (question) => readPassword(flags['password-stdin'], question),
    });
    this.log(uuid);
  }
}

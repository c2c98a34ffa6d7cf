import {Command, Flags} from '@oclif/core';
import {readPassword} from '../src/cli/password.js';
import {CREDENTIALS_FILE, runBootstrap} from '../src/daemon/bootstrap.js';

export default class Bootstrap extends Command {
  static override summary = 'Create (or reset the password of) the first administrator.';
  static override description =
    'Works directly on the configured database, whether the daemon runs or not, as wazo-auth-bootstrap: creates the top ' +
    'tenant when there is none, the policy wazo_default_master_user_policy (every access, #; read-only through the ' +
    'API, and restored by each bootstrap) and the user holding it. Run again with the same name, it ' +
    "changes the password. Prints the user's uuid.\n\n" +
    'The variables WAZO_AUTH_BOOTSTRAP_USERNAME, _PASSWORD, _PURPOSE, _POLICY_SLUG and _URI (a db_uri) stand for the ' +
    'flags and the configuration, as for wazo-auth-bootstrap initial-user. --complete does what wazo-auth-bootstrap ' +
    `complete does: the credentials come from ${CREDENTIALS_FILE} when it exists; else the user gets a random ` +
    'password, written to that file (mode 0600, owned by the wazo-auth account when there is one).\n\n' +
    'Exit codes: 0 done, 2 bad configuration or usage, 3 database unreachable.';
  static override examples = [
    {
      description: 'Password from a pipe',
      command: 'printf \'%s\' "$ADMIN_PASSWORD" | <%= config.bin %> bootstrap -c /etc/wazo-auth/config.yml --username admin --password-stdin',
    },
    {description: 'Password typed at a hidden prompt', command: '<%= config.bin %> bootstrap -c /etc/wazo-auth/config.yml --username admin'},
    {
      description: "As a Wazo package's postinst: wazo-auth-cli's credentials file",
      command: '<%= config.bin %> bootstrap -c /etc/wazo-auth/config.yml --complete',
    },
  ];
  static override flags = {
    'config-file': Flags.string({char: 'c', summary: 'YAML configuration file of the daemon', helpValue: 'FILE'}),
    username: Flags.string({summary: 'Login of the administrator (default: WAZO_AUTH_BOOTSTRAP_USERNAME, else wazo-auth-cli)', helpValue: 'NAME'}),
    'password-stdin': Flags.boolean({summary: 'Read the password from standard input'}),
    purpose: Flags.string({summary: "The user's purpose (default: WAZO_AUTH_BOOTSTRAP_PURPOSE, else internal)", helpValue: 'PURPOSE'}),
    'policy-slug': Flags.string({
      summary: 'Give this existing policy of the top tenant instead (default: WAZO_AUTH_BOOTSTRAP_POLICY_SLUG, else wazo_default_master_user_policy)',
      helpValue: 'SLUG',
    }),
    complete: Flags.boolean({summary: "As wazo-auth-bootstrap complete: use or write wazo-auth-cli's credentials file"}),
    'credentials-file': Flags.string({summary: `The credentials file of --complete (default ${CREDENTIALS_FILE})`, helpValue: 'FILE', dependsOn: ['complete']}),
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(Bootstrap);
    const result = await runBootstrap({
      configFile: flags['config-file'],
      username: flags.username,
      purpose: flags.purpose,
      policySlug: flags['policy-slug'],
      complete: flags.complete,
      credentialsFile: flags['credentials-file'],
      env: process.env,
      passwordFromStdin: flags['password-stdin'],
      readPassword: (question) => readPassword(flags['password-stdin'], question),
    });
    if (result.wrote) this.logToStderr(`credentials of ${result.username} written to ${result.wrote}`);
    this.log(result.uuid);
  }
}

import {Command, Flags} from '@oclif/core';
import {runDaemon} from '../src/daemon/run.js';

export default class Daemon extends Command {
  static override summary = 'Run the wazo-auth daemon in the foreground.';
  static override description =
    'Serves the wazo-auth REST API (HTTP, or HTTPS when rest_api.certificate and rest_api.private_key are set) on the ' +
    'embedded SQLite database unless db_uri says otherwise. Stops gracefully on SIGTERM or SIGINT.\n\n' +
    'Exit codes: 0 stopped cleanly, 1 failed while running, 2 bad configuration or usage (a data_dir that cannot be ' +
    'created included).';
  static override examples = [
    {description: 'Try it out: temporary database, an admin with a random password', command: '<%= config.bin %> daemon --dev'},
    {description: 'The same on any free port (its URL is printed)', command: '<%= config.bin %> daemon --dev --port 0'},
    {description: 'Run from a configuration file', command: '<%= config.bin %> daemon -c /etc/wazo-auth/config.yml'},
    {
      description: 'Bind as root, then run as the wazo-auth user, logging at debug',
      command: '<%= config.bin %> daemon -c /etc/wazo-auth/config.yml -u wazo-auth -l debug',
    },
  ];
  static override flags = {
    'config-file': Flags.string({char: 'c', summary: 'YAML configuration file', helpValue: 'FILE'}),
    user: Flags.string({char: 'u', summary: 'Drop to this user after binding (start as root)', helpValue: 'USER'}),
    debug: Flags.boolean({char: 'd', summary: 'Debug mode: log level debug'}),
    foreground: Flags.boolean({char: 'f', summary: 'Accepted for compatibility: the daemon always runs in the foreground'}),
    'log-level': Flags.option({
      char: 'l',
      summary: 'Log level',
      options: ['critical', 'error', 'warning', 'info', 'debug'] as const,
    })(),
    'listen-port': Flags.integer({summary: "Upstream's: port to listen on, over rest_api.port", min: 1, max: 65535, helpValue: 'PORT'}),
    'log-file': Flags.string({summary: "Upstream's: the log file, over log_filename", helpValue: 'FILE'}),
    'db-upgrade-on-startup': Flags.boolean({summary: 'Apply the missing schema steps at start, over db_upgrade_on_startup: false'}),
    dev: Flags.boolean({summary: 'Development mode: a temporary database, removed when the daemon stops, and a printed admin password'}),
    port: Flags.integer({
      summary: 'Port to listen on, over rest_api.port; 0 takes any free port (the URL is printed)',
      min: 0,
      max: 65535,
      helpValue: 'PORT',
    }),
  };

  async run(): Promise<void> {
    const {flags} = await this.parse(Daemon);
    await runDaemon({
      configFile: flags['config-file'],
      user: flags.user,
      debug: flags.debug,
      logLevel: flags['log-level'],
      dev: flags.dev,
      port: flags.port,
      listenPort: flags['listen-port'],
      logFile: flags['log-file'],
      dbUpgradeOnStartup: flags['db-upgrade-on-startup'],
      bin: this.config.bin,
      root: this.config.root,
    });
  }
}

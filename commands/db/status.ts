import {Flags} from '@oclif/core';
import {FactoryCommand} from '../../src/cli/base-command.js';
import {runStatus, statusLines, type SchemaStatus} from '../../src/daemon/db.js';

export default class DbStatus extends FactoryCommand {
  static override summary = 'Show which schema steps the database has and which it lacks.';
  static override description =
    'Reads the configured database (SQLite or PostgreSQL) and changes nothing: one line per schema step, applied ' +
    '(with its date) or pending.\n\nExit codes: 0 done, 2 bad configuration or usage, 3 database unreachable.';
  static override examples = ['<%= config.bin %> db status -c /etc/wazo-auth/config.yml', '<%= config.bin %> db status -c /etc/wazo-auth/config.yml --json'];
  static override enableJsonFlag = true;
  static override flags = {
    'config-file': Flags.string({char: 'c', summary: 'YAML configuration file of the daemon', helpValue: 'FILE'}),
  };

  async run(): Promise<SchemaStatus> {
    const {flags} = await this.parse(DbStatus);
    const status = await runStatus(flags['config-file']);
    if (!this.jsonEnabled()) for (const line of statusLines(status)) this.log(line);
    return status;
  }
}

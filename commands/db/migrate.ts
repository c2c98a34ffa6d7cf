import {Flags} from '@oclif/core';
import {FactoryCommand} from '../../src/cli/base-command.js';
import {runMigrate, type MigrateResult} from '../../src/daemon/db.js';

export default class DbMigrate extends FactoryCommand {
  static override summary = 'Bring the database schema up to date.';
  static override description =
    'Applies the schema steps the configured database (SQLite or PostgreSQL) lacks, each in its own transaction. ' +
    'Daemons do it too when they start; on PostgreSQL an advisory lock keeps daemons and this command from ' +
    'migrating at the same time.\n\nExit codes: 0 done, 2 bad configuration or usage, 3 database unreachable.';
  static override examples = ['<%= config.bin %> db migrate -c /etc/wazo-auth/config.yml'];
  static override enableJsonFlag = true;
  static override flags = {
    'config-file': Flags.string({char: 'c', summary: 'YAML configuration file of the daemon', helpValue: 'FILE'}),
  };

  async run(): Promise<MigrateResult> {
    const {flags} = await this.parse(DbMigrate);
    const result = await runMigrate(flags['config-file']);
    if (!this.jsonEnabled()) {
      for (const version of result.applied) this.log(`applied ${version}`);
      this.logToStderr(`schema at version ${result.version}${result.applied.length ? '' : ', nothing to apply'}`);
    }
    return result;
  }
}

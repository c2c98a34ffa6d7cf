import {Errors, Flags} from '@oclif/core';
import {FactoryCommand} from '../../src/cli/base-command.js';
import {progressOn} from '../../src/cli/progress.js';
import {ImportRefused, runImport, SUPPORTED_REVISIONS, type ImportProgress, type ImportResult} from '../../src/daemon/db.js';

export default class DbImport extends FactoryCommand {
  static override summary = 'Copy an upstream wazo-auth database into the configured database.';
  static override description =
    'Reads an upstream wazo-auth PostgreSQL database (one read-only snapshot; it is never changed) and writes its tenants, users, ' +
    'e-mails, password hashes, policies, groups, every link between them, LDAP, SAML and external-auth settings, refresh tokens and the sessions ' +
    'whose token is still valid into the database of the configuration (SQLite or PostgreSQL), in one transaction: a failure ' +
    'leaves it as it was. A target that holds data already (beyond what a first start makes) is refused unless --merge; rows ' +
    'that clash are listed and nothing is written. Counts per table are printed and checked against the source.\n\n' +
    `Upstream revisions read: ${Object.entries(SUPPORTED_REVISIONS)
      .map(([revision, releases]) => `${revision} (${releases})`)
      .join(', ')}. Keep the source's password out of the command line: PGPASSWORD, ~/.pgpass or WAZO_AUTH_IMPORT_FROM.\n\n` +
    'Exit codes: 0 done, 1 refused (unsupported revision, target not empty, clashes), 2 bad configuration or usage, 3 a database unreachable.';
  static override examples = [
    '<%= config.bin %> db import --from postgresql://asterisk@localhost/asterisk -c /etc/wazo-auth/config.yml --dry-run',
    '<%= config.bin %> db import --from postgresql://asterisk@localhost/asterisk -c /etc/wazo-auth/config.yml',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    'config-file': Flags.string({char: 'c', summary: 'YAML configuration file of the daemon', helpValue: 'FILE'}),
    from: Flags.string({summary: 'The upstream database, postgresql://user@host/database', helpValue: 'URI', env: 'WAZO_AUTH_IMPORT_FROM', required: true}),
    'dry-run': Flags.boolean({summary: 'Do it all in a transaction rolled back: print the counts, write nothing'}),
    merge: Flags.boolean({summary: 'Add the upstream rows to a target that holds data; refused if any clashes'}),
  };

  async run(): Promise<ImportResult> {
    const {flags} = await this.parse(DbImport);
    const progress = this.progress();
    let result: ImportResult;
    try {
      result = await runImport(flags['config-file'], {from: flags.from, merge: flags.merge, dryRun: flags['dry-run'], onProgress: progress.update});
    } catch (error) {
      progress.end();
      if (error instanceof ImportRefused) {
        // On stderr with --json too: the JSON error names the refusal, these lines what clashes.
        for (const clash of error.clashes) this.factory.io.stderr.write(`clash: ${clash}\n`);
        throw new Errors.CLIError(error.message, {exit: 1});
      }
      throw error;
    }
    progress.end();
    if (!this.jsonEnabled()) this.printResult(result);
    return result;
  }

  /** Nothing with --json; else a bar on a terminal, lines otherwise (src/cli/progress.ts). */
  private progress(): {update: (event: ImportProgress) => void; end: () => void} {
    if (this.jsonEnabled()) return {update: () => undefined, end: () => undefined};
    const progress = progressOn(this.factory.io.stderr);
    return {
      update: (event) =>
        progress.update(event.phase === 'read' ? {label: `reading ${event.table}`} : {label: `writing ${event.table}`, done: event.done, total: event.total}),
      end: () => progress.end(),
    };
  }

  private printResult(result: ImportResult): void {
    const width = (values: string[]) => Math.max(...values.map((value) => value.length));
    const tableWidth = width(result.source.map((row) => row.table));
    this.log(`upstream revision ${result.revision} (${SUPPORTED_REVISIONS[result.revision]})`);
    this.log(`${'source table'.padEnd(tableWidth)}  ${'rows'.padStart(7)}  ${'copied'.padStart(7)}  into`);
    for (const row of result.source) {
      this.log(`${row.table.padEnd(tableWidth)}  ${String(row.rows).padStart(7)}  ${String(row.copied).padStart(7)}  ${row.into}`);
      for (const skip of row.skipped) this.log(`${''.padEnd(tableWidth)}  ${''.padStart(7)}  ${String(-skip.count).padStart(7)}  not copied: ${skip.reason}`);
    }
    const targetWidth = Math.max('target table'.length, width(result.target.map((row) => row.table)));
    this.log('');
    this.log(`${'target table'.padEnd(targetWidth)}  ${'before'.padStart(7)}  ${'written'.padStart(7)}  ${'after'.padStart(7)}`);
    for (const row of result.target) {
      this.log(`${row.table.padEnd(targetWidth)}  ${String(row.before).padStart(7)}  ${String(row.written).padStart(7)}  ${String(row.after).padStart(7)}`);
    }
    for (const warning of result.warnings) this.logToStderr(`warning: ${warning}`);
    if (result.mergedTop) this.logToStderr(`upstream's top tenant ${result.mergedTop.from} merged into this daemon's top tenant ${result.mergedTop.into}`);
    this.logToStderr(result.dryRun ? 'dry run: every row written and checked, then rolled back; nothing changed' : 'imported; every count checked');
  }
}

// `wazo-auth db import`: an upstream wazo-auth database copied into the configured one. The source
// is read in one READ ONLY snapshot; the target is written in one transaction, checked table by
// table before it commits, so that a failure leaves it as it was.
import type {DaemonConfig} from '../../config/index.js';
import {StoreUnavailable} from '../../domain/errors.js';
import {LOAD_TABLES, MetaMismatch, type LoadTable, type TableCounts} from '../../store/bulk-load.js';
import {openBulkLoader} from '../../store/open.js';
import {SECRET_KEY_FILE} from '../../services/secret-box.js';
import {secretBox} from '../start.js';
import {planImport, type TableReport} from './plan.js';
import {readUpstream, type UpstreamTable} from './upstream-source.js';

export {SUPPORTED_REVISIONS, SourceRefused, SourceUnavailable} from './upstream-source.js';
export type {TableReport} from './plan.js';

export interface ImportOptions {
  /** The upstream database, postgresql://… */
  from: string;
  merge: boolean;
  dryRun: boolean;
  /** Seconds since the epoch: upstream tokens expired by then are not copied. */
  now?: number;
  onProgress?: (event: ImportProgress) => void;
}

export type ImportProgress = {phase: 'read'; table: UpstreamTable} | {phase: 'write'; table: LoadTable; done: number; total: number};

export interface TargetCount {
  table: LoadTable;
  before: number;
  written: number;
  after: number;
}

export interface ImportResult {
  /** Upstream's alembic revision. */
  revision: string;
  dryRun: boolean;
  merge: boolean;
  /** Per upstream table: its rows, how many were copied where, and why the others were not. */
  source: TableReport[];
  /** Per table of this daemon: its rows before, those written, and its rows after (or that a dry run would leave). */
  target: TargetCount[];
  warnings: string[];
  /** In a merge, upstream's top tenant whose content went into this daemon's top tenant. */
  mergedTop: {from: string; into: string} | null;
}

/** The import will not run: a one-line reason, and the clashing rows when there are. */
export class ImportRefused extends Error {
  constructor(
    message: string,
    readonly clashes: string[] = [],
  ) {
    super(message);
  }
}

/** Clashes named in a refusal; the rest counted. */
const CLASHES_SHOWN = 20;

export async function importUpstream(config: DaemonConfig, options: ImportOptions): Promise<ImportResult> {
  const progress = options.onProgress ?? (() => undefined);
  const source = await readUpstream(options.from, (table) => progress({phase: 'read', table}));
  const loader = await openBulkLoader(config);
  try {
    const before = await loader.counts();
    const secrets = secretBox(config.data_dir);
    const plan = planImport(source, await loader.keys(), {merge: options.merge, now: options.now ?? Math.floor(Date.now() / 1000), secrets});
    for (const table of plan.report) {
      const accounted = table.copied + table.skipped.reduce((sum, skip) => sum + skip.count, 0);
      if (accounted !== table.rows) throw new Error(`${table.table}: ${table.rows} rows read but ${accounted} accounted for`);
    }
    const shown = plan.clashes.slice(0, CLASHES_SHOWN);
    if (plan.clashes.length > CLASHES_SHOWN) shown.push(`… and ${plan.clashes.length - CLASHES_SHOWN} more`);
    if (plan.holds.length > 0 && !options.merge) {
      const clashes =
        plan.clashes.length > 0 ? `, and ${plan.clashes.length} upstream row(s) clash with its rows` : ', and no upstream row clashes with its rows';
      throw new ImportRefused(`the target database holds data already (${plan.holds.join(', ')})${clashes}: --merge adds the upstream rows to it`, shown);
    }
    if (plan.clashes.length > 0) throw new ImportRefused(`${plan.clashes.length} upstream row(s) clash with the target's: nothing was written`, shown);
    const sealed =
      plan.rows.ldap_configs.some((row) => row.bind_password_sealed) || plan.rows.external_auth_configs.length > 0 || plan.rows.user_external_auths.length > 0;
    let after: TableCounts;
    try {
      after = await loader.load(plan.rows, {
        removeTenants: plan.removeTenants,
        // Sealed with this data_dir's key: a daemon on another key could not open them, and refuses to start.
        metaIfAbsent: sealed ? {secrets_key_check: secrets.fingerprint()} : {},
        dryRun: options.dryRun,
        onProgress: (table, done, total) => progress({phase: 'write', table, done, total}),
      });
    } catch (error) {
      if (error instanceof MetaMismatch) {
        throw new ImportRefused(
          `${config.data_dir}/${SECRET_KEY_FILE} is not the key of the daemons on the target database: run the import with their data_dir`,
        );
      }
      if (error instanceof StoreUnavailable) throw error;
      throw new ImportRefused(`the import failed and was rolled back, the target is as it was: ${(error as Error).message}`);
    }
    return {
      revision: source.revision,
      dryRun: options.dryRun,
      merge: options.merge,
      source: plan.report,
      target: LOAD_TABLES.map((table) => ({table, before: before[table], written: plan.rows[table].length, after: after[table]})),
      warnings: plan.warnings,
      mergedTop: plan.mergedTop ?? null,
    };
  } finally {
    await loader.close();
  }
}

// `wazo-auth db migrate|status`: the schema of the configured database, SQLite or PostgreSQL,
// whether the daemon runs or not.

import {Errors} from '@oclif/core';
import {ConfigError, loadConfig} from '../config/index.js';
import {migrateStore, storeMigrationStatus} from '../store/open.js';
import type {SchemaStatus} from '../store/schema-status.js';
import {DatabaseInUse} from '../store/sqlite/daemon-lock.js';
import {StoreUnavailable} from '../domain/errors.js';
import {LoadMismatch} from '../store/bulk-load.js';
import {importUpstream, SourceRefused, SourceUnavailable, type ImportOptions, type ImportResult} from './import/index.js';

// What `db status --json` prints, named here so that the command never imports the store.
export type {SchemaStatus} from '../store/schema-status.js';
export {ImportRefused, SUPPORTED_REVISIONS, type ImportProgress, type ImportResult, type TableReport} from './import/index.js';

/**
 * Runs `body` on the loaded configuration; bad configuration exits 2, an unreachable database 3,
 * a SQLite file that a running daemon holds 1 (a migration only: the daemon migrates it itself).
 * An import's source: unreachable 3, not a database it reads 1.
 */
async function withConfig<T>(configFile: string | undefined, body: (config: ReturnType<typeof loadConfig>) => Promise<T>): Promise<T> {
  try {
    return await body(loadConfig({configFile: configFile ?? null, env: process.env}));
  } catch (error) {
    if (error instanceof ConfigError) throw new Errors.CLIError(error.message, {exit: 2});
    if (error instanceof StoreUnavailable) throw new Errors.CLIError(error.message, {exit: 3});
    if (error instanceof DatabaseInUse) throw new Errors.CLIError(error.message, {exit: 1});
    if (error instanceof SourceUnavailable) throw new Errors.CLIError(error.message, {exit: 3});
    if (error instanceof SourceRefused || error instanceof LoadMismatch) throw new Errors.CLIError(error.message, {exit: 1});
    throw error;
  }
}

export interface MigrateResult {
  applied: number[];
  /** The schema version once done. */
  version: number;
}

export function runMigrate(configFile: string | undefined): Promise<MigrateResult> {
  return withConfig(configFile, async (config) => {
    const applied = await migrateStore(config);
    const status = await storeMigrationStatus(config);
    return {applied, version: status.applied.at(-1)?.version ?? 0};
  });
}

/** `db import`: an upstream wazo-auth database copied into the configured one (src/daemon/import/). */
export function runImport(configFile: string | undefined, options: ImportOptions): Promise<ImportResult> {
  return withConfig(configFile, (config) => importUpstream(config, options));
}

export function runStatus(configFile: string | undefined): Promise<SchemaStatus> {
  return withConfig(configFile, (config) => storeMigrationStatus(config));
}

/** The status as lines: one per step, applied ones with their date, then what this program lacks. */
export function statusLines(status: SchemaStatus): string[] {
  const lines = status.applied.map((step) => `${step.version}  applied ${new Date(step.appliedAt * 1000).toISOString()}  ${step.name}`);
  for (const step of status.pending) lines.push(`${step.version}  pending  ${step.name}`);
  const newest = status.applied.at(-1)?.version ?? 0;
  if (newest > status.known) {
    lines.push(`the database is at version ${newest}, newer than this program knows (${status.known}): upgrade wazo-auth`);
  }
  return lines;
}

// `wazo-auth daemon`: loads the configuration, starts the daemon, drops privileges, reopens
// its log file on SIGHUP and waits for SIGTERM/SIGINT to stop it gracefully.

import {randomBytes} from 'node:crypto';
import {chownSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Errors} from '@oclif/core';
import {ConfigError, readConfig, type DaemonConfig, type LogLevel} from '../config/index.js';
import {accountIds} from './accounts.js';
import {startDaemon} from './start.js';
import {bootstrapAdmin} from '../services/bootstrap.js';
import {DatabaseInUse} from '../store/sqlite/daemon-lock.js';
import {StoreUnavailable} from '../domain/errors.js';

export interface DaemonOptions {
  configFile?: string;
  user?: string;
  debug?: boolean;
  logLevel?: LogLevel;
  dev?: boolean;
  /** Over rest_api.port; 0 takes any free port (the banner and the start-up log line name it). */
  port?: number;
  bin: string;
  /** Upstream's flags: rest_api.port, log_filename, db_upgrade_on_startup. */
  listenPort?: number;
  logFile?: string;
  dbUpgradeOnStartup?: boolean;
  /** The package's folder, where `npm link` puts `bin` on the PATH (said in the --dev banner). */
  root: string;
}

const usage = (message: string) => new Errors.CLIError(message, {exit: 2});

/** The configuration and what its reading found amiss; under --dev, over a temporary folder that the caller removes once stopped. */
function load(options: DaemonOptions, devDir: string | undefined): {config: DaemonConfig; warnings: string[]} {
  const overrides: Record<string, unknown> = {};
  if (options.debug) overrides.debug = true;
  if (options.logLevel) overrides.log_level = options.logLevel;
  if (options.user) overrides.user = options.user;
  if (options.listenPort !== undefined) overrides.rest_api = {port: options.listenPort};
  if (options.logFile) overrides.log_filename = options.logFile;
  if (options.dbUpgradeOnStartup) overrides.db_upgrade_on_startup = true;
  if (devDir) {
    overrides.data_dir = devDir;
    overrides.db_uri = `sqlite://${join(devDir, 'wazo-auth.db')}`;
  }
  const {config, warnings} = readConfig({configFile: options.configFile ?? null, overrides, env: process.env});
  // After validation: a configuration file may not say port 0, the command line may.
  return {config: options.port === undefined ? config : {...config, rest_api: {...config.rest_api, port: options.port}}, warnings};
}

/** What --dev prints once started: where, the admin's password, and how to reach it with curl and with this CLI. */
function devBanner(url: string, dbUri: string, password: string, bin: string, root: string): string {
  return (
    `\nwazo-auth is running in development mode on ${url}\n` +
    `  database: ${dbUri} (temporary: removed when the daemon stops)\n` +
    `  admin user: admin, password: ${password} (shown only now)\n\n` +
    `Log in with the CLI (it asks for the password), then try \`${bin} whoami\` or \`${bin} dashboard\`:\n` +
    `  ${bin} login --url ${url} --username admin\n` +
    `  (no \`${bin}\` command yet? \`cd ${root} && npm link\` puts it on your PATH)\n\n` +
    `Or get a token with curl:\n  curl -s -X POST -H 'Content-Type: application/json' -u 'admin:${password}' ${url}/0.1/token -d '{"expiration": 600}'\n\n`
  );
}

/** The uid and gid of a local user, from the password database. */
function idsOf(user: string): {uid: number; gid: number} {
  const ids = accountIds(user);
  if (!ids) throw new Error('no such user');
  return ids;
}

/** Hands the data folder, the log and audit files to `user`, then becomes that user. */
function dropPrivileges(user: string, config: DaemonConfig): void {
  const {uid, gid} = idsOf(user);
  chownSync(config.data_dir, uid, gid);
  for (const name of readdirSync(config.data_dir)) chownSync(join(config.data_dir, name), uid, gid);
  if (config.log_filename) chownSync(config.log_filename, uid, gid);
  if (config.audit.file) chownSync(config.audit.file, uid, gid);
  (process as unknown as {initgroups(user: string, gid: number): void}).initgroups(user, gid);
  process.setgid!(gid);
  process.setuid!(uid);
}

export async function runDaemon(options: DaemonOptions): Promise<void> {
  const devDir = options.dev ? mkdtempSync(join(tmpdir(), 'wazo-auth-dev-')) : undefined;
  try {
    await run(options, devDir);
  } finally {
    if (devDir) rmSync(devDir, {recursive: true, force: true});
  }
}

async function run(options: DaemonOptions, devDir: string | undefined): Promise<void> {
  let config: DaemonConfig;
  let warnings: string[];
  try {
    ({config, warnings} = load(options, devDir));
  } catch (error) {
    if (error instanceof ConfigError) throw usage(error.message);
    throw error;
  }
  if (config.user && process.getuid?.() !== 0) {
    throw usage(`--user ${config.user}: the daemon must be started as root to change user (it runs as uid ${process.getuid?.()})`);
  }

  let daemon;
  try {
    daemon = await startDaemon(config, {warnings});
  } catch (error) {
    if (error instanceof ConfigError) throw usage(error.message);
    if (error instanceof StoreUnavailable) throw new Errors.CLIError(error.message, {exit: 3});
    if (error instanceof DatabaseInUse) throw new Errors.CLIError(error.message, {exit: 1});
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
      const hint = code === 'EADDRINUSE' ? ': another daemon has the port? --port 0 takes any free port' : '';
      throw new Errors.CLIError(`cannot listen on ${config.rest_api.listen}:${config.rest_api.port} (${code})${hint}`, {exit: 1});
    }
    throw error;
  }

  if (devDir) {
    const password = randomBytes(12).toString('base64url');
    await bootstrapAdmin(daemon.services.store, 'admin', password, {passwords: daemon.services.passwords});
    process.stderr.write(devBanner(daemon.url, config.db_uri, password, options.bin, options.root));
  }

  if (config.user) {
    try {
      dropPrivileges(config.user, config);
    } catch (error) {
      await daemon.stop();
      throw usage(`--user ${config.user}: cannot become that user (${(error as Error).message})`);
    }
  }

  // logrotate's `postrotate` sends SIGHUP: the log file is opened again by its name.
  const reopenLogs = () => daemon.reopenLogs();
  process.on('SIGHUP', reopenLogs);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await daemon.stop();
  process.off('SIGHUP', reopenLogs);
}

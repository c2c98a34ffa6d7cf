// `wazo-auth bootstrap`: creates the first administrator directly in the configured database, as
// upstream's wazo-auth-bootstrap: its WAZO_AUTH_BOOTSTRAP_* variables, and with `--complete` its
// credentials file for wazo-auth-cli (and wazo-auth-keys, which read it).

import {randomInt} from 'node:crypto';
import {chownSync, closeSync, existsSync, readFileSync, writeSync} from 'node:fs';
import {dirname} from 'node:path';
import {Errors} from '@oclif/core';
import {parse, stringify} from 'yaml';
import {ConfigError, loadConfig} from '../config/index.js';
import {createFile, DATA_FILE_MODE, makeFolders} from '../file-modes.js';
import {bootstrapAdmin, MASTER_POLICY_SLUG} from '../services/bootstrap.js';
import {openStore} from '../store/open.js';
import {StoreUnavailable, UnknownPolicy} from '../domain/errors.js';
import type {Purpose} from '../domain/types.js';
import {accountIds} from './accounts.js';

/** Upstream's: root's wazo-auth-cli configuration, read by wazo-auth-cli and wazo-auth-keys. */
export const CREDENTIALS_FILE = '/root/.config/wazo-auth-cli/050-credentials.yml';
/** Upstream's defaults: the user wazo-auth-bootstrap makes, and the account its file belongs to. */
export const DEFAULT_USERNAME = 'wazo-auth-cli';
const FILE_OWNER = 'wazo-auth';
const PURPOSES: readonly Purpose[] = ['user', 'internal', 'external_api'];
const PASSWORD_CHARS = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export interface BootstrapRequest {
  configFile?: string;
  /** Default: WAZO_AUTH_BOOTSTRAP_USERNAME, else wazo-auth-cli. */
  username?: string;
  purpose?: string;
  policySlug?: string;
  /** As `wazo-auth-bootstrap complete`: the credentials come from `credentialsFile`, or are made and written there. */
  complete?: boolean;
  credentialsFile?: string;
  env: NodeJS.ProcessEnv;
  /** `--password-stdin`, or a hidden prompt on a terminal (src/cli); undefined when there is no way to ask. */
  readPassword: (question: string) => Promise<string | undefined>;
  passwordFromStdin: boolean;
}

export interface BootstrapResult {
  uuid: string;
  username: string;
  /** The credentials file written, when one was. */
  wrote?: string;
}

const usage = (message: string) => new Errors.CLIError(message, {exit: 2});

/** Upstream's: 28 letters and digits. */
function randomPassword(): string {
  return Array.from({length: 28}, () => PASSWORD_CHARS[randomInt(PASSWORD_CHARS.length)]).join('');
}

function readCredentials(path: string): {username: string; password: string} {
  let auth: {username?: unknown; password?: unknown} | undefined;
  try {
    auth = (parse(readFileSync(path, 'utf8')) as {auth?: typeof auth} | null)?.auth;
  } catch (error) {
    throw usage(`${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (typeof auth?.username !== 'string' || typeof auth.password !== 'string' || !auth.username || !auth.password) {
    throw usage(`${path}: auth.username and auth.password must be set`);
  }
  return {username: auth.username, password: auth.password};
}

/** Upstream's file, mode 0600, belonging to the wazo-auth account when there is one (and we may give it). */
function writeCredentials(path: string, username: string, password: string): void {
  makeFolders(dirname(path), 0o700);
  const fd = createFile(path, DATA_FILE_MODE);
  if (fd === undefined) throw usage(`${path} appeared meanwhile: run bootstrap again to use it`);
  try {
    writeSync(fd, stringify({auth: {username, password, backend: 'wazo_user'}}));
  } finally {
    closeSync(fd);
  }
  const owner = accountIds(FILE_OWNER);
  if (owner && process.getuid?.() === 0) chownSync(path, owner.uid, owner.gid);
}

async function credentials(request: BootstrapRequest): Promise<{username: string; password: string; write?: string}> {
  const {env} = request;
  const file = request.credentialsFile ?? CREDENTIALS_FILE;
  if (request.complete && existsSync(file)) return readCredentials(file);
  const username = request.username ?? (env.WAZO_AUTH_BOOTSTRAP_USERNAME || DEFAULT_USERNAME);
  if (!username.trim()) throw usage('--username must not be empty');
  let password: string | undefined;
  if (request.passwordFromStdin) password = await request.readPassword('');
  else if (env.WAZO_AUTH_BOOTSTRAP_PASSWORD) password = env.WAZO_AUTH_BOOTSTRAP_PASSWORD;
  else if (request.complete) password = randomPassword();
  else password = await request.readPassword(`Password for ${username}: `);
  if (password === undefined) {
    throw usage('no password: pass --password-stdin and pipe it, set WAZO_AUTH_BOOTSTRAP_PASSWORD, or run on a terminal to be prompted');
  }
  if (!password) throw usage('the password must not be empty');
  return {username, password, write: request.complete ? file : undefined};
}

export async function runBootstrap(request: BootstrapRequest): Promise<BootstrapResult> {
  const {env} = request;
  const purpose = request.purpose ?? (env.WAZO_AUTH_BOOTSTRAP_PURPOSE || 'internal');
  if (!PURPOSES.includes(purpose as Purpose)) throw usage(`the purpose must be one of ${PURPOSES.join(', ')} (got "${purpose}")`);
  const policySlug = request.policySlug ?? (env.WAZO_AUTH_BOOTSTRAP_POLICY_SLUG || MASTER_POLICY_SLUG);
  const {username, password, write} = await credentials(request);
  try {
    // Upstream's WAZO_AUTH_BOOTSTRAP_URI names the database over the configuration's.
    const overrides = env.WAZO_AUTH_BOOTSTRAP_URI ? {db_uri: env.WAZO_AUTH_BOOTSTRAP_URI} : {};
    const config = loadConfig({configFile: request.configFile ?? null, overrides, env});
    const store = await openStore(config);
    let uuid: string;
    try {
      uuid = (await bootstrapAdmin(store, username, password, {purpose: purpose as Purpose, policySlug})).uuid;
    } finally {
      await store.close();
    }
    // Written once the user exists: a file whose password no user has would be worse than none.
    if (write) writeCredentials(write, username, password);
    return {uuid, username, wrote: write};
  } catch (error) {
    if (error instanceof ConfigError) throw usage(error.message);
    if (error instanceof UnknownPolicy) throw usage(`no policy "${policySlug}" in the top tenant`);
    if (error instanceof StoreUnavailable) throw new Errors.CLIError(error.message, {exit: 3});
    throw error;
  }
}

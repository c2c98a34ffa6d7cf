// wazo-auth-cli's configuration folder as a profile source (`--config DIR`, or
// WAZO_AUTH_CLI_CONFIG as wazo-auth-cli reads it), so that scripts written for the old tool keep
// working: the `auth:` section of DIR/config.yml, then of DIR/conf.d/*.yml (or the folder its
// `extra_config_files` names), then of DIR/*.yml (where wazo-auth-bootstrap writes
// 050-credentials.yml), each file over the ones before it, in name order, as Wazo reads conf.d.

import {readdirSync, readFileSync, statSync} from 'node:fs';
import {createRequire} from 'node:module';
import {join, resolve} from 'node:path';
import {normalizeUrl} from '../client/url.js';
import {usageError} from './failure.js';

/** What a wazo-auth-cli folder says: where the daemon is, how to trust it, and whom to log in as. */
export interface WazoAuthCliConfig {
  /** As normalizeUrl gives it, comparable with a client's. */
  url: string;
  /** false: accept any certificate. */
  verify: boolean;
  /** verify_certificate naming a CA file. */
  caFile?: string;
  username?: string;
  password?: string;
  backend?: string;
}

type Yaml = typeof import('yaml');
const require = createRequire(import.meta.url);

type AuthSection = Record<string, unknown>;

export function readWazoAuthCliConfig(dir: string): WazoAuthCliConfig {
  const root = resolve(dir);
  if (!isFolder(root)) throw usageError(`--config ${dir}: no such folder`);
  const main = readYaml(join(root, 'config.yml'));
  const extra = typeof main?.extra_config_files === 'string' ? resolve(root, main.extra_config_files) : join(root, 'conf.d');
  const files = [...yamlFiles(extra), ...yamlFiles(root).filter((file) => file !== join(root, 'config.yml'))];
  const auth: AuthSection = {...section(main)};
  for (const file of files) Object.assign(auth, section(readYaml(file)));

  const host = stringOf(auth.host) ?? 'localhost';
  const port = auth.port === undefined || auth.port === null ? 9497 : Number(auth.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw usageError(`--config ${dir}: auth.port is not a port: ${String(auth.port)}`);
  const prefix = stringOf(auth.prefix) ?? '';
  const https = auth.https === true || auth.https === 'true';
  const verifySetting = auth.verify_certificate;
  return {
    url: normalizeUrl(
      `${https ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}${prefix && !prefix.startsWith('/') ? '/' : ''}${prefix}`,
    ),
    verify: verifySetting !== false && verifySetting !== 'false',
    ...(typeof verifySetting === 'string' && verifySetting !== 'false' && verifySetting !== 'true' ? {caFile: resolve(root, verifySetting)} : {}),
    ...optional('username', stringOf(auth.username)),
    ...optional('password', stringOf(auth.password)),
    ...optional('backend', stringOf(auth.backend)),
  };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function yamlFiles(dir: string): string[] {
  if (!isFolder(dir)) return [];
  return readdirSync(dir)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort()
    .map((name) => join(dir, name));
}

function readYaml(path: string): Record<string, unknown> | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw usageError(`cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    const parsed = (require('yaml') as Yaml).parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
  } catch (error) {
    throw usageError(`${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
}

const section = (config: Record<string, unknown> | undefined): AuthSection =>
  typeof config?.auth === 'object' && config.auth !== null ? (config.auth as AuthSection) : {};

const stringOf = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : typeof value === 'number' ? String(value) : undefined);

const optional = <K extends string>(key: K, value: string | undefined) => (value === undefined ? {} : ({[key]: value} as Record<K, string>));

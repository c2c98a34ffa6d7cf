// Loads the daemon configuration. Precedence, highest first: command line
// overrides, conf.d files (alphabetically first wins), the -c file, built-in defaults.

import {existsSync} from 'node:fs';
import {resolve} from 'node:path';

import {defaultLayer} from './defaults.js';
import {ConfigError} from './errors.js';
import {configDirFiles, readConfigFile} from './files.js';
import {chainMerge, withoutUndefined, type RawMapping} from './merge.js';
import type {DaemonConfig, LoadOptions} from './types.js';
import {unknownKeyWarnings} from './unknown-keys.js';
import {buildConfig, CONFIG} from './validate.js';

export {ConfigError} from './errors.js';
export {defaultDataDir, DEFAULT_CORS_ALLOW_HEADERS} from './defaults.js';
export {describeTarget, parseDbUri, sqlitePath, type DatabaseTarget} from './database.js';
export {DEFAULT_IDP_PRIORITY, type IdpSwitch, type PluginSettings} from './plugins.js';
export type {ConfigOverrides, DaemonConfig, DefaultGroup, DefaultPolicy, LoadOptions, LogFormat, LogLevel} from './types.js';

// Decided before the layers merge, so removed from them: a conf.d file cannot
// point at another conf.d, and the -c path comes only from LoadOptions.
const LOCATION_KEYS = ['config_file', 'extra_config_files'] as const;

function withoutLocationKeys(layer: RawMapping): RawMapping {
  const out: RawMapping = {...layer};
  for (const key of LOCATION_KEYS) delete out[key];
  return out;
}

function extraConfigFolder(overrides: RawMapping, mainFile: RawMapping): string | null {
  for (const [layer, origin] of [
    [overrides, 'command line'],
    [mainFile, 'config file'],
  ] as const) {
    if (!Object.hasOwn(layer, 'extra_config_files')) continue;
    const value = layer['extra_config_files'];
    if (value === null) return null;
    if (typeof value !== 'string' || value === '') {
      throw new ConfigError(`config: extra_config_files (${origin}) must be a folder path or null`);
    }
    return resolve(value);
  }
  return null;
}

export function loadConfig(options: LoadOptions = {}): DaemonConfig {
  return readConfig(options).config;
}

/**
 * The configuration, and what the daemon warns about at start: each key of a file it does not
 * know (with the nearest known one), an extra_config_files folder that does not exist.
 */
export function readConfig(options: LoadOptions = {}): {config: DaemonConfig; warnings: string[]} {
  const env = options.env ?? process.env;
  const overrides = withoutUndefined(options.overrides ?? {});
  const configFile = options.configFile === undefined || options.configFile === null ? null : resolve(options.configFile);

  const mainLayer = configFile === null ? {} : readConfigFile(configFile);
  const folder = extraConfigFolder(overrides, mainLayer);
  const confFiles = folder === null ? [] : configDirFiles(folder);
  const confLayers = confFiles.map(readConfigFile);
  const warnings = [
    ...(folder !== null && !existsSync(folder) ? [`extra_config_files: the folder ${folder} does not exist: no file read from it`] : []),
    ...[...(configFile === null ? [] : [[configFile, mainLayer] as const]), ...confFiles.map((file, i) => [file, confLayers[i]!] as const)].flatMap(
      ([file, layer]) => unknownKeyWarnings(layer, CONFIG).map((warning) => `${file}: ${warning}`),
    ),
  ];

  // Lists accumulate across files only, as upstream: a file's list still
  // replaces the default one, and a command line value replaces both.
  const fromFiles = chainMerge([...confLayers, mainLayer].map(withoutLocationKeys), true);
  const merged = chainMerge([withoutLocationKeys(overrides), fromFiles, defaultLayer()]);

  return {config: buildConfig(merged, {configFile, extraConfigFiles: folder, env}), warnings};
}

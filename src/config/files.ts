// Reads the YAML configuration files: the main file given with -c and the
// extra_config_files folder (conf.d), the way upstream's config_helper picks them.

import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import {parse, YAMLParseError} from 'yaml';

import {ConfigError} from './errors.js';
import {isMapping, type RawMapping} from './merge.js';

function errnoCode(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : 'error';
}

/** Parses one YAML config file; an empty file counts as an empty mapping. */
export function readConfigFile(file: string): RawMapping {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`config: cannot read config file ${file} (${errnoCode(err)})`);
  }
  let data: unknown;
  try {
    // YAML 1.1 because upstream reads its files with PyYAML: `yes`/`on` are
    // booleans there, and a key repeated in a mapping is not an error.
    data = parse(text, {version: '1.1', uniqueKeys: false});
  } catch (err) {
    // Only the first line of the message: the rest quotes the offending source
    // line, which may hold a password.
    const detail = err instanceof YAMLParseError ? (err.message.split('\n')[0] ?? err.code) : errnoCode(err);
    throw new ConfigError(`config: invalid YAML in ${file}: ${detail.replace(/:$/, '')}`);
  }
  if (data === null || data === undefined) return {};
  if (!isMapping(data)) {
    throw new ConfigError(`config: ${file} must contain a YAML mapping at the top level`);
  }
  return data;
}

// Python's sorted() on str compares code points; JS's default sort compares
// UTF-16 units, which differs above U+FFFF.
function byCodePoint(a: string, b: string): number {
  const left = Array.from(a, (c) => c.codePointAt(0) ?? 0);
  const right = Array.from(b, (c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const diff = (left[i] ?? 0) - (right[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

/**
 * The conf.d files, in the order upstream reads them: alphabetical, skipping
 * hidden files and anything not ending in `.yml` (upstream ignores `.yaml`).
 * A missing folder is no error, as upstream only warns about it.
 */
export function configDirFiles(folder: string): string[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') return [];
    throw new ConfigError(`config: cannot read extra_config_files folder ${folder} (${errnoCode(err)})`);
  }
  return names
    .filter((name) => !name.startsWith('.') && name.endsWith('.yml'))
    .sort(byCodePoint)
    .map((name) => join(folder, name));
}

// Third-party plugin packages (`plugin_packages`): found by npm name in the daemon's own
// node_modules, or as an absolute folder, and imported at start; any failure names the package.

import {readFileSync, statSync} from 'node:fs';
import {isAbsolute, join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {ConfigError} from '../config/index.js';

export interface ImportedPackage {
  /** `package "name"`, for messages. */
  origin: string;
  /** The module's default export: the plugin package, once register() has checked it. */
  exports: unknown;
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

/** The entry module of a package folder: its package.json's `exports` (the `.` entry) or `main`, else index.js. */
function folderEntry(folder: string): string {
  let manifest: Record<string, unknown> = {};
  try {
    manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`its package.json cannot be read (${reason(error)})`);
  }
  const exports = manifest.exports;
  const dot = typeof exports === 'object' && exports !== null && '.' in exports ? (exports as Record<string, unknown>)['.'] : exports;
  const conditional = typeof dot === 'object' && dot !== null ? ((dot as Record<string, unknown>).import ?? (dot as Record<string, unknown>).default) : dot;
  const entry = typeof conditional === 'string' ? conditional : typeof manifest.main === 'string' ? manifest.main : 'index.js';
  return join(folder, entry);
}

function entryUrl(name: string): string {
  if (!isAbsolute(name)) return import.meta.resolve(name);
  return pathToFileURL(statSync(name).isDirectory() ? folderEntry(name) : name).href;
}

export async function importPluginPackages(switches: Record<string, boolean>): Promise<ImportedPackage[]> {
  const imported: ImportedPackage[] = [];
  for (const [name, enabled] of Object.entries(switches)) {
    if (!enabled) continue;
    const origin = `package "${name}"`;
    let module: {default?: unknown};
    try {
      module = (await import(entryUrl(name))) as {default?: unknown};
    } catch (error) {
      throw new ConfigError(`plugin_packages: cannot load ${origin}: ${reason(error)}`);
    }
    if (module.default === undefined)
      throw new ConfigError(`plugin_packages: ${origin} has no default export: it must export its plugins (see docs/plugins.md)`);
    imported.push({origin, exports: module.default});
  }
  return imported;
}

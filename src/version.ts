// The version of this program, from its package.json: the first one found above this file, the
// same from src/ (under tsx) and from dist/src/.

import {existsSync, readFileSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

function packageVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return String((JSON.parse(readFileSync(file, 'utf8')) as {version?: unknown}).version ?? 'unknown');
    if (dirname(dir) === dir) return 'unknown';
  }
}

export const VERSION = packageVersion();

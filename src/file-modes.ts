// The modes of the files the daemon creates, set whatever the umask: its data (database, key)
// readable by its own user only, its log also by its group (log readers such as `adm`).

import {closeSync, constants, existsSync, fchmodSync, mkdirSync, openSync} from 'node:fs';
import {dirname} from 'node:path';

export const DATA_FILE_MODE = 0o600;
export const LOG_FILE_MODE = 0o640;

const CREATE = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_EXCL;

/**
 * Creates `path` with exactly `mode` and returns it open for appending, or undefined when it
 * exists already: an existing file keeps the mode its owner gave it.
 */
export function createFile(path: string, mode: number): number | undefined {
  let fd: number;
  try {
    fd = openSync(path, CREATE, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
  try {
    fchmodSync(fd, mode);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  return fd;
}

/** Opens `path` for appending, creating it with exactly `mode` when it does not exist. */
export function openForAppend(path: string, mode: number): number {
  return createFile(path, mode) ?? openSync(path, constants.O_WRONLY | constants.O_APPEND);
}

/**
 * Creates `path` and the folders above it that are missing, one at a time, with `mode`: Node's
 * recursive mkdir loops forever where a parent refuses new folders with ENOENT (/proc, /sys).
 * Throws the system's error (its `code`) for the first level that cannot be made.
 */
export function makeFolders(path: string, mode: number): void {
  const missing: string[] = [];
  for (let dir = path; !existsSync(dir) && dirname(dir) !== dir; dir = dirname(dir)) missing.unshift(dir);
  for (const dir of missing) {
    try {
      mkdirSync(dir, {mode});
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

// Opens the store a `db_uri` names: SQLite now; PostgreSQL is reserved for later.

import {mkdirSync} from 'node:fs';
import {dirname, isAbsolute} from 'node:path';
import {ConfigError} from '../config/index.js';
import {openSqliteStore} from './sqlite/index.js';
import type {Store} from './store.js';

export async function openStore(dbUri: string): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(dbUri)) {
    throw new ConfigError('db_uri: PostgreSQL is not supported yet; use sqlite:///absolute/path.db or leave db_uri unset');
  }
  if (!dbUri.startsWith('sqlite://')) throw new ConfigError(`db_uri: unsupported database "${dbUri.split(':')[0]}"`);
  const path = dbUri.slice('sqlite://'.length);
  if (!isAbsolute(path)) throw new ConfigError('db_uri: the SQLite path must be absolute (sqlite:///absolute/path.db)');
  try {
    mkdirSync(dirname(path), {recursive: true, mode: 0o700});
    return await openSqliteStore(path);
  } catch (error) {
    throw new ConfigError(`db_uri: cannot open ${path} (${(error as Error).message})`);
  }
}

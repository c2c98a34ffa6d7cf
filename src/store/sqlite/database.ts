// Opens a better-sqlite3 connection with the settings every store connection relies on.
import {closeSync} from 'node:fs';
import Database from 'better-sqlite3';
import type {SqliteDatabase} from 'kysely';
import {BoundedMap} from '../../bounded-map.js';
import {createFile, DATA_FILE_MODE} from '../../file-modes.js';

export type Db = Database.Database;

export function openDatabase(path: string): Db {
  // SQLite would create the file 0644 less the umask; created here first, it is private, and the
  // -wal and -shm files SQLite makes beside it take the database file's mode.
  if (path !== ':memory:' && path !== '') {
    const fd = createFile(path, DATA_FILE_MODE);
    if (fd !== undefined) closeSync(fd);
  }
  const db = new Database(path);
  try {
    // Set first so that switching to WAL waits for another daemon's migration instead of failing.
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // Reads through a memory map and a larger page cache: a token lookup that misses the
    // daemon's memory then costs no read() system call for the pages it walks.
    db.pragma('mmap_size = 268435456');
    db.pragma('cache_size = -65536');
    // SQLite's lower() folds ASCII only; searches must be case-insensitive for every script.
    // Registered per connection and used in queries only, never in the schema, so that the
    // file stays readable by any SQLite tool.
    db.function('unicode_lower', {deterministic: true}, (value: unknown) => (typeof value === 'string' ? value.toLowerCase() : value));
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** Statements kept prepared: the store's SQL texts are few, each built from code. */
const PREPARED = 1_000;

/**
 * The connection as Kysely's SqliteDialect takes it: each SQL text is prepared once and kept
 * (preparing costs more than running a lookup), and booleans are bound as SQLite's 0 and 1. The
 * store closes the connection itself.
 */
export function forKysely(db: Db): SqliteDatabase {
  const prepared = new BoundedMap<string, Database.Statement>(PREPARED);
  const bind = (parameters: ReadonlyArray<unknown>) => parameters.map((value) => (typeof value === 'boolean' ? Number(value) : value));
  return {
    close() {},
    prepare(text: string) {
      let statement = prepared.get(text);
      if (!statement) prepared.set(text, (statement = db.prepare(text)));
      const kept = statement;
      return {
        reader: kept.reader,
        all: (parameters) => kept.all(bind(parameters)),
        run: (parameters) => kept.run(bind(parameters)),
        iterate: (parameters) => kept.iterate(bind(parameters)),
      };
    },
  };
}

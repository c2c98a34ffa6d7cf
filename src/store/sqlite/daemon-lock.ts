// One daemon per SQLite file: the daemon holds a write lock on a companion file (`<db>.lock`, a
// tiny SQLite database naming its pid) for as long as it runs. The lock is the operating
// system's, so it goes with the process, even on SIGKILL: a crash never leaves a stale lock.

import {closeSync} from 'node:fs';
import Database from 'better-sqlite3';
import {createFile, DATA_FILE_MODE} from '../../file-modes.js';

/** Another process holds the file; `pid` is the one it wrote, when it could be read. */
export class DatabaseInUse extends Error {
  constructor(
    readonly path: string,
    readonly pid: number | null,
  ) {
    const holder = pid === null ? 'another process' : `process ${pid}`;
    super(`${path} is in use by ${holder}: one daemon per SQLite file (several daemons need PostgreSQL)`);
    this.name = 'DatabaseInUse';
  }
}

export interface DaemonLock {
  release(): void;
}

/** Takes the lock of the database at `dbPath`, or throws DatabaseInUse at once. */
export function lockDatabase(dbPath: string): DaemonLock {
  // Private like the database it guards, whatever the umask.
  const fd = createFile(`${dbPath}.lock`, DATA_FILE_MODE);
  if (fd !== undefined) closeSync(fd);
  const db = new Database(`${dbPath}.lock`, {timeout: 0});
  try {
    db.exec('CREATE TABLE IF NOT EXISTS holder (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL)');
    take(db, dbPath);
    db.prepare('INSERT OR REPLACE INTO holder (id, pid) VALUES (1, ?)').run(process.pid);
    // Committed so that a second process can read who holds the file, then taken again: the
    // open write transaction is the lock (others may still read).
    db.exec('COMMIT');
    take(db, dbPath);
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    release() {
      if (!db.open) return;
      db.exec('ROLLBACK');
      db.close();
    },
  };
}

function take(db: Database.Database, dbPath: string): void {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (error) {
    if ((error as {code?: string}).code !== 'SQLITE_BUSY') throw error;
    throw new DatabaseInUse(dbPath, holder(db));
  }
}

function holder(db: Database.Database): number | null {
  try {
    db.pragma('busy_timeout = 200'); // the holder may be committing its pid right now
    const pid = db.prepare('SELECT pid FROM holder WHERE id = 1').pluck().get();
    return typeof pid === 'number' ? pid : null;
  } catch {
    return null;
  }
}

// Where log lines go: stderr, or one open log file, opened again on demand (SIGHUP) and when
// its path names another file (logrotate moved it). Writing never throws: a line that cannot be
// written waits for the next attempt, within a bound, or is lost, and stderr hears of it once.

import {closeSync, fstatSync, writeSync} from 'node:fs';
import {stat} from 'node:fs/promises';
import sonicBoom from 'sonic-boom';
import {LOG_FILE_MODE, openForAppend} from './file-modes.js';

// A CommonJS module whose class is its default export and also a property of it.
const {SonicBoom} = sonicBoom;
type SonicBoom = InstanceType<typeof SonicBoom>;

/** Bytes of lines kept while the destination refuses them; beyond, new lines are dropped. */
const MAX_PENDING_BYTES = 1024 * 1024;
/** How often the path is compared with the open file: a stat a second costs nothing. */
const MOVE_CHECK_MS = 1000;

export interface LogDestination {
  write(line: string): void;
  /** Opens the file again by its path; on failure lines keep going to the file open now. */
  reopen(): void;
  /** Reopens when the path no longer names the open file (moved, or removed). */
  reopenIfMoved(): Promise<void>;
  close(): void;
}

// Synchronous writes, as upstream's logging: a line is in the file before the answer leaves, and
// a crash loses none. EAGAIN (a full stderr pipe) is not waited out on the event loop: the line
// waits for the next write.
function stream(fd: number): SonicBoom {
  return new SonicBoom({fd, sync: true, maxLength: MAX_PENDING_BYTES, retryEAGAIN: () => false});
}

/** One message per kind of failure until it clears, so a failing disk does not flood stderr. */
class Complaint {
  private said: string | undefined;

  constructor(
    private readonly what: string,
    private readonly meanwhile: string,
  ) {}

  say(error: unknown): void {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    if (this.said === code) return;
    this.said = code;
    try {
      writeSync(2, `wazo-auth: cannot ${this.what} (${code}): ${this.meanwhile}\n`);
    } catch {
      // stderr is gone too: nobody is left to tell.
    }
  }

  clear(): void {
    this.said = undefined;
  }
}

/** Lines to stderr (the daemon's default, and what systemd's journal reads). */
export function stderrDestination(): LogDestination {
  const out = stream(2);
  out.on('error', () => {}); // Nowhere to say it: the line waits in the stream's buffer.
  return {
    write(line) {
      try {
        out.write(line);
      } catch {
        // destroyed: nothing to do
      }
    },
    reopen() {},
    async reopenIfMoved() {},
    close() {},
  };
}

/**
 * Lines appended to `path`, created with `mode` when missing; `kind` names them in complaints.
 * Throws when the file cannot be opened now.
 */
export function fileDestination(path: string, options: {mode?: number; kind?: string} = {}): LogDestination {
  return new FileDestination(path, options.mode ?? LOG_FILE_MODE, options.kind ?? 'log');
}

class FileDestination implements LogDestination {
  private out!: SonicBoom;
  private inode = {dev: 0, ino: 0};
  private closed = false;
  private readonly writeTrouble: Complaint;
  private readonly openTrouble: Complaint;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly path: string,
    private readonly mode: number,
    kind: string,
  ) {
    this.writeTrouble = new Complaint(`write the ${kind} file ${path}`, `${kind} lines wait for a later attempt, then are lost`);
    this.openTrouble = new Complaint(`reopen the ${kind} file ${path}`, `${kind} lines go on to the file opened before`);
    this.use(openForAppend(path, mode));
    this.timer = setInterval(() => void this.reopenIfMoved(), MOVE_CHECK_MS).unref();
  }

  private use(fd: number): void {
    try {
      const {dev, ino} = fstatSync(fd);
      this.inode = {dev, ino};
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    const out = stream(fd);
    out.on('error', (error) => this.writeTrouble.say(error));
    out.on('write', () => this.writeTrouble.clear());
    this.out = out;
  }

  write(line: string): void {
    if (this.closed) return;
    try {
      this.out.write(line);
    } catch (error) {
      this.writeTrouble.say(error);
    }
  }

  reopen(): void {
    if (this.closed) return;
    const old = this.out;
    try {
      this.use(openForAppend(this.path, this.mode));
    } catch (error) {
      this.openTrouble.say(error);
      return;
    }
    this.openTrouble.clear();
    // Lines still waiting in the old stream failed there already: they are given up.
    old.destroy();
  }

  async reopenIfMoved(): Promise<void> {
    try {
      const {dev, ino} = await stat(this.path);
      if (dev === this.inode.dev && ino === this.inode.ino) return;
    } catch (error) {
      // Another error (EACCES on the folder) says nothing of a rotation.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return;
    }
    this.reopen();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.out.destroy();
  }
}

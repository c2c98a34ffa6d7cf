// Caps on open connections, in total and per client address, enforced as a connection is
// accepted: a connection over a cap is closed at once, before any TLS or HTTP work, never queued.

import {readFileSync} from 'node:fs';
import type {Server, Socket} from 'node:net';
import type {Logger} from '../log.js';
import {plainAddress} from '../ip-address.js';
import {addressKey} from './client-address.js';

/** The soft open-file limit (`Max open files` of /proc/self/limits); null when unknown or unlimited. */
export function openFileLimit(limits?: string): number | null {
  let text = limits;
  if (text === undefined) {
    try {
      text = readFileSync('/proc/self/limits', 'utf8');
    } catch {
      return null;
    }
  }
  const soft = /^Max open files\s+(\S+)/m.exec(text)?.[1];
  return soft && /^\d+$/.test(soft) ? Number(soft) : null;
}

/** Fewest connections the derived default allows, however low the open-file limit. */
export const MIN_CONNECTIONS = 16;

/**
 * The default of `rest_api.max_connections`: the open-file limit less what the daemon itself
 * keeps open: 64 for node (about 20), the listening socket, the log file, outgoing mail and
 * bus connections, with room to spare; 4 per password hash worker (each thread's event loop);
 * and the database's (the pool's connections on PostgreSQL, 4 files for SQLite and its WAL).
 */
export function derivedMaxConnections(limit: number, hashWorkers: number, databaseFiles: number): number {
  return Math.max(MIN_CONNECTIONS, limit - 64 - 4 * hashWorkers - databaseFiles);
}

/**
 * One warning line for a burst of events, then at most one every `intervalMs` counting what
 * happened meanwhile: a flood of refused connections costs a few lines, not one per connection.
 */
export class ThrottledLine {
  private counts = new Map<string, number>();
  private last = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: Logger,
    private readonly subject: string,
    private readonly intervalMs = 10_000,
  ) {}

  /** `from`: the client's address, or '' when none applies. */
  note(what: string, from: string): void {
    this.counts.set(what, (this.counts.get(what) ?? 0) + 1);
    this.last = from;
    if (this.timer) return;
    this.flush();
  }

  private flush(): void {
    this.timer = undefined;
    if (this.counts.size === 0) return;
    const parts = [...this.counts].map(([what, n]) => `${n} ${what}`);
    const line = `${this.subject}: ${parts.join(', ')}${this.last ? `; the last from ${this.last}` : ''}`;
    this.counts.clear();
    try {
      this.log.warning(line);
    } catch {
      // A log that cannot be written must not take the server down with it.
    }
    this.timer = setTimeout(() => this.flush(), this.intervalMs).unref();
  }
}

export interface ConnectionLimits {
  /** Infinity: no cap. */
  max: number;
  perAddress: number;
  /** Peers exempt from the per-address cap (the proxies the clients come through). */
  isTrusted(address: string): boolean;
}

/**
 * Installs the caps on a server (HTTP or HTTPS). The total is node's own `maxConnections`,
 * which closes the socket as it is accepted; the per-address cap runs before the server's own
 * connection handling, which it skips for a refused socket.
 */
export function limitConnections(server: Server, limits: ConnectionLimits, refusals: ThrottledLine): void {
  if (Number.isFinite(limits.max)) server.maxConnections = limits.max;
  server.on('drop', (data) => refusals.note(`over max_connections (${limits.max})`, plainAddress(data?.remoteAddress ?? '')));

  const open = new Map<string, number>();
  const handlers = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    const peer = plainAddress(socket.remoteAddress ?? '');
    if (!limits.isTrusted(peer)) {
      const key = addressKey(peer);
      const count = open.get(key) ?? 0;
      if (count >= limits.perAddress) {
        socket.destroy();
        refusals.note(`over max_connections_per_address (${limits.perAddress})`, peer);
        return;
      }
      open.set(key, count + 1);
      socket.once('close', () => {
        const left = (open.get(key) ?? 1) - 1;
        if (left > 0) open.set(key, left);
        else open.delete(key);
      });
    }
    for (const handler of handlers) handler.call(server, socket);
  });
}

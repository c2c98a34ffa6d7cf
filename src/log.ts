// The daemon's log, on pino: upstream's text lines by default, or pino's JSON lines for log
// shippers, to stderr or to the configured file. Logging never throws into its caller.
// Tokens appear only by their last 8 characters; passwords and Authorization never.

import {pino} from 'pino';
import {fileDestination, stderrDestination, type LogDestination} from './log-destination.js';

export type LogLevel = 'critical' | 'error' | 'warning' | 'info' | 'debug';
export type LogFormat = 'text' | 'json';

/** Python's numbers, which upstream's levels carry. */
const LEVELS: Record<LogLevel, number> = {debug: 10, info: 20, warning: 30, error: 40, critical: 50};

export interface Logger {
  enabled(level: LogLevel): boolean;
  log(level: LogLevel, message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  critical(message: string): void;
  /** Changes the threshold while the daemon runs (PATCH /config `debug`). */
  setLevel(level: LogLevel): void;
}

/** A logger with its destination, which whoever created it reopens (SIGHUP) and closes. */
export interface DaemonLogger extends Logger {
  reopen(): void;
  /** Reopens the file when logrotate has moved it; also done every second by itself. */
  reopenIfMoved(): Promise<void>;
  close(): void;
}

/**
 * A token shown by its last 8 characters behind upstream's mask, so that log tooling matching
 * `XXXXXXXX-XXXX-XXXX-XXXX-XXXX` + 8 characters keeps working; nothing more is revealed.
 */
export function redactToken(token: string): string {
  return `XXXXXXXX-XXXX-XXXX-XXXX-XXXX${token.length > 8 ? token.slice(-8) : ''}`;
}

const CLIENT_VALUE_LENGTH = 256;
// Controls (C0, DEL, C1) could forge lines or terminal output; the quote and backslash are escaped
// so that an escape in the log always means an escape; line and paragraph separators and
// bidirectional controls change what a reader sees.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f"\\\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const ESCAPES: Record<string, string> = {'\n': '\\n', '\r': '\\r', '\t': '\\t', '"': '\\"', '\\': '\\\\'};
const escape = (c: string) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/**
 * A value a client sent (a login, a user agent, a path, a forwarded address), fit for a log line:
 * at most 256 characters, then how long it was; control characters, `"` and `\` escaped.
 * Every client value goes through here before it reaches the log.
 */
export function clientValue(value: string): string {
  if (value.length <= CLIENT_VALUE_LENGTH) return value.replace(UNSAFE, escape);
  let head = value.slice(0, CLIENT_VALUE_LENGTH);
  // Not half of a character outside the Basic Multilingual Plane.
  if (/[\ud800-\udbff]$/.test(head)) head = head.slice(0, -1);
  return `${head.replace(UNSAFE, escape)}… (${value.length} characters)`;
}

interface PinoLine {
  level: LogLevel;
  time: string;
  pid: number;
  name: string;
  msg: string;
}

/**
 * Upstream's `%(asctime)s [%(process)d] (%(levelname)s) (%(name)s): %(message)s`, with the time in
 * UTC to the millisecond: `2026-11-27 10:00:00.123 [4242] (INFO) (wazo-auth): message`.
 */
function textLine(json: string): string {
  const r = JSON.parse(json) as PinoLine;
  return `${r.time.replace('T', ' ').replace('Z', '')} [${r.pid}] (${r.level.toUpperCase()}) (${r.name}): ${r.msg}\n`;
}

export function createLogger(options: {level: LogLevel; file?: string | null; format?: LogFormat; name?: string}): DaemonLogger {
  const destination: LogDestination = options.file ? fileDestination(options.file) : stderrDestination();
  const write = options.format === 'json' ? (json: string) => destination.write(json) : (json: string) => destination.write(textLine(json));
  const out = pino<LogLevel, true>(
    {
      name: options.name ?? 'wazo-auth',
      level: options.level,
      customLevels: LEVELS,
      useOnlyCustomLevels: true,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: {level: (label) => ({level: label})},
    },
    {write},
  );
  const logger: DaemonLogger = {
    enabled: (level) => out.isLevelEnabled(level),
    log(level, message) {
      try {
        out[level](message);
      } catch {
        // A line that cannot be made or written is lost; the request that logged it goes on.
      }
    },
    debug: (m) => logger.log('debug', m),
    info: (m) => logger.log('info', m),
    warning: (m) => logger.log('warning', m),
    error: (m) => logger.log('error', m),
    critical: (m) => logger.log('critical', m),
    setLevel(level) {
      out.level = level;
    },
    reopen: () => destination.reopen(),
    reopenIfMoved: () => destination.reopenIfMoved(),
    close: () => destination.close(),
  };
  return logger;
}

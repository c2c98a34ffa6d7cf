// The daemon's log: one line per event, to stderr or to the configured file.
// Tokens appear only by their last 8 characters; passwords and Authorization never.

import {appendFileSync} from 'node:fs';

export type LogLevel = 'critical' | 'error' | 'warning' | 'info' | 'debug';

const RANK: Record<LogLevel, number> = {critical: 50, error: 40, warning: 30, info: 20, debug: 10};

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

/**
 * A token shown by its last 8 characters behind upstream's mask, so that log tooling matching
 * `XXXXXXXX-XXXX-XXXX-XXXX-XXXX` + 8 characters keeps working; nothing more is revealed.
 */
export function redactToken(token: string): string {
  return `XXXXXXXX-XXXX-XXXX-XXXX-XXXX${token.length > 8 ? token.slice(-8) : ''}`;
}

export function createLogger(options: {level: LogLevel; file?: string | null; name?: string}): Logger {
  let threshold = RANK[options.level];
  const name = options.name ?? 'wazo-auth';
  const write = options.file
    ? (line: string) => appendFileSync(options.file as string, line)
    : (line: string) => void process.stderr.write(line);
  const logger: Logger = {
    enabled: (level) => RANK[level] >= threshold,
    log(level, message) {
      if (RANK[level] < threshold) return;
      const when = new Date().toISOString().replace('T', ' ').replace('Z', '');
      write(`${when} [${process.pid}] (${level.toUpperCase()}) (${name}): ${message}\n`);
    },
    debug: (m) => logger.log('debug', m),
    info: (m) => logger.log('info', m),
    warning: (m) => logger.log('warning', m),
    error: (m) => logger.log('error', m),
    critical: (m) => logger.log('critical', m),
    setLevel(level) {
      threshold = RANK[level];
    },
  };
  return logger;
}

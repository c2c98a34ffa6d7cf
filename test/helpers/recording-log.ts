// A Logger that keeps every line in memory, for tests that assert what the daemon logged.

import type {Logger, LogLevel} from '../../src/log.js';

export interface RecordingLog extends Logger {
  lines: {level: LogLevel; message: string}[];
  /** Lines at these levels. */
  at(...levels: LogLevel[]): string[];
}

export function recordingLog(): RecordingLog {
  const lines: {level: LogLevel; message: string}[] = [];
  const log: RecordingLog = {
    lines,
    at: (...levels) => lines.filter((l) => levels.includes(l.level)).map((l) => l.message),
    enabled: () => true,
    log: (level, message) => void lines.push({level, message}),
    debug: (m) => log.log('debug', m),
    info: (m) => log.log('info', m),
    warning: (m) => log.log('warning', m),
    error: (m) => log.log('error', m),
    critical: (m) => log.log('critical', m),
    setLevel: () => undefined,
  };
  return log;
}

// The configuration as GET /config shows it (secrets masked) and the one setting that changes
// while the daemon runs, `debug`, which switches debug logging on and off without a restart.

import type {DaemonConfig} from '../config/index.js';
import type {Logger, LogLevel} from '../log.js';

const LEVELS_FROM_LOWEST: readonly LogLevel[] = ['debug', 'info', 'warning', 'error', 'critical'];

/** `scheme://user:secret@host` and `password=secret` with the secret replaced. */
export function maskedUri(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*:)[^@/]*@/i, '$1********@').replace(/(password=)[^&\s]*/gi, '$1********');
}

export class ConfigService {
  private debug: boolean;
  /** The level `debug: false` returns to. */
  private readonly quietLevel: LogLevel;

  constructor(
    private readonly config: DaemonConfig,
    private readonly log: Logger,
  ) {
    this.debug = config.debug;
    // Started with debug on, the configured level is lost (debug overrides it): info, the default.
    this.quietLevel = config.debug ? 'info' : (LEVELS_FROM_LOWEST.find((level) => log.enabled(level)) ?? 'critical');
  }

  view(): Record<string, unknown> {
    const shown: DaemonConfig = structuredClone(this.config);
    shown.debug = this.debug;
    shown.db_uri = maskedUri(shown.db_uri);
    if (shown.amqp.uri !== null) shown.amqp.uri = maskedUri(shown.amqp.uri);
    if (shown.smtp.password !== null) shown.smtp.password = '********';
    if (shown.bootstrap_user_password !== null) shown.bootstrap_user_password = '********';
    return shown as unknown as Record<string, unknown>;
  }

  setDebug(on: boolean): void {
    this.debug = on;
    this.log.setLevel(on ? 'debug' : this.quietLevel);
  }
}

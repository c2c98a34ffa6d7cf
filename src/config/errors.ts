// The one error type of configuration loading; its message names the key or file at fault.

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

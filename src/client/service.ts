// The daemon itself: whether it works, its authentication backends, its running configuration.

import type {Transport} from './transport.js';
import type {ConfigOperation, DaemonConfig} from './types.js';

export class Status {
  constructor(private readonly transport: Transport) {}

  /** The daemon's version (null when it does not say) once it answers that it and its database work; ApiError 503 when a component fails. */
  async check(): Promise<{version: string | null}> {
    const answer = this.transport.expectSuccess(await this.transport.send('HEAD', '/status', {authenticated: false}));
    const version = answer.headers['wazo-auth-version'];
    return {version: typeof version === 'string' ? version : null};
  }
}

export class Backends {
  constructor(private readonly transport: Transport) {}

  /** The names of the authentication backends the daemon has loaded. */
  list(): Promise<string[]> {
    return this.transport.json<{data: string[]}>('GET', '/backends', {authenticated: false}).then((answer) => answer.data);
  }
}

/** Only for tokens of the top tenant. */
export class Config {
  constructor(private readonly transport: Transport) {}

  get(): Promise<DaemonConfig> {
    return this.transport.json('GET', '/config');
  }

  /** Applies the operations in order, until the daemon stops; answers the configuration after them. */
  patch(operations: ConfigOperation[]): Promise<DaemonConfig> {
    return this.transport.json('PATCH', '/config', {body: operations});
  }
}

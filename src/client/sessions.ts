// Sessions of the caller's tenant tree (those of one user are on Users).

import {segment, type Transport} from './transport.js';
import type {ListParams, ListResult, Session} from './types.js';

export class Sessions {
  constructor(private readonly transport: Transport) {}

  /** Sorted by created_at unless `order` says expires_at or mobile. */
  list(params: ListParams = {}): Promise<ListResult<Session>> {
    return this.transport.json('GET', '/sessions', {query: {...params}});
  }

  /** Ends the session and revokes its token; a session unknown or outside the tree is left alone, without error. */
  delete(uuid: string): Promise<void> {
    return this.transport.empty('DELETE', `/sessions/${segment(uuid)}`);
  }
}

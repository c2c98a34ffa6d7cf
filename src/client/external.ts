// Accounts of other services linked to users (/users/{uuid}/external) and each tenant's settings
// for them (/external/{type}/config), in the client's tenant (Wazo-Tenant) or the token's own.

import {ApiError} from './errors.js';
import {segment, type Transport} from './transport.js';
import type {ExternalAuthEntry, ListParams, ListResult} from './types.js';

export class External {
  constructor(private readonly transport: Transport) {}

  /** Every external type the daemon loads, and whether the user linked it. */
  listOfUser(userUuid: string, params: ListParams = {}): Promise<ListResult<ExternalAuthEntry>> {
    return this.transport.json('GET', `/users/${segment(userUuid)}/external`, {query: {...params}});
  }

  /** Unlinks the user's account of this type (ApiError 404 when there is none). */
  deleteOfUser(userUuid: string, type: string): Promise<void> {
    return this.transport.empty('DELETE', `/users/${segment(userUuid)}/external/${segment(type)}`);
  }

  /** The tenant's settings of this type, secrets included (ApiError 404 when there are none). */
  config(type: string): Promise<Record<string, unknown>> {
    return this.transport.json('GET', `/external/${segment(type)}/config`);
  }

  /** Replaces the tenant's settings of this type, or creates them. */
  async setConfig(type: string, config: Record<string, unknown>): Promise<void> {
    try {
      await this.transport.empty('PUT', `/external/${segment(type)}/config`, {body: config});
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 404)) throw error;
      await this.transport.empty('POST', `/external/${segment(type)}/config`, {body: config});
    }
  }

  deleteConfig(type: string): Promise<void> {
    return this.transport.empty('DELETE', `/external/${segment(type)}/config`);
  }
}

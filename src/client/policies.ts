// Policies and their ACL. A policy is named by its uuid or, in the tenant the request acts in, its slug.

import {segment, type Transport} from './transport.js';
import type {ListParams, ListResult, NewPolicy, Policy, PolicyChanges, PolicyFilters} from './types.js';

const policy = (uuidOrSlug: string) => `/policies/${segment(uuidOrSlug)}`;

export class Policies {
  constructor(private readonly transport: Transport) {}

  /** The tenant's policies and the shared ones it inherits; sorted by name unless `order` says slug, description or uuid. */
  list(params: ListParams & PolicyFilters = {}): Promise<ListResult<Policy>> {
    return this.transport.json('GET', '/policies', {query: {...params}});
  }

  get(uuidOrSlug: string): Promise<Policy> {
    return this.transport.json('GET', policy(uuidOrSlug));
  }

  /** The token must itself grant every access it puts in the ACL (ApiError 401 otherwise). */
  create(fields: NewPolicy): Promise<Policy> {
    return this.transport.json('POST', '/policies', {body: fields});
  }

  /** Replaces name, description and ACL: a left-out description or ACL is cleared. */
  update(uuidOrSlug: string, fields: PolicyChanges): Promise<Policy> {
    return this.transport.json('PUT', policy(uuidOrSlug), {body: fields});
  }

  delete(uuidOrSlug: string): Promise<void> {
    return this.transport.empty('DELETE', policy(uuidOrSlug));
  }

  /** ApiError 409 when the policy already has it. */
  addAccess(uuidOrSlug: string, access: string): Promise<void> {
    return this.transport.empty('PUT', `${policy(uuidOrSlug)}/acl/${segment(access)}`);
  }

  /** Removing an access the policy lacks succeeds. */
  removeAccess(uuidOrSlug: string, access: string): Promise<void> {
    return this.transport.empty('DELETE', `${policy(uuidOrSlug)}/acl/${segment(access)}`);
  }
}

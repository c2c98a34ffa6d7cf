// Groups, their members and the policies they give them. Each tenant's all-users group is read-only.

import {segment, type Transport} from './transport.js';
import type {Group, GroupFilters, GroupMemberFilters, HeldPolicyFilters, ListParams, ListResult, NewGroup, Policy, User} from './types.js';

const group = (uuid: string) => `/groups/${segment(uuid)}`;

export class Groups {
  constructor(private readonly transport: Transport) {}

  /** Sorted by name unless `order` says slug, uuid or read_only. */
  list(params: ListParams & GroupFilters = {}): Promise<ListResult<Group>> {
    return this.transport.json('GET', '/groups', {query: {...params}});
  }

  get(uuid: string): Promise<Group> {
    return this.transport.json('GET', group(uuid));
  }

  create(fields: NewGroup): Promise<Group> {
    return this.transport.json('POST', '/groups', {body: fields});
  }

  /** Renames the group; its slug never changes. */
  update(uuid: string, fields: {name: string}): Promise<Group> {
    return this.transport.json('PUT', group(uuid), {body: fields});
  }

  /** The members keep their own policies. */
  delete(uuid: string): Promise<void> {
    return this.transport.empty('DELETE', group(uuid));
  }

  /** Every user of the tenant for an all-users group; sorted by username. */
  listUsers(uuid: string, params: Omit<ListParams, 'recurse'> & GroupMemberFilters = {}): Promise<ListResult<User>> {
    return this.transport.json('GET', `${group(uuid)}/users`, {query: {...params}});
  }

  /** The user must be of the group's tenant (ApiError 400 otherwise); adding a member again changes nothing. */
  addUser(uuid: string, userUuid: string): Promise<void> {
    return this.transport.empty('PUT', `${group(uuid)}/users/${segment(userUuid)}`);
  }

  removeUser(uuid: string, userUuid: string): Promise<void> {
    return this.transport.empty('DELETE', `${group(uuid)}/users/${segment(userUuid)}`);
  }

  /** Sorted by name unless `order` says description or uuid. */
  listPolicies(uuid: string, params: Omit<ListParams, 'recurse'> & HeldPolicyFilters = {}): Promise<ListResult<Policy>> {
    return this.transport.json('GET', `${group(uuid)}/policies`, {query: {...params}});
  }

  /** `policy` is a uuid or a slug. */
  addPolicy(uuid: string, policy: string): Promise<void> {
    return this.transport.empty('PUT', `${group(uuid)}/policies/${segment(policy)}`);
  }

  /** `policy` is a uuid or a slug; taking one the group lacks succeeds. */
  removePolicy(uuid: string, policy: string): Promise<void> {
    return this.transport.empty('DELETE', `${group(uuid)}/policies/${segment(policy)}`);
  }
}

// Users and what hangs off one user: its policies, groups, sessions, e-mail addresses and password.

import {segment, type Transport} from './transport.js';
import type {
  Email,
  EmailChange,
  Group,
  GroupFilters,
  HeldPolicyFilters,
  ListParams,
  ListResult,
  NewUser,
  PasswordResetLookup,
  Policy,
  Registration,
  Session,
  ThrottleEntry,
  User,
  UserThrottleEntry,
  UserChanges,
  UserFilters,
} from './types.js';

const user = (uuid: string) => `/users/${segment(uuid)}`;

export class Users {
  constructor(private readonly transport: Transport) {}

  /** Sorted by username unless `order` says `firstname` or `lastname`. */
  list(params: ListParams & UserFilters = {}): Promise<ListResult<User>> {
    return this.transport.json('GET', '/users', {query: {...params}});
  }

  get(uuid: string): Promise<User> {
    return this.transport.json('GET', user(uuid));
  }

  create(fields: NewUser): Promise<User> {
    return this.transport.json('POST', '/users', {body: fields});
  }

  /** Replaces the user's fields: those left out are cleared, as upstream's PUT. Disabling ends its sessions. */
  update(uuid: string, fields: UserChanges): Promise<User> {
    return this.transport.json('PUT', user(uuid), {body: fields});
  }

  /** Deletes the user and revokes its tokens. */
  delete(uuid: string): Promise<void> {
    return this.transport.empty('DELETE', user(uuid));
  }

  /** Needs the current password (ApiError 401 when wrong); ends the user's sessions. */
  changePassword(uuid: string, passwords: {old_password: string; new_password: string}): Promise<void> {
    return this.transport.empty('PUT', `${user(uuid)}/password`, {body: passwords});
  }

  /** The policies the user holds itself (not through its groups); sorted by name unless `order` says `description` or `uuid`. */
  listPolicies(uuid: string, params: ListParams & HeldPolicyFilters = {}): Promise<ListResult<Policy>> {
    return this.transport.json('GET', `${user(uuid)}/policies`, {query: {...params}});
  }

  /** `policy` is a uuid or a slug. Giving a policy the user holds changes nothing. */
  addPolicy(uuid: string, policy: string): Promise<void> {
    return this.transport.empty('PUT', `${user(uuid)}/policies/${segment(policy)}`);
  }

  /** `policy` is a uuid or a slug. Taking a policy the user lacks succeeds. */
  removePolicy(uuid: string, policy: string): Promise<void> {
    return this.transport.empty('DELETE', `${user(uuid)}/policies/${segment(policy)}`);
  }

  /** The user's groups, its tenant's all-users group included; sorted by name unless `order` says `uuid`. */
  listGroups(uuid: string, params: ListParams & Pick<GroupFilters, 'uuid' | 'name' | 'user_uuid'> = {}): Promise<ListResult<Group>> {
    return this.transport.json('GET', `${user(uuid)}/groups`, {query: {...params}});
  }

  listSessions(uuid: string, params: ListParams = {}): Promise<ListResult<Session>> {
    return this.transport.json('GET', `${user(uuid)}/sessions`, {query: {...params}});
  }

  /** Ends one of the user's sessions and revokes its token; another session is left alone. */
  deleteSession(uuid: string, sessionUuid: string): Promise<void> {
    return this.transport.empty('DELETE', `${user(uuid)}/sessions/${segment(sessionUuid)}`);
  }

  /** The failed logins counted against the user's username and addresses, per client address, newest first. */
  throttle(uuid: string): Promise<ListResult<ThrottleEntry>> {
    return this.transport.json('GET', `${user(uuid)}/throttle`);
  }

  /** Forgets them: the user's logins are judged again at once from every address. */
  unlock(uuid: string): Promise<void> {
    return this.transport.empty('DELETE', `${user(uuid)}/throttle`);
  }

  /** The counts of every user of the tenant (and below it with `recurse`), each with its user's uuid. */
  throttled(params: {recurse?: boolean} = {}): Promise<ListResult<UserThrottleEntry>> {
    return this.transport.json('GET', '/throttle', {query: {...params}});
  }

  /** Replaces every address of the user: new ones are unconfirmed, `confirmed` is ignored here. */
  updateEmails(uuid: string, emails: EmailChange[]): Promise<Email[]> {
    return this.transport.json('PUT', `${user(uuid)}/emails`, {body: {emails}});
  }

  /** Replaces every address of the user, confirming them (a confirmed address is a login) or not. */
  adminUpdateEmails(uuid: string, emails: EmailChange[]): Promise<Email[]> {
    return this.transport.json('PUT', `/admin${user(uuid)}/emails`, {body: {emails}});
  }

  /** Confirms one address by its uuid (from the user's `emails`). */
  confirmEmail(emailUuid: string): Promise<void> {
    return this.transport.empty('PUT', `/emails/${segment(emailUuid)}/confirm`);
  }

  /** Mails the confirmation link of an unconfirmed address (again); ApiError 409 when it is confirmed. */
  requestEmailConfirmation(uuid: string, emailUuid: string): Promise<void> {
    return this.transport.empty('GET', `${user(uuid)}/emails/${segment(emailUuid)}/confirm`);
  }

  /**
   * Asks for the forgotten-password mail. Needs no token; succeeds whether or not a user matches,
   * as the daemon says nothing of it.
   */
  requestPasswordReset(lookup: PasswordResetLookup): Promise<void> {
    return this.transport.empty('GET', '/users/password/reset', {query: {...lookup}, authenticated: false});
  }

  /**
   * Sets the password without the old one (null removes it), with the client's token (an
   * administrator's) or `resetToken`, the token of a reset mail. Ends the user's sessions.
   */
  setPassword(uuid: string, password: string | null, resetToken?: string): Promise<void> {
    const call = resetToken ? {authenticated: false, headers: {'x-auth-token': resetToken}} : {};
    return this.transport.empty('POST', '/users/password/reset', {...call, query: {user_uuid: uuid}, body: {password}});
  }

  /** Creates an account in a tenant of its own (only when the daemon enables user_registration); needs no token. */
  register(fields: Registration): Promise<User> {
    return this.transport.json('POST', '/users/register', {body: fields, authenticated: false});
  }
}

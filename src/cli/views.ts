// How each kind of object is shown: its table columns and what `plain` prints (the uuid, or the
// client id of a refresh token: what the next command of a pipeline takes).

import type {Email, Group, Session, Tenant, ThrottleEntry, User} from '../client/index.js';
import {groupName, type Names} from './display-names.js';
import type {ListView, RecordView} from './output.js';

const byUuid: RecordView = {plain: ['uuid']};

export const userList: ListView = {
  columns: ['username', 'firstname', 'lastname', 'emails', 'purpose', 'enabled'],
  wide: ['uuid', 'tenant_uuid', 'authentication_method'],
  plain: 'uuid',
};
export const userRecord: RecordView = {
  fields: ['uuid', 'username', 'firstname', 'lastname', 'emails', 'purpose', 'enabled', 'tenant_uuid', 'authentication_method'],
  plain: ['uuid'],
};
/** With the failed logins counted against the user, for a caller allowed to read them. */
export const throttledUserRecord: RecordView = {...userRecord, fields: [...userRecord.fields!, 'throttle']};

/** A user in a table: each address on a line of its own, with what it is; its throttled logins when known. */
export function userRow(user: User, throttle?: readonly ThrottleEntry[]): Record<string, unknown> {
  const counted = throttle && (throttle.length ? throttleLines(throttle) : ['none']);
  return {...user, emails: user.emails.map(describeEmail), ...(counted ? {throttle: counted} : {})};
}

/** One line per count: `alice from 203.0.113.7: 5 failures, waits 60 s`. */
export function throttleLines(entries: readonly ThrottleEntry[]): string[] {
  return entries.map(
    (e) => `${e.login} from ${e.address}: ${e.failures} failure${e.failures === 1 ? '' : 's'}${e.retry_after ? `, waits ${e.retry_after} s` : ''}`,
  );
}

function describeEmail(email: Email): string {
  const marks = [email.main ? 'main' : '', email.confirmed ? '' : 'unconfirmed'].filter(Boolean);
  return marks.length ? `${email.address} (${marks.join(', ')})` : email.address;
}

/** `parent` is the parent's name (tenantRow). */
export const tenantList: ListView = {columns: ['name', 'slug', 'parent', 'domain_names'], wide: ['uuid', 'parent_uuid'], plain: 'uuid'};
export const tenantRecord: RecordView = byUuid;

/** `tenant` is its tenant's name (groupRow). */
export const groupList: ListView = {columns: ['name', 'tenant', 'read_only'], wide: ['slug', 'uuid', 'tenant_uuid'], plain: 'uuid'};
export const groupRecord: RecordView = byUuid;

export const policyList: ListView = {columns: ['slug', 'name', 'description', 'shared', 'read_only'], wide: ['uuid', 'tenant_uuid'], plain: 'uuid'};

/** `username` and `tenant` are names (sessionRow). */
export const sessionList: ListView = {
  columns: ['uuid', 'username', 'tenant', 'mobile', 'created_at', 'expires_at', 'remote_addr'],
  wide: ['user_agent', 'user_uuid', 'tenant_uuid'],
  plain: 'uuid',
};

export const refreshTokenList: ListView = {columns: ['client_id', 'user_uuid', 'mobile', 'created_at'], wide: ['tenant_uuid'], plain: 'client_id'};

/** A tenant in a table: its parent by name, `(top)` for the tenant that is its own parent. */
export function tenantRow(tenant: Tenant, names: Names): Record<string, unknown> {
  return {...tenant, parent: tenant.parent_uuid === tenant.uuid ? '(top)' : names(tenant.parent_uuid)};
}

/** A group in a table: its name for reading and its tenant's name. */
export function groupRow(group: Group, names: Names): Record<string, unknown> {
  return {...group, name: groupName(group), tenant: names(group.tenant_uuid)};
}

/** A session in a table: who and in which tenant, by name. */
export function sessionRow(session: Session, users: Names, tenants: Names): Record<string, unknown> {
  return {...session, username: users(session.user_uuid), tenant: tenants(session.tenant_uuid)};
}

// How each kind of object is shown: its table columns and what `plain` prints (the uuid, or the
// client id of a refresh token: what the next command of a pipeline takes).

import type {Email, ThrottleEntry, User} from '../client/index.js';
import type {ListView, RecordView} from './output.js';

const byUuid: RecordView = {plain: ['uuid']};

export const userList: ListView = {columns: ['uuid', 'username', 'firstname', 'lastname', 'emails', 'purpose', 'enabled'], plain: 'uuid'};
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

export const tenantList: ListView = {columns: ['uuid', 'name', 'slug', 'parent_uuid', 'domain_names'], plain: 'uuid'};
export const tenantRecord: RecordView = byUuid;

export const groupList: ListView = {columns: ['uuid', 'name', 'tenant_uuid', 'read_only'], plain: 'uuid'};
export const groupRecord: RecordView = byUuid;

export const policyList: ListView = {columns: ['uuid', 'slug', 'name', 'description', 'shared', 'read_only'], plain: 'uuid'};

export const sessionList: ListView = {columns: ['uuid', 'user_uuid', 'mobile', 'created_at', 'expires_at', 'remote_addr', 'user_agent'], plain: 'uuid'};

export const refreshTokenList: ListView = {columns: ['client_id', 'user_uuid', 'mobile', 'created_at'], plain: 'client_id'};

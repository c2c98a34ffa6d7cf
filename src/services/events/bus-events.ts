// Upstream's auth events (wazo-bus, resources/auth) as outbox messages: the same names, routing
// keys, AMQP headers and bodies. What the publisher adds at sending is only the envelope's
// serialisation; `timestamp` is the moment of the change.

import type {NewOutboxMessage} from '../../store/store.js';
import {localIso} from '../time-format.js';

/** A routing-key or ACL word: the separators and wildcards of AMQP topics escaped, as upstream. */
export function escapeKeyPart(value: string): string {
  return value.replaceAll('.', '__DOT__').replaceAll('#', '__HASH__').replaceAll('*', '__STAR__');
}

/** What every message of this daemon carries: who sends it and when. */
export interface EventOrigin {
  /** The service uuid: config `uuid`, or XIVO_UUID. */
  originUuid: string | null;
  /** Microseconds since the epoch. */
  nowMicros: number;
}

/** Whom an event is for: a tenant's every user (`user_uuid:*`), or one user. */
type Audience = {tenantUuid: string; userUuid?: undefined} | {tenantUuid: string; userUuid: string | null};

/**
 * Builds the message: headers in upstream's order (the event's own attributes, then `name`, the
 * user header, the accesses, origin and time); the body is the headers plus `data`.
 */
function message(
  name: string,
  routingKey: string,
  audience: Audience,
  data: Record<string, unknown>,
  origin: EventOrigin,
  extra: Record<string, string> = {},
): NewOutboxMessage {
  const headers: Record<string, unknown> = {tenant_uuid: audience.tenantUuid};
  if (!('userUuid' in audience) || audience.userUuid === undefined) headers['user_uuid:*'] = true;
  Object.assign(headers, extra);
  headers['name'] = name;
  if (audience.userUuid) headers[`user_uuid:${audience.userUuid}`] = true;
  headers['required_access'] = `event.${name}`;
  headers['required_acl'] = `events.${routingKey}`;
  headers['origin_uuid'] = origin.originUuid;
  headers['timestamp'] = localIso(origin.nowMicros);
  return {routingKey, headers, data};
}

const key = escapeKeyPart;

export interface TenantSummary {
  uuid: string;
  name: string | null;
  slug: string;
  domain_names: string[];
}

export const busEvents = {
  tenantAdded(tenant: TenantSummary, origin: EventOrigin): NewOutboxMessage {
    const data = {uuid: tenant.uuid, name: tenant.name, slug: tenant.slug, domain_names: tenant.domain_names};
    return message('auth_tenant_added', `auth.tenants.${key(tenant.uuid)}.created`, {tenantUuid: tenant.uuid}, data, origin);
  },

  tenantUpdated(tenantUuid: string, name: string | null, origin: EventOrigin): NewOutboxMessage {
    return message('auth_tenant_updated', `auth.tenants.${key(tenantUuid)}.updated`, {tenantUuid}, {uuid: tenantUuid, name}, origin);
  },

  tenantDeleted(tenantUuid: string, origin: EventOrigin): NewOutboxMessage {
    return message('auth_tenant_deleted', `auth.tenants.${key(tenantUuid)}.deleted`, {tenantUuid}, {uuid: tenantUuid}, origin);
  },

  sessionCreated(session: {uuid: string; tenantUuid: string; userUuid: string | null; mobile: boolean}, origin: EventOrigin): NewOutboxMessage {
    const data = {uuid: session.uuid, tenant_uuid: session.tenantUuid, user_uuid: session.userUuid, mobile: session.mobile};
    return message('auth_session_created', `auth.sessions.${key(session.uuid)}.created`, session, data, origin, {session_uuid: session.uuid});
  },

  sessionDeleted(session: SessionRef, origin: EventOrigin): NewOutboxMessage {
    const data = {uuid: session.uuid, user_uuid: session.userUuid, tenant_uuid: session.tenantUuid};
    return message('auth_session_deleted', `auth.sessions.${key(session.uuid)}.deleted`, session, data, origin, {session_uuid: session.uuid});
  },

  sessionExpireSoon(session: SessionRef, origin: EventOrigin): NewOutboxMessage {
    const data = {uuid: session.uuid, user_uuid: session.userUuid, tenant_uuid: session.tenantUuid};
    const routingKey = `auth.users.${key(session.userUuid ?? 'None')}.sessions.${key(session.uuid)}.expire_soon`;
    return message('auth_session_expire_soon', routingKey, session, data, origin, {session_uuid: session.uuid});
  },

  refreshTokenCreated(token: RefreshTokenRef, origin: EventOrigin): NewOutboxMessage {
    return refreshTokenEvent('auth_refresh_token_created', 'created', token, origin);
  },

  refreshTokenDeleted(token: RefreshTokenRef, origin: EventOrigin): NewOutboxMessage {
    return refreshTokenEvent('auth_refresh_token_deleted', 'deleted', token, origin);
  },

  /** auth_user_external_auth_{added,authorized,updated,deleted}; their call sites come with external authentication. */
  externalAuth(action: ExternalAuthAction, ref: {externalAuthName: string; tenantUuid: string; userUuid: string}, origin: EventOrigin): NewOutboxMessage {
    const {name, verb} = EXTERNAL_AUTH[action];
    const routingKey = `auth.users.${key(ref.userUuid)}.external.${key(ref.externalAuthName)}.${verb}`;
    return message(
      name,
      routingKey,
      {tenantUuid: ref.tenantUuid, userUuid: ref.userUuid},
      {user_uuid: ref.userUuid, external_auth_name: ref.externalAuthName},
      origin,
    );
  },
};

export interface SessionRef {
  uuid: string;
  tenantUuid: string;
  userUuid: string | null;
}

export interface RefreshTokenRef {
  clientId: string;
  mobile: boolean;
  tenantUuid: string;
  userUuid: string;
}

export type ExternalAuthAction = 'added' | 'authorized' | 'updated' | 'deleted';

const EXTERNAL_AUTH: Record<ExternalAuthAction, {name: string; verb: string}> = {
  added: {name: 'auth_user_external_auth_added', verb: 'created'},
  authorized: {name: 'auth_user_external_auth_authorized', verb: 'authorized'},
  updated: {name: 'auth_user_external_auth_updated', verb: 'updated'},
  deleted: {name: 'auth_user_external_auth_deleted', verb: 'deleted'},
};

function refreshTokenEvent(name: string, verb: string, token: RefreshTokenRef, origin: EventOrigin): NewOutboxMessage {
  const data = {client_id: token.clientId, mobile: token.mobile, user_uuid: token.userUuid, tenant_uuid: token.tenantUuid};
  const routingKey = `auth.users.${key(token.userUuid)}.tokens.${key(token.clientId)}.${verb}`;
  return message(name, routingKey, {tenantUuid: token.tenantUuid, userUuid: token.userUuid}, data, origin);
}

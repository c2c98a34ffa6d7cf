// GET|PUT|DELETE /backends/ldap: the LDAP directory of the tenant the request acts in (upstream's
// ldap_config plugin). The bind password goes in, sealed, and never comes out.

import {X509Certificate} from 'node:crypto';
import type * as api from '../../api/types.js';
import type {ObjectSchema} from '../../schema/schema.js';
import type {LdapConfigView} from '../../services/ldap.js';
import {validSearchFilters} from '../../services/ldap-directory.js';
import {BodyFieldInvalid} from '../request-errors.js';
import {route, type Route} from '../route.js';

const text = (maxLength: number, description: string, nullable = false) => ({type: 'string', maxLength, nullable, description}) as const;

const ldapConfigEdit = {
  type: 'object',
  properties: {
    host: text(512, 'Host name or IP address of the directory'),
    port: {type: 'integer', minimum: 1, maximum: 65535, description: 'Its port, e.g. 389 (636 for ldaps)'},
    protocol_version: {type: 'integer', minimum: 2, maximum: 3, default: 3, description: 'LDAP protocol version (2 or 3; version 3 is spoken either way)'},
    protocol_security: {
      type: 'string',
      enum: ['ldaps', 'tls'],
      nullable: true,
      description: 'null: plain LDAP; `ldaps`: TLS from the start; `tls`: StartTLS. Both verify the certificate',
    },
    bind_dn: text(
      256,
      'The service account that searches for users; null: bind as the user straight away (`<user_login_attribute>=<login>,<user_base_dn>`)',
      true,
    ),
    bind_password: {type: 'string', nullable: true, description: "The service account's password; kept sealed, never shown"},
    user_base_dn: text(256, 'Where users are'),
    user_login_attribute: text(64, 'The attribute users log in with, e.g. uid'),
    user_email_attribute: text(64, 'The attribute holding the address that names the wazo user, e.g. mail'),
    search_filters: {
      type: 'string',
      nullable: true,
      description:
        "The service account's search filter; `{username}`, `{user_login_attribute}` and `{user_email_attribute}` are replaced by escaped values. Default `{user_login_attribute}={username}`",
    },
    ca_certificates: {
      type: 'string',
      maxLength: 65536,
      nullable: true,
      description: "Ours: PEM certificates the directory's must chain to (null: the system's)",
    },
  },
  required: ['host', 'port', 'user_base_dn', 'user_login_attribute', 'user_email_attribute'],
} as const satisfies ObjectSchema;

const EMPTY: api.LdapConfig = {
  tenant_uuid: null,
  host: null,
  port: null,
  protocol_version: null,
  protocol_security: null,
  bind_dn: null,
  user_base_dn: null,
  user_login_attribute: null,
  user_email_attribute: null,
  search_filters: null,
  ca_certificates: null,
};

/** Upstream's fields in upstream's order, then ours. */
function ldapConfigBody(config: LdapConfigView | undefined): api.LdapConfig {
  if (!config) return EMPTY;
  return {
    tenant_uuid: config.tenantUuid,
    host: config.host,
    port: config.port,
    protocol_version: config.protocolVersion,
    protocol_security: config.protocolSecurity,
    bind_dn: config.bindDn,
    user_base_dn: config.userBaseDn,
    user_login_attribute: config.userLoginAttribute,
    user_email_attribute: config.userEmailAttribute,
    search_filters: config.searchFilters,
    ca_certificates: config.caCertificates,
  };
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Certificates that node's TLS can use, or a 400 now rather than failed logins later. */
function checkCertificates(pem: string | null | undefined): void {
  if (!pem) return;
  const blocks = pem.match(PEM_BLOCK) ?? [];
  try {
    if (blocks.length === 0) throw new Error('no certificate');
    for (const block of blocks) new X509Certificate(block);
  } catch {
    throw new BodyFieldInvalid('ca_certificates');
  }
}

export const ldapConfigRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/backends/ldap',
    tag: 'backends',
    summary: 'Reads the LDAP directory of the tenant the request acts in; every field null when it has none',
    access: 'auth.backends.ldap.read',
    responses: {200: 'The configuration, without the bind password', 401: 'Missing or insufficient token'},
    async handle({tenantUuid, services}) {
      return {status: 200, body: ldapConfigBody(await services.ldap.get(tenantUuid))};
    },
  }),
  route({
    method: 'PUT',
    path: '/backends/ldap',
    tag: 'backends',
    summary: 'Sets the LDAP directory of the tenant the request acts in; optional fields left out keep their value',
    access: 'auth.backends.ldap.update',
    body: ldapConfigEdit,
    invalidBody: 'field-name',
    responses: {200: 'The configuration, without the bind password', 400: 'Invalid body', 401: 'Missing or insufficient token'},
    async handle({body, tenantUuid, services}) {
      checkCertificates(body.ca_certificates);
      // Ours: upstream takes any text, and then every search fails.
      if (body.search_filters && !validSearchFilters(body.search_filters)) throw new BodyFieldInvalid('search_filters');
      const saved = await services.ldap.put(tenantUuid, {
        host: body.host,
        port: body.port,
        protocolVersion: body.protocol_version ?? 3,
        protocolSecurity: body.protocol_security as 'ldaps' | 'tls' | null | undefined,
        bindDn: body.bind_dn,
        bindPassword: body.bind_password,
        userBaseDn: body.user_base_dn,
        userLoginAttribute: body.user_login_attribute,
        userEmailAttribute: body.user_email_attribute,
        searchFilters: body.search_filters,
        caCertificates: body.ca_certificates,
      });
      if ('missing' in saved) throw new BodyFieldInvalid(saved.missing.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
      return {status: 200, body: ldapConfigBody(saved)};
    },
  }),
  route({
    method: 'DELETE',
    path: '/backends/ldap',
    tag: 'backends',
    summary: 'Removes the LDAP directory of the tenant the request acts in; removing none succeeds too',
    access: 'auth.backends.ldap.delete',
    responses: {204: 'Removed', 401: 'Missing or insufficient token'},
    async handle({tenantUuid, services}) {
      await services.ldap.delete(tenantUuid);
      return {status: 204};
    },
  }),
];

// The schema as Kysely sees it: one interface per table, the same on both engines (what differs,
// such as how a flag or a JSON value is held, is said by the column type and handled by the
// dialect, src/store/dialect.ts). Keep it in step with src/store/migrations.
import type {ColumnType, Generated} from 'kysely';
import type {AuthenticationMethod, LdapSecurity} from '../domain/types.js';
import type {SamlSessionState} from './store.js';

/** A flag: a boolean on PostgreSQL, 0 or 1 on SQLite. Written as a boolean on both (the SQLite connection binds it as 0/1). */
export type Flag = ColumnType<boolean | number, boolean, boolean>;
/** JSON: parsed by PostgreSQL's driver, text on SQLite (dialect.fromJson reads both); written as text (dialect.toJson). */
export type Json<T> = ColumnType<T | string, string, string>;
/** Seconds (or milliseconds where said) since the epoch; int8 comes back as a number. */
export type Time = number;

export interface TenantsTable {
  uuid: string;
  name: string | null;
  slug: string;
  parent_uuid: string;
  contact_uuid: string | null;
  phone: string | null;
  address_line_1: string | null;
  address_line_2: string | null;
  address_city: string | null;
  address_state: string | null;
  address_country: string | null;
  address_zip_code: string | null;
  default_authentication_method: Generated<AuthenticationMethod>;
}

export interface TenantDomainsTable {
  uuid: string;
  name: string;
  tenant_uuid: string;
}

export interface UsersTable {
  uuid: string;
  tenant_uuid: string;
  username: string | null;
  /** The lower-cased username (src/store/login-key.ts). */
  username_key: string | null;
  firstname: string | null;
  lastname: string | null;
  purpose: string;
  enabled: Flag;
  authentication_method: Generated<string>;
  password_hash: string | null;
  created_at: Generated<Time>;
}

export interface EmailsTable {
  uuid: string;
  user_uuid: string;
  address: string;
  address_key: string;
  main: Flag;
  confirmed: Flag;
}

export interface PoliciesTable {
  uuid: string;
  tenant_uuid: string;
  name: string;
  slug: string;
  description: string | null;
  acl: Json<string[]>;
  shared: Flag;
  config_managed: Flag;
}

export interface UserPoliciesTable {
  user_uuid: string;
  policy_uuid: string;
}

export interface GroupsTable {
  uuid: string;
  tenant_uuid: string;
  name: string;
  slug: string;
  system_managed: Flag;
}

export interface GroupUsersTable {
  group_uuid: string;
  user_uuid: string;
}

export interface GroupPoliciesTable {
  group_uuid: string;
  policy_uuid: string;
}

export interface SessionsTable {
  uuid: string;
  tenant_uuid: string;
  user_uuid: string;
  mobile: Flag;
  created_at: Time;
}

export interface TokensTable {
  digest: string;
  session_uuid: string;
  auth_id: string;
  pbx_user_uuid: string | null;
  xivo_uuid: string;
  issued_t: Time;
  expire_t: Time;
  acl: Json<string[]>;
  metadata: Json<Record<string, unknown>>;
  user_agent: string;
  remote_addr: string;
  refresh_token_uuid: string | null;
}

export interface RefreshTokensTable {
  uuid: string;
  digest: string;
  client_id: string;
  user_uuid: string;
  backend: string;
  login: string;
  user_agent: string;
  remote_addr: string;
  mobile: Flag;
  created_at: Time;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface LoginFailuresTable {
  login_digest: string;
  address: string;
  failures: number;
  /** Milliseconds. */
  last_failure_at: Time;
  /** Milliseconds. */
  expires_at: Time;
}

export interface LdapConfigsTable {
  tenant_uuid: string;
  host: string;
  port: number;
  protocol_version: Generated<number>;
  protocol_security: LdapSecurity;
  bind_dn: string | null;
  /** Sealed by src/services/secret-box.ts; never the password itself. */
  bind_password_sealed: string | null;
  user_base_dn: string;
  user_login_attribute: string;
  user_email_attribute: string;
  search_filters: string | null;
  ca_certificates: string | null;
}

export interface BusOutboxTable {
  /** Increasing: the publishing order. */
  id: Generated<number>;
  routing_key: string;
  headers: Json<Record<string, unknown>>;
  data: Json<Record<string, unknown>>;
  /** Milliseconds. */
  created_at: Time;
}

export interface SessionExpiryNoticesTable {
  session_uuid: string;
  /** The token's expiry: the notice is forgotten after it. */
  expire_t: Time;
}

export interface SamlConfigsTable {
  tenant_uuid: string;
  domain_uuid: string;
  entity_id: string;
  idp_metadata: string;
  acs_url: string;
}

export interface SamlSessionsTable {
  request_id: string;
  /** The digest of the saml_session_id, never the id itself. */
  relay_state: string;
  tenant_uuid: string;
  domain: string;
  redirect_url: string;
  state: SamlSessionState;
  /** Milliseconds. */
  created_at: Time;
  /** Milliseconds. */
  expires_at: Time;
  login: string | null;
  name_id: string | null;
  name_id_format: string | null;
  name_qualifier: string | null;
  sp_name_qualifier: string | null;
  session_index: string | null;
  token_session_uuid: string | null;
  refresh_token_uuid: string | null;
  logout_request_id: string | null;
}

export interface ExternalAuthConfigsTable {
  tenant_uuid: string;
  type: string;
  /** The configuration's JSON, sealed by src/services/secret-box.ts. */
  data_sealed: string;
}

export interface UserExternalAuthsTable {
  user_uuid: string;
  type: string;
  /** The user's data as JSON, sealed by src/services/secret-box.ts. */
  data_sealed: string;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: Time;
}

export interface Tables {
  tenants: TenantsTable;
  tenant_domains: TenantDomainsTable;
  users: UsersTable;
  emails: EmailsTable;
  policies: PoliciesTable;
  user_policies: UserPoliciesTable;
  groups: GroupsTable;
  group_users: GroupUsersTable;
  group_policies: GroupPoliciesTable;
  sessions: SessionsTable;
  tokens: TokensTable;
  refresh_tokens: RefreshTokensTable;
  meta: MetaTable;
  login_failures: LoginFailuresTable;
  ldap_configs: LdapConfigsTable;
  bus_outbox: BusOutboxTable;
  session_expiry_notices: SessionExpiryNoticesTable;
  saml_configs: SamlConfigsTable;
  saml_sessions: SamlSessionsTable;
  external_auth_configs: ExternalAuthConfigsTable;
  user_external_auths: UserExternalAuthsTable;
  schema_migrations: SchemaMigrationsTable;
}

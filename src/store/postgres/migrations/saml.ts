// Schema step 4 on PostgreSQL (after the LDAP configurations' 3): tenants' SAML identity providers and the SAML logins in progress,
// shared by every daemon of the database.
import type {Migration} from '../migrations.js';

export const samlMigration: Migration = {
  version: 5,
  name: 'saml',
  sql: `
    CREATE TABLE saml_configs (
      tenant_uuid text PRIMARY KEY REFERENCES tenants (uuid) ON DELETE CASCADE,
      domain_uuid text NOT NULL REFERENCES tenant_domains (uuid) ON DELETE CASCADE,
      entity_id text NOT NULL,
      idp_metadata text NOT NULL,
      acs_url text NOT NULL
    );
    CREATE INDEX saml_configs_domain ON saml_configs (domain_uuid);

    CREATE TABLE saml_sessions (
      request_id text PRIMARY KEY,
      -- the digest of the saml_session_id, never the id itself
      relay_state text NOT NULL CONSTRAINT saml_sessions_relay_state UNIQUE,
      tenant_uuid text NOT NULL REFERENCES tenants (uuid) ON DELETE CASCADE,
      domain text NOT NULL,
      redirect_url text NOT NULL,
      state text NOT NULL,
      -- milliseconds since the epoch
      created_at bigint NOT NULL,
      expires_at bigint NOT NULL,
      login text,
      name_id text,
      name_id_format text,
      name_qualifier text,
      sp_name_qualifier text,
      session_index text,
      token_session_uuid text,
      refresh_token_uuid text,
      logout_request_id text
    );
    CREATE INDEX saml_sessions_expiry ON saml_sessions (expires_at);
    CREATE INDEX saml_sessions_token_session ON saml_sessions (token_session_uuid);
    CREATE INDEX saml_sessions_refresh_token ON saml_sessions (refresh_token_uuid);
  `,
};

// Step 8: tenants' SAML identity providers and the SAML logins in progress.
import type {Step} from './index.js';

export const samlStep: Step = {
  version: 8,
  name: 'saml',
  sql: {
    sqlite: `
      CREATE TABLE saml_configs (
        tenant_uuid TEXT PRIMARY KEY REFERENCES tenants (uuid) ON DELETE CASCADE,
        domain_uuid TEXT NOT NULL REFERENCES tenant_domains (uuid) ON DELETE CASCADE,
        entity_id TEXT NOT NULL,
        idp_metadata TEXT NOT NULL,
        acs_url TEXT NOT NULL
      );
      CREATE INDEX saml_configs_domain ON saml_configs (domain_uuid);

      CREATE TABLE saml_sessions (
        request_id TEXT PRIMARY KEY,
        -- the digest of the saml_session_id, never the id itself
        relay_state TEXT NOT NULL UNIQUE,
        tenant_uuid TEXT NOT NULL REFERENCES tenants (uuid) ON DELETE CASCADE,
        domain TEXT NOT NULL,
        redirect_url TEXT NOT NULL,
        state TEXT NOT NULL,
        -- milliseconds since the epoch
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        login TEXT,
        name_id TEXT,
        name_id_format TEXT,
        name_qualifier TEXT,
        sp_name_qualifier TEXT,
        session_index TEXT,
        token_session_uuid TEXT,
        refresh_token_uuid TEXT,
        logout_request_id TEXT
      );
      CREATE INDEX saml_sessions_expiry ON saml_sessions (expires_at);
      CREATE INDEX saml_sessions_token_session ON saml_sessions (token_session_uuid);
      CREATE INDEX saml_sessions_refresh_token ON saml_sessions (refresh_token_uuid);`,
    postgresql: `
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
      CREATE INDEX saml_sessions_refresh_token ON saml_sessions (refresh_token_uuid);`,
  },
};

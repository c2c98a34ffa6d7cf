// Schema step 1 on SQLite, as shipped.
import type {Migration} from '../index.js';

export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  sql: `
    CREATE TABLE tenants (
      uuid TEXT PRIMARY KEY,
      name TEXT,
      slug TEXT NOT NULL UNIQUE,
      -- the top tenant is its own parent
      parent_uuid TEXT NOT NULL REFERENCES tenants (uuid),
      contact_uuid TEXT REFERENCES users (uuid) ON DELETE SET NULL,
      phone TEXT,
      address_line_1 TEXT,
      address_line_2 TEXT,
      address_city TEXT,
      address_state TEXT,
      address_country TEXT,
      address_zip_code TEXT
    );
    CREATE INDEX tenants_parent ON tenants (parent_uuid);

    CREATE TABLE tenant_domains (
      name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
      tenant_uuid TEXT NOT NULL REFERENCES tenants (uuid) ON DELETE CASCADE
    );
    CREATE INDEX tenant_domains_tenant ON tenant_domains (tenant_uuid);

    CREATE TABLE users (
      uuid TEXT PRIMARY KEY,
      tenant_uuid TEXT NOT NULL REFERENCES tenants (uuid) ON DELETE CASCADE,
      username TEXT,
      -- lower-cased by the application (Unicode-aware, unlike SQLite's lower())
      username_key TEXT UNIQUE,
      firstname TEXT,
      lastname TEXT,
      purpose TEXT NOT NULL,
      enabled INTEGER NOT NULL DEFAULT 1,
      authentication_method TEXT NOT NULL DEFAULT 'default',
      password_hash TEXT,
      created_at INTEGER NOT NULL DEFAULT (unixepoch())
    );
    CREATE INDEX users_tenant ON users (tenant_uuid);

    CREATE TABLE emails (
      uuid TEXT PRIMARY KEY,
      user_uuid TEXT NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
      address TEXT NOT NULL,
      address_key TEXT NOT NULL UNIQUE,
      main INTEGER NOT NULL DEFAULT 0,
      confirmed INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX emails_user ON emails (user_uuid);

    CREATE TABLE policies (
      uuid TEXT PRIMARY KEY,
      tenant_uuid TEXT NOT NULL REFERENCES tenants (uuid) ON DELETE CASCADE,
      name TEXT NOT NULL,
      -- slugs are ASCII ([a-zA-Z0-9_-]) and unique regardless of case, as upstream's lower(slug) index
      slug TEXT NOT NULL COLLATE NOCASE,
      description TEXT,
      acl TEXT NOT NULL DEFAULT '[]',
      shared INTEGER NOT NULL DEFAULT 0,
      config_managed INTEGER NOT NULL DEFAULT 0,
      UNIQUE (tenant_uuid, name),
      UNIQUE (tenant_uuid, slug)
    );

    CREATE TABLE user_policies (
      user_uuid TEXT NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
      policy_uuid TEXT NOT NULL REFERENCES policies (uuid) ON DELETE CASCADE,
      PRIMARY KEY (user_uuid, policy_uuid)
    );
    CREATE INDEX user_policies_policy ON user_policies (policy_uuid);

    -- No foreign keys to users or tenants: a session may belong to an identity the daemon
    -- does not store; users.delete removes a user's sessions explicitly.
    CREATE TABLE sessions (
      uuid TEXT PRIMARY KEY,
      tenant_uuid TEXT NOT NULL,
      user_uuid TEXT NOT NULL,
      mobile INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX sessions_user ON sessions (user_uuid);

    CREATE TABLE tokens (
      digest TEXT PRIMARY KEY,
      session_uuid TEXT NOT NULL REFERENCES sessions (uuid) ON DELETE CASCADE,
      auth_id TEXT NOT NULL,
      pbx_user_uuid TEXT,
      xivo_uuid TEXT NOT NULL,
      issued_t INTEGER NOT NULL,
      expire_t INTEGER NOT NULL,
      acl TEXT NOT NULL,
      metadata TEXT NOT NULL,
      user_agent TEXT NOT NULL,
      remote_addr TEXT NOT NULL,
      -- no foreign key: deleting a refresh token leaves the tokens it produced alone
      refresh_token_uuid TEXT
    );
    CREATE INDEX tokens_session ON tokens (session_uuid);
    CREATE INDEX tokens_expire ON tokens (expire_t);
    CREATE INDEX tokens_refresh_token ON tokens (refresh_token_uuid);

    CREATE TABLE refresh_tokens (
      uuid TEXT PRIMARY KEY,
      digest TEXT NOT NULL UNIQUE,
      client_id TEXT NOT NULL,
      user_uuid TEXT NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
      backend TEXT NOT NULL,
      login TEXT NOT NULL,
      user_agent TEXT NOT NULL,
      remote_addr TEXT NOT NULL,
      mobile INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      UNIQUE (user_uuid, client_id)
    );

    CREATE TABLE meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `,
};

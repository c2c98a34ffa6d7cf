// Schema step 1 on PostgreSQL: what the SQLite schema holds after its own steps 1 to 4. Rows
// that SQLite orders by rowid carry an identity column `seq` here, and names unique regardless of
// case have a unique index on lower(...). Constraint names are the ones errors.ts maps.
import type {Migration} from '../index.js';

export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  sql: `
    CREATE TABLE tenants (
      uuid text CONSTRAINT tenants_pkey PRIMARY KEY,
      name text,
      slug text NOT NULL CONSTRAINT tenants_slug_key UNIQUE,
      -- the top tenant is its own parent
      parent_uuid text NOT NULL REFERENCES tenants (uuid),
      contact_uuid text,
      phone text,
      address_line_1 text,
      address_line_2 text,
      address_city text,
      address_state text,
      address_country text,
      address_zip_code text,
      default_authentication_method text NOT NULL DEFAULT 'native'
    );
    CREATE INDEX tenants_parent ON tenants (parent_uuid);

    CREATE TABLE tenant_domains (
      uuid text PRIMARY KEY,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      name text NOT NULL,
      tenant_uuid text NOT NULL REFERENCES tenants (uuid) ON DELETE CASCADE
    );
    CREATE UNIQUE INDEX tenant_domains_name ON tenant_domains (lower(name));
    CREATE INDEX tenant_domains_tenant ON tenant_domains (tenant_uuid, seq);

    CREATE TABLE users (
      uuid text CONSTRAINT users_pkey PRIMARY KEY,
      tenant_uuid text NOT NULL REFERENCES tenants (uuid) ON DELETE CASCADE,
      username text,
      -- lower-cased by the application, as on SQLite
      username_key text CONSTRAINT users_username_key UNIQUE,
      firstname text,
      lastname text,
      purpose text NOT NULL,
      enabled boolean NOT NULL DEFAULT true,
      authentication_method text NOT NULL DEFAULT 'default',
      password_hash text,
      created_at bigint NOT NULL DEFAULT extract(epoch FROM now())::bigint
    );
    CREATE INDEX users_tenant ON users (tenant_uuid);
    ALTER TABLE tenants ADD CONSTRAINT tenants_contact_fkey
      FOREIGN KEY (contact_uuid) REFERENCES users (uuid) ON DELETE SET NULL;

    CREATE TABLE emails (
      uuid text CONSTRAINT emails_pkey PRIMARY KEY,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      user_uuid text NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
      address text NOT NULL,
      address_key text NOT NULL CONSTRAINT emails_address_key UNIQUE,
      main boolean NOT NULL DEFAULT false,
      confirmed boolean NOT NULL DEFAULT false
    );
    CREATE INDEX emails_user ON emails (user_uuid, seq);

    CREATE TABLE policies (
      uuid text CONSTRAINT policies_pkey PRIMARY KEY,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      tenant_uuid text NOT NULL REFERENCES tenants (uuid) ON DELETE CASCADE,
      name text NOT NULL,
      -- ASCII ([a-zA-Z0-9_-]) and unique regardless of case, as upstream's lower(slug) index
      slug text NOT NULL,
      description text,
      acl jsonb NOT NULL DEFAULT '[]',
      shared boolean NOT NULL DEFAULT false,
      config_managed boolean NOT NULL DEFAULT false,
      CONSTRAINT policies_name UNIQUE (tenant_uuid, name)
    );
    CREATE UNIQUE INDEX policies_slug ON policies (tenant_uuid, lower(slug));
    CREATE INDEX policies_by_name ON policies (name, seq);

    CREATE TABLE user_policies (
      user_uuid text NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
      policy_uuid text NOT NULL REFERENCES policies (uuid) ON DELETE CASCADE,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      PRIMARY KEY (user_uuid, policy_uuid)
    );
    CREATE INDEX user_policies_policy ON user_policies (policy_uuid);

    CREATE TABLE groups (
      uuid text CONSTRAINT groups_pkey PRIMARY KEY,
      tenant_uuid text NOT NULL REFERENCES tenants (uuid) ON DELETE CASCADE,
      name text NOT NULL,
      slug text NOT NULL,
      -- the tenant's all-users group: its members are the tenant's users, without rows in group_users
      system_managed boolean NOT NULL DEFAULT false,
      CONSTRAINT groups_name UNIQUE (tenant_uuid, name)
    );
    CREATE UNIQUE INDEX groups_slug ON groups (tenant_uuid, lower(slug));
    CREATE UNIQUE INDEX groups_all_users ON groups (tenant_uuid) WHERE system_managed;

    CREATE TABLE group_users (
      group_uuid text NOT NULL REFERENCES groups (uuid) ON DELETE CASCADE,
      user_uuid text NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
      PRIMARY KEY (group_uuid, user_uuid)
    );
    CREATE INDEX group_users_user ON group_users (user_uuid);

    CREATE TABLE group_policies (
      group_uuid text NOT NULL REFERENCES groups (uuid) ON DELETE CASCADE,
      policy_uuid text NOT NULL REFERENCES policies (uuid) ON DELETE CASCADE,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      PRIMARY KEY (group_uuid, policy_uuid)
    );
    CREATE INDEX group_policies_policy ON group_policies (policy_uuid);

    -- No foreign keys to users or tenants: a session may belong to an identity the daemon
    -- does not store; users.delete removes a user's sessions explicitly.
    CREATE TABLE sessions (
      uuid text CONSTRAINT sessions_pkey PRIMARY KEY,
      tenant_uuid text NOT NULL,
      user_uuid text NOT NULL,
      mobile boolean NOT NULL DEFAULT false,
      created_at bigint NOT NULL
    );
    CREATE INDEX sessions_user ON sessions (user_uuid);
    CREATE INDEX sessions_tenant ON sessions (tenant_uuid);

    CREATE TABLE tokens (
      digest text CONSTRAINT tokens_pkey PRIMARY KEY,
      session_uuid text NOT NULL REFERENCES sessions (uuid) ON DELETE CASCADE,
      auth_id text NOT NULL,
      pbx_user_uuid text,
      xivo_uuid text NOT NULL,
      issued_t bigint NOT NULL,
      expire_t bigint NOT NULL,
      -- json, not jsonb: the metadata keeps its keys in the order they were given
      acl json NOT NULL,
      metadata json NOT NULL,
      user_agent text NOT NULL,
      remote_addr text NOT NULL,
      -- no foreign key: deleting a refresh token leaves the tokens it produced alone
      refresh_token_uuid text
    );
    CREATE INDEX tokens_session ON tokens (session_uuid);
    CREATE INDEX tokens_expire ON tokens (expire_t);
    CREATE INDEX tokens_refresh_token ON tokens (refresh_token_uuid);

    CREATE TABLE refresh_tokens (
      uuid text CONSTRAINT refresh_tokens_pkey PRIMARY KEY,
      seq bigint GENERATED ALWAYS AS IDENTITY,
      digest text NOT NULL CONSTRAINT refresh_tokens_digest UNIQUE,
      client_id text NOT NULL,
      user_uuid text NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
      backend text NOT NULL,
      login text NOT NULL,
      user_agent text NOT NULL,
      remote_addr text NOT NULL,
      mobile boolean NOT NULL DEFAULT false,
      created_at bigint NOT NULL,
      CONSTRAINT refresh_tokens_client UNIQUE (user_uuid, client_id)
    );

    CREATE TABLE meta (
      key text PRIMARY KEY,
      value text NOT NULL
    );
  `,
};

// Step 9: what users linked of other services (a phone's push tokens, a Google or Microsoft
// account) and each tenant's settings for those services, both as JSON sealed with the daemon's
// secrets.key (src/services/secret-box.ts): device tokens, OAuth tokens, API keys and private keys.
import type {Step} from './index.js';

export const externalAuthStep: Step = {
  version: 9,
  name: 'external auth',
  sql: {
    sqlite: `
      CREATE TABLE external_auth_configs (
        tenant_uuid TEXT NOT NULL REFERENCES tenants (uuid) ON DELETE CASCADE,
        type TEXT NOT NULL,
        -- the configuration's JSON, AES-256-GCM under secrets.key, never in clear
        data_sealed TEXT NOT NULL,
        PRIMARY KEY (tenant_uuid, type)
      ) WITHOUT ROWID;

      CREATE TABLE user_external_auths (
        user_uuid TEXT NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
        type TEXT NOT NULL,
        -- the user's data (device or OAuth tokens) as JSON, AES-256-GCM under secrets.key
        data_sealed TEXT NOT NULL,
        PRIMARY KEY (user_uuid, type)
      ) WITHOUT ROWID;
      CREATE INDEX user_external_auths_type ON user_external_auths (type, user_uuid);`,
    postgresql: `
      CREATE TABLE external_auth_configs (
        tenant_uuid text NOT NULL REFERENCES tenants (uuid) ON DELETE CASCADE,
        type text NOT NULL,
        -- the configuration's JSON, AES-256-GCM under secrets.key, never in clear
        data_sealed text NOT NULL,
        PRIMARY KEY (tenant_uuid, type)
      );

      CREATE TABLE user_external_auths (
        user_uuid text NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
        type text NOT NULL,
        -- the user's data (device or OAuth tokens) as JSON, AES-256-GCM under secrets.key
        data_sealed text NOT NULL,
        PRIMARY KEY (user_uuid, type)
      );
      CREATE INDEX user_external_auths_type ON user_external_auths (type, user_uuid);`,
  },
};

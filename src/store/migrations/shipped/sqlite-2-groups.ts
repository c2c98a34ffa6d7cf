// Schema step 2: groups, their members and policies.
import type {Migration} from '../index.js';

export const groupsMigration: Migration = {
  version: 2,
  name: 'groups, their members and policies',
  sql: `
    CREATE TABLE groups (
      uuid TEXT PRIMARY KEY,
      tenant_uuid TEXT NOT NULL REFERENCES tenants (uuid) ON DELETE CASCADE,
      name TEXT NOT NULL,
      -- ASCII ([a-zA-Z0-9_-]) and unique regardless of case, as upstream's lower(slug) index
      slug TEXT NOT NULL COLLATE NOCASE,
      -- the tenant's all-users group: its members are the tenant's users, without rows in group_users
      system_managed INTEGER NOT NULL DEFAULT 0,
      UNIQUE (tenant_uuid, name),
      UNIQUE (tenant_uuid, slug)
    );
    CREATE UNIQUE INDEX groups_all_users ON groups (tenant_uuid) WHERE system_managed = 1;

    CREATE TABLE group_users (
      group_uuid TEXT NOT NULL REFERENCES groups (uuid) ON DELETE CASCADE,
      user_uuid TEXT NOT NULL REFERENCES users (uuid) ON DELETE CASCADE,
      PRIMARY KEY (group_uuid, user_uuid)
    );
    CREATE INDEX group_users_user ON group_users (user_uuid);

    CREATE TABLE group_policies (
      group_uuid TEXT NOT NULL REFERENCES groups (uuid) ON DELETE CASCADE,
      policy_uuid TEXT NOT NULL REFERENCES policies (uuid) ON DELETE CASCADE,
      PRIMARY KEY (group_uuid, policy_uuid)
    );
    CREATE INDEX group_policies_policy ON group_policies (policy_uuid);
  `,
};

// Schema step 4: sessions, refresh tokens and e-mail administration.
import type {Migration} from '../index.js';

export const sessionsMigration: Migration = {
  version: 4,
  name: 'sessions, refresh tokens and e-mail administration',
  // Session listings and deletions are always scoped by tenant.
  sql: 'CREATE INDEX sessions_tenant ON sessions (tenant_uuid);',
};

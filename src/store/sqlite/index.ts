// The embedded SQLite store: one file (WAL mode), migrated when opened.
import type {Store} from '../store.js';
import {openDatabase} from './database.js';
import {createGroupStore} from './groups.js';
import {createMetaStore} from './meta.js';
import {migrate} from './migrations.js';
import {createPolicyStore} from './policies.js';
import {createRefreshTokenStore} from './refresh-tokens.js';
import {createTenantStore} from './tenants.js';
import {createTokenStore} from './tokens.js';
import {createUserStore} from './users.js';

/** Opens (creating it if need be) the database at `path`, or a private one for ':memory:'. */
export async function openSqliteStore(path: string): Promise<Store> {
  const db = openDatabase(path);
  try {
    migrate(db);
    return {
      tenants: createTenantStore(db),
      users: createUserStore(db),
      policies: createPolicyStore(db),
      tokens: createTokenStore(db),
      refreshTokens: createRefreshTokenStore(db),
      groups: createGroupStore(db),
      meta: createMetaStore(db),
      async close(): Promise<void> {
        if (!db.open) return;
        // Keeps the query planner's statistics fresh at little cost, as SQLite recommends.
        db.pragma('optimize');
        db.close();
      },
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

// The store contract on PostgreSQL, each store in an empty schema of its own in the database named by
// WAZO_AUTH_TEST_PG_URI (skipped, saying so, without it).
import {describe} from 'node:test';
import {openTestPgStore, pgSkip} from '../helpers/pg.js';
import {storeContract} from './contract.js';
import {externalAuthContract} from './contract-external-auth.js';
import {groupStoreContract} from './contract-groups.js';
import {ldapConfigsContract} from './contract-ldap-configs.js';
import {loginFailuresContract} from './contract-login-failures.js';
import {outboxContract} from './contract-outbox.js';
import {samlContract} from './contract-saml.js';
import {sessionsContract} from './contract-sessions.js';
import {tenantStoreContract} from './contract-tenants.js';

describe('postgresql', {skip: pgSkip}, () => {
  storeContract('postgresql', openTestPgStore);
  groupStoreContract('postgresql', openTestPgStore);
  tenantStoreContract('postgresql', openTestPgStore);
  sessionsContract('postgresql', openTestPgStore);
  loginFailuresContract('postgresql', openTestPgStore);
  ldapConfigsContract('postgresql', openTestPgStore);
  outboxContract('postgresql', openTestPgStore);
  samlContract('postgresql', openTestPgStore);
  externalAuthContract('postgresql', openTestPgStore);
});

// Every entity store over one context: the same modules serve both engines; only the token
// checks' lookup is the engine's own.
import type {StoreContext} from './context.js';
import {createExternalAuthStore} from './external-auth.js';
import {createGroupStore} from './groups.js';
import {createLdapConfigStore} from './ldap-configs.js';
import {createLoginFailureStore} from './login-failures.js';
import {createMetaStore} from './meta.js';
import {createOutboxStore} from './outbox.js';
import {createPolicyStore} from './policies.js';
import {createRefreshTokenStore} from './refresh-tokens.js';
import {createSamlConfigStore, createSamlSessionStore} from './saml.js';
import type {Store} from './store.js';
import {createTenantStore} from './tenants.js';
import {createTokenStore, type TokenLookup} from './tokens.js';
import {createUserStore} from './users.js';

export function createEntityStores(context: StoreContext, tokenLookup: TokenLookup): Omit<Store, 'close'> {
  return {
    tenants: createTenantStore(context),
    users: createUserStore(context),
    policies: createPolicyStore(context),
    tokens: createTokenStore(context, tokenLookup),
    refreshTokens: createRefreshTokenStore(context),
    groups: createGroupStore(context),
    meta: createMetaStore(context),
    loginFailures: createLoginFailureStore(context),
    ldapConfigs: createLdapConfigStore(context),
    outbox: createOutboxStore(context),
    samlConfigs: createSamlConfigStore(context),
    samlSessions: createSamlSessionStore(context),
    externalAuth: createExternalAuthStore(context),
  };
}

// The `google` and `microsoft` external auth plugins (upstream's): a user links an account through
// OAuth2 (src/services/oauth2-accounts.ts) and wazo-dird reads its access token, refreshed when due.

import {route} from '../../http/route.js';
import type {OAuth2Provider} from '../../services/oauth2-accounts.js';
import type {ExternalAuthPlugin} from '../types.js';

const authorizeBody = {
  type: 'object',
  properties: {
    scope: {type: 'array', items: {type: 'string', minLength: 1, maxLength: 512}, description: "The scopes asked; default: the configuration's"},
  },
} as const;

function oauth2Plugin(type: OAuth2Provider): ExternalAuthPlugin {
  const path = `/users/{user_uuid:uuid}/external/${type}` as const;
  const access = (verb: string) => `auth.users.{user_uuid}.external.${type}.${verb}` as const;
  return {
    name: type,
    load: () => ({
      routes: [
        route({
          method: 'POST',
          path,
          tag: type,
          summary: `Starts linking the user's ${type} account: the URL of the consent page, and its state`,
          access: access('create'),
          resource: 'users',
          body: authorizeBody,
          responses: {
            201: '{authorization_url, state}',
            400: 'Invalid body',
            401: 'Missing or insufficient token',
            404: `No such user in the tenant, or the user's tenant has no ${type} config`,
            500: 'The synchronization service cannot be reached',
          },
          async handle({params, body, tenantUuid, services}) {
            return {status: 201, body: await services.oauth2.authorize(tenantUuid, params.user_uuid, type, body.scope)};
          },
        }),
        route({
          method: 'GET',
          path,
          tag: type,
          summary: `The user's ${type} access token, refreshed first when it expires within 30 seconds`,
          access: access('read'),
          responses: {
            200: '{access_token, token_expiration, scope}',
            401: 'Missing or insufficient token',
            404: 'No such user in the tenant, or no linked account',
            500: "The provider's token endpoint failed; the stored tokens are kept",
          },
          async handle({params, tenantUuid, services}) {
            return {status: 200, body: await services.oauth2.current(tenantUuid, params.user_uuid, type)};
          },
        }),
        route({
          method: 'DELETE',
          path,
          tag: type,
          summary: `Unlinks the user's ${type} account: its tokens are forgotten`,
          access: access('delete'),
          responses: {204: 'Removed', 401: 'Missing or insufficient token', 404: 'No such user in the tenant, or no linked account'},
          async handle({params, tenantUuid, services}) {
            await services.externalAuth.delete(tenantUuid, params.user_uuid, type);
            return {status: 204};
          },
        }),
      ],
    }),
  };
}

export const google = oauth2Plugin('google');
export const microsoft = oauth2Plugin('microsoft');

// refresh_token: a refresh token and its client_id. The login goes through the backend of the
// provider of the user's effective method; a user whose method has no provider is refused.

import type {IdpPlugin} from '../types.js';

export const refreshToken: IdpPlugin = {
  name: 'refresh_token',
  load: ({services}) => ({
    authenticationMethod: 'refresh_token',
    canAuthenticate: (request) => request.refreshToken !== undefined,
    async verify(request) {
      const grant = await services.tokens.refreshGrant(request.refreshToken!, request.clientId);
      if (!grant) return undefined;
      const method = await services.users.effectiveAuthenticationMethod(grant.user);
      const backend = services.authentication.providerFor(method)?.backendFor?.(grant.user);
      return backend === undefined ? undefined : {user: grant.user, login: grant.row.login, backend, viaRefresh: grant.row};
    },
  }),
};

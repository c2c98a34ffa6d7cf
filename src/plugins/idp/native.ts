// native: a login and password checked against the wazo_user backend; the provider of last resort
// for a request no other provider takes, as upstream.

import type {IdpPlugin} from '../types.js';

const BACKEND = 'wazo_user';

export const native: IdpPlugin = {
  name: 'native',
  load({backends, services}) {
    const backend = backends.get(BACKEND);
    if (!backend) throw new Error(`it needs the backend ${BACKEND}: enable it in enabled_backend_plugins`);
    return {
      authenticationMethod: 'native',
      canAuthenticate: (request) => request.credentials !== undefined,
      async verify(request) {
        if (!request.credentials) {
          // No credentials costs what wrong ones cost.
          await services.passwords.verifyNothing('', {bounded: true});
          return undefined;
        }
        const {login, password} = request.credentials;
        const user = await backend.verifyPassword(login, password);
        return user && {user, login, backend: BACKEND};
      },
      backendFor: () => BACKEND,
    };
  },
};

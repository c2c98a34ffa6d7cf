// saml: a login by the saml_session_id of a SAML login the identity provider has answered
// (services.saml), for users whose method is saml; through the wazo_user backend, as upstream.

import type {IdpPlugin} from '../types.js';

const BACKEND = 'wazo_user';

export const saml: IdpPlugin = {
  name: 'saml',
  load({backends, services}) {
    if (!backends.get(BACKEND)) throw new Error(`it needs the backend ${BACKEND}: enable it in enabled_backend_plugins`);
    return {
      authenticationMethod: 'saml',
      canAuthenticate: (request) => request.samlSessionId !== undefined,
      async verify(request) {
        if (request.samlSessionId === undefined) return undefined;
        const redeemed = await services.saml.redeem(request.samlSessionId);
        return redeemed && {user: redeemed.user, login: redeemed.session.login!, backend: BACKEND};
      },
      backendFor: () => BACKEND,
    };
  },
};

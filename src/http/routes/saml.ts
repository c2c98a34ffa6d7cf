// Upstream's saml plugin: POST /saml/sso, POST /saml/acs, GET /saml/logout, GET /saml/sls.
// No access is required: the browser and the app come here before they have a token (logout
// takes the token being ended).

import {SamlParamInvalid, UnknownToken} from '../../domain/errors.js';
import {readJson} from '../body.js';
import {readForm, type FormBody} from '../forms.js';
import {route, type Route} from '../route.js';

/** A SAML response with its certificates is some tens of KiB; room for a large one. */
const ACS_BODY_BYTES = 1024 * 1024;
const SSO_BODY_BYTES = 16 * 1024;

/** Upstream's DOMAIN_RE: two labels or more of letters, digits, '-' and '_', neither first nor '-' last, 253 characters at most. */
const DOMAIN = /^(?=.{1,253}\.?$)(?:(?![-_])(?![^.]+_)[A-Za-z0-9_-]+(?<!-)(?:\.|$)){2,63}$/;

const redirect = (location: string) => ({status: 302, headers: {Location: location}, raw: {contentType: 'text/html; charset=utf-8', text: ''}});

export const samlRoutes: Route[] = [
  route({
    method: 'POST',
    path: '/saml/sso',
    audit: false,
    tag: 'saml',
    summary: "Starts a SAML login: the identity provider's URL with our request, and the saml_session_id to exchange for a token afterwards",
    maxBodyBytes: SSO_BODY_BYTES,
    noStore: true,
    readForm: readJson,
    responses: {200: '`location` and `saml_session_id`', 400: 'Missing or invalid `redirect_url` or `domain`', 500: 'No SAML configuration for the domain'},
    async handle({form, services}) {
      const body = (form ?? {}) as Record<string, unknown>;
      const redirectUrl = body.redirect_url;
      const domain = body.domain;
      if (typeof redirectUrl !== 'string' || redirectUrl.length === 0) throw new SamlParamInvalid('redirect_url');
      if (typeof domain !== 'string' || !DOMAIN.test(domain)) throw new SamlParamInvalid('domain');
      return {status: 200, body: await services.saml.startLogin(redirectUrl, domain)};
    },
  }),
  route({
    method: 'POST',
    path: '/saml/acs',
    audit: false,
    tag: 'saml',
    summary: "The identity provider's answer, posted by the browser: on to `redirect_url`, or to `redirect_url?login_failure_code=500` when refused",
    maxBodyBytes: ACS_BODY_BYTES,
    readForm: (req, maxBytes) => readForm(req, maxBytes, {parts: 8, fieldBytes: ACS_BODY_BYTES, fileBytes: 0}),
    responses: {302: 'To the application', 400: 'RelayState or SAMLResponse missing', 404: 'No SAML login has this RelayState'},
    async handle({form, services}) {
      const {fields} = form as FormBody;
      return redirect((await services.saml.completeLogin({RelayState: fields.RelayState, SAMLResponse: fields.SAMLResponse})).location);
    },
  }),
  route({
    method: 'GET',
    path: '/saml/logout',
    tag: 'saml',
    summary: "Ends a SAML login's token (X-Auth-Token or ?token=) and its refresh token; `location` is the identity provider's logout URL",
    noStore: true,
    responses: {200: '`location`', 404: 'No such token, or the token is not of a SAML login'},
    async handle({headers, rawQuery, services}) {
      const header = headers['x-auth-token'];
      const query = new URLSearchParams(rawQuery);
      const value = (typeof header === 'string' && header) || query.get('token');
      const token = value ? await services.tokens.find(value) : undefined;
      if (!token) throw new UnknownToken();
      const answer = await services.saml.startLogout(token.record.sessionUuid, token.record.refreshTokenUuid);
      await services.tokens.revoke(token.value);
      if (token.record.refreshTokenUuid) await services.tokens.revokeRefreshToken(token.record.authId, token.record.refreshTokenUuid);
      return {status: 200, body: answer};
    },
  }),
  route({
    method: 'GET',
    path: '/saml/sls',
    tag: 'saml',
    summary: "The identity provider's signed logout response: on to `redirect_url?logged_out=true`",
    responses: {302: 'To the application', 500: 'The logout response is refused'},
    async handle({rawQuery, services}) {
      return redirect((await services.saml.completeLogout(new URLSearchParams(rawQuery), rawQuery)).location);
    },
  }),
];

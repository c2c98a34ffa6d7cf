// SAML single sign-on, as upstream's SAMLService: a login starts at POST /saml/sso, comes back
// from the identity provider at the ACS, and is exchanged once for a token; single logout goes
// to the provider and back. Every step's state is in the store, so that any daemon sharing the
// database answers any step, and each step is taken once (a conditional state change).
// Signatures, audience, times and InResponseTo are node-saml's checks, all turned on.

import {createHash, randomBytes} from 'node:crypto';
import {readFile} from 'node:fs/promises';
import type {CacheProvider, Profile, SAML} from '@node-saml/node-saml';
import type {Clock} from '../clock.js';
import {SamlConfigRefused, SamlConfigurationError, SamlParamInvalid, SamlProcessingError, UnknownSamlConfig} from '../domain/errors.js';
import type {User} from '../domain/types.js';
import type {Logger} from '../log.js';
import {clientValue} from '../log.js';
import type {SamlConfigRecord, SamlSession, Store} from '../store/store.js';
import {attributesOf, InvalidMetadata, parseIdpMetadata} from './saml-metadata.js';

/** The claim Microsoft Entra ID names the user in; upstream's SAML library maps it to `name`. */
export const ENTRA_NAME_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name';
const SAML_ASSERTION = 'urn:oasis:names:tc:SAML:2.0:assertion';
const SAML_PROTOCOL = 'urn:oasis:names:tc:SAML:2.0:protocol';
/** Clocks of the provider and ours may differ by this much. */
const CLOCK_SKEW_MS = 5_000;

/** Where the browser goes after the ACS. */
export interface Redirect {
  location: string;
}

/** The app's URL with one more query parameter, as upstream's `?login_failure_code=` and `?logged_out=`. */
function withParam(url: string, name: string, value: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams({[name]: value}).toString()}`;
}

/** Our single logout endpoint beside the configured ACS (`.../saml/acs` -> `.../saml/sls`). */
function slsUrlOf(acsUrl: string): string {
  return acsUrl.replace(/\/acs\/?$/, '/sls');
}

/** The RelayState of a saml_session_id: its digest (upstream's), so the id itself is never stored nor sent to the provider. */
export function relayStateOf(samlSessionId: string): string {
  return createHash('sha256').update(samlSessionId).digest('base64url');
}

/** A cache of node-saml's that knows one request id: the pending one this step checks. */
function knowing(requestId: string | null, value: string): CacheProvider & {saved?: string} {
  const cache: CacheProvider & {saved?: string} = {
    async saveAsync(key) {
      cache.saved = key;
      return {value, createdAt: Date.now()};
    },
    async getAsync(key) {
      return requestId !== null && key === requestId ? value : null;
    },
    async removeAsync(key) {
      return key;
    },
  };
  return cache;
}

/** The `saml` configuration keys this service reads. */
export interface SamlSettings {
  key_file: string;
  cert_file: string;
  saml_login_timeout_seconds: number;
  saml_session_lifetime_seconds: number;
}

export class SamlService {
  private keys: {key: string; cert: string} | undefined;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: SamlSettings,
    private readonly log: Logger,
  ) {}

  private now(): number {
    return Math.floor(this.clock.nowMicros() / 1000);
  }

  /** The service provider's key pair, read once it is first needed (an install without SAML has none). */
  private async spKeys(domain: string): Promise<{key: string; cert: string}> {
    if (this.keys) return this.keys;
    try {
      const [key, cert] = await Promise.all([readFile(this.settings.key_file, 'utf8'), readFile(this.settings.cert_file, 'utf8')]);
      return (this.keys = {key, cert});
    } catch (error) {
      this.log.error(`SAML: cannot read the service provider's key_file or cert_file: ${(error as Error).message}`);
      throw new SamlConfigurationError(domain, '"key_file" or "cert_file" are missing from the SAML configuration');
    }
  }

  /** node-saml for a tenant's configuration, every check on; `cache` knows the request being answered. */
  private async client(config: SamlConfigRecord, domain: string, cache: CacheProvider): Promise<SAML> {
    let idp;
    try {
      idp = parseIdpMetadata(config.idpMetadata);
    } catch (error) {
      this.log.error(`SAML: the metadata of tenant ${config.tenantUuid} is unusable: ${(error as Error).message}`);
      throw new SamlConfigurationError(domain);
    }
    const {key} = await this.spKeys(domain);
    // Loaded at the first SAML login: node-saml and its XML libraries are about 100 modules.
    const {SAML, ValidateInResponseTo} = await import('@node-saml/node-saml');
    return new SAML({
      issuer: config.entityId,
      callbackUrl: config.acsUrl,
      logoutCallbackUrl: slsUrlOf(config.acsUrl),
      entryPoint: idp.ssoUrl,
      ...(idp.sloUrl ? {logoutUrl: idp.sloUrl} : {}),
      idpCert: idp.certs,
      idpIssuer: idp.entityId,
      audience: config.entityId,
      privateKey: key,
      signatureAlgorithm: 'sha256',
      digestAlgorithm: 'sha256',
      wantAuthnResponseSigned: true,
      wantAssertionsSigned: true,
      validateInResponseTo: ValidateInResponseTo.always,
      requestIdExpirationPeriodMs: this.settings.saml_login_timeout_seconds * 1000,
      acceptedClockSkewMs: CLOCK_SKEW_MS,
      // The provider's choice of NameID format, as upstream asks for none.
      identifierFormat: null,
      disableRequestedAuthnContext: true,
      cacheProvider: cache,
    });
  }

  /** POST /saml/sso: the provider's URL with our signed AuthnRequest, and the id the app exchanges later. */
  async startLogin(redirectUrl: string, domain: string): Promise<{location: string; saml_session_id: string}> {
    const config = await this.store.samlConfigs.findByDomainName(domain);
    if (!config) throw new SamlConfigurationError(domain);
    const samlSessionId = randomBytes(16).toString('base64url');
    const relayState = relayStateOf(samlSessionId);
    const cache = knowing(null, '');
    const client = await this.client(config, domain, cache);
    const location = await client.getAuthorizeUrlAsync(relayState, undefined, {});
    if (!cache.saved) throw new Error('node-saml made a request without an ID');
    const now = this.now();
    await this.store.samlSessions.create({
      requestId: cache.saved,
      relayState,
      tenantUuid: config.tenantUuid,
      domain: config.domainName,
      redirectUrl,
      state: 'pending',
      createdAt: now,
      expiresAt: now + this.settings.saml_login_timeout_seconds * 1000,
      login: null,
      nameId: null,
      nameIdFormat: null,
      nameQualifier: null,
      spNameQualifier: null,
      sessionIndex: null,
      tokenSessionUuid: null,
      refreshTokenUuid: null,
      logoutRequestId: null,
    });
    return {location, saml_session_id: samlSessionId};
  }

  /**
   * POST /saml/acs: the provider's answer. Taken once: a second post of it (a replay), one for
   * another request or too late, a bad signature or an assertion for someone else sends the
   * browser back to the app with `login_failure_code` and forgets the login.
   */
  async completeLogin(form: {RelayState?: string | undefined; SAMLResponse?: string | undefined}): Promise<Redirect> {
    if (!form.RelayState || !form.SAMLResponse) throw new SamlParamInvalid('RelayState and/or SAMLResponse');
    const session = await this.store.samlSessions.findByRelayState(form.RelayState);
    if (!session) throw new SamlProcessingError('Context not found', 404);
    const fail = async (why: string, forget = true): Promise<Redirect> => {
      this.log.warning(`SAML: login of ${clientValue(session.domain)} refused: ${clientValue(why)}`);
      if (forget) await this.store.samlSessions.delete(session.requestId);
      return {location: withParam(session.redirectUrl, 'login_failure_code', '500')};
    };
    const now = this.now();
    const claimed = await this.store.samlSessions.transition(session.requestId, 'pending', now, {state: 'checking'});
    if (!claimed) {
      if (session.expiresAt <= now) return fail('the login timed out');
      // The login is another request's (the first post of this answer, maybe on another
      // daemon): refused here, it stays that request's.
      return fail('the answer was already received (replay)', false);
    }
    const config = await this.store.samlConfigs.get(session.tenantUuid);
    if (!config) return fail('the tenant has no SAML configuration any more');

    let profile: Profile | null;
    try {
      // node-saml reads the value as the request's date, on the system clock; the login timeout is
      // enforced above, on the daemon's clock, when the session was claimed.
      const client = await this.client(config, session.domain, knowing(session.requestId, new Date().toISOString()));
      ({profile} = await client.validatePostResponseAsync({SAMLResponse: form.SAMLResponse, RelayState: form.RelayState}));
    } catch (error) {
      return fail((error as Error).message);
    }
    if (!profile) return fail('no assertion');
    const problem = this.recipientProblem(profile, form.SAMLResponse, config.acsUrl);
    if (problem) return fail(problem);
    const login = loginOf(profile);
    if (!login) return fail(`the assertion has no ${ENTRA_NAME_CLAIM} nor name attribute`);

    const done = await this.store.samlSessions.transition(session.requestId, 'checking', this.now(), {
      state: 'authenticated',
      login,
      nameId: profile.nameID,
      nameIdFormat: profile.nameIDFormat,
      nameQualifier: profile.nameQualifier ?? null,
      spNameQualifier: profile.spNameQualifier ?? null,
      sessionIndex: profile.sessionIndex ?? null,
    });
    if (!done) return fail('the login timed out');
    return {location: session.redirectUrl};
  }

  /**
   * node-saml checks the audience but not where the answer was meant to go: the signed
   * assertion's SubjectConfirmationData Recipient, and the signed Response's Destination, must
   * be our ACS.
   */
  private recipientProblem(profile: Profile, samlResponse: string, acsUrl: string): string | undefined {
    const assertion = profile.getAssertionXml?.() ?? '';
    const recipients = attributesOf(assertion, SAML_ASSERTION, 'SubjectConfirmationData', 'Recipient');
    if (recipients.length === 0 || recipients.some((r) => r !== acsUrl)) return 'the assertion is for another recipient';
    const [destination] = attributesOf(Buffer.from(samlResponse, 'base64').toString('utf8'), SAML_PROTOCOL, 'Response', 'Destination');
    if (destination && destination !== acsUrl) return 'the response is for another destination';
    return undefined;
  }

  /**
   * POST /token with a saml_session_id: the login it names, taken once and within
   * saml_login_timeout_seconds; then kept saml_session_lifetime_seconds for its logout.
   */
  async redeem(samlSessionId: string): Promise<{session: SamlSession; user: User} | undefined> {
    const session = await this.store.samlSessions.findByRelayState(relayStateOf(samlSessionId));
    if (!session || session.state !== 'authenticated' || !session.login) return undefined;
    const now = this.now();
    const used = await this.store.samlSessions.transition(session.requestId, 'authenticated', now, {
      state: 'used',
      expiresAt: now + this.settings.saml_session_lifetime_seconds * 1000,
    });
    if (!used) return undefined;
    // A confirmed e-mail address first, then a username, as upstream.
    const byEmail = await this.store.samlSessions.userByConfirmedEmail(session.login);
    const user = byEmail ? await this.store.users.get(byEmail) : (await this.store.users.findByLogin(session.login))?.user;
    if (!user?.enabled || user.tenantUuid !== session.tenantUuid) {
      this.log.info(`SAML: no enabled user of the tenant for ${clientValue(session.login)}`);
      return undefined;
    }
    return {session: used, user};
  }

  /** Notes the token a SAML login became: its logout finds the login by them. */
  async noteToken(samlSessionId: string, tokenSessionUuid: string, refreshTokenUuid: string | null): Promise<void> {
    const session = await this.store.samlSessions.findByRelayState(relayStateOf(samlSessionId));
    if (!session) return;
    await this.store.samlSessions.transition(session.requestId, 'used', this.now(), {tokenSessionUuid, refreshTokenUuid});
  }

  /**
   * GET /saml/logout: the provider's URL with our signed LogoutRequest, or, when the provider
   * offers no single logout, the app's URL with `logged_out=true` (the login then forgotten).
   */
  async startLogout(tokenSessionUuid: string, refreshTokenUuid: string | null): Promise<{location: string}> {
    const session = await this.store.samlSessions.findExchanged(tokenSessionUuid, refreshTokenUuid);
    if (!session?.nameId) throw new SamlProcessingError('Context not found', 404);
    const config = await this.store.samlConfigs.get(session.tenantUuid);
    const idp = config ? safeMetadata(config.idpMetadata) : undefined;
    if (!config || !idp?.sloUrl) {
      await this.store.samlSessions.delete(session.requestId);
      return {location: withParam(session.redirectUrl, 'logged_out', 'true')};
    }
    const relayState = randomBytes(32).toString('base64url');
    const cache = knowing(null, '');
    const client = await this.client(config, session.domain, cache);
    const location = await client.getLogoutUrlAsync(
      {
        issuer: idp.entityId,
        nameID: session.nameId,
        nameIDFormat: session.nameIdFormat ?? 'urn:oasis:names:tc:SAML:2.0:nameid-format:unspecified',
        ...(session.nameQualifier ? {nameQualifier: session.nameQualifier} : {}),
        ...(session.spNameQualifier ? {spNameQualifier: session.spNameQualifier} : {}),
        ...(session.sessionIndex ? {sessionIndex: session.sessionIndex} : {}),
      } as Profile,
      relayState,
      {},
    );
    const changed = await this.store.samlSessions.transition(session.requestId, session.state, this.now(), {
      state: 'logging-out',
      relayState,
      logoutRequestId: cache.saved ?? null,
    });
    if (!changed) throw new SamlProcessingError('Context not found', 404);
    return {location};
  }

  /** GET /saml/sls: the provider's signed LogoutResponse; the login is forgotten and the browser sent to the app. */
  async completeLogout(query: URLSearchParams, rawQuery: string): Promise<Redirect> {
    const refuse = (why: string) => new SamlProcessingError(`Unable to process logout request response (${why})`);
    const relayState = query.get('RelayState');
    const response = query.get('SAMLResponse');
    if (!relayState || !response) throw refuse('RelayState and/or SAMLResponse missing');
    // node-saml accepts an unsigned LogoutResponse on this binding: the signature is required here.
    if (!query.get('Signature') || !query.get('SigAlg')) throw refuse('the response is not signed');
    const session = await this.store.samlSessions.findByRelayState(relayState);
    if (!session || session.state !== 'logging-out') throw refuse('Context not found');
    const config = await this.store.samlConfigs.get(session.tenantUuid);
    if (!config) throw refuse('Context not found');
    try {
      const client = await this.client(config, session.domain, knowing(session.logoutRequestId, new Date().toISOString()));
      const {loggedOut} = await client.validateRedirectAsync(
        {SAMLResponse: response, RelayState: relayState, Signature: query.get('Signature')!, SigAlg: query.get('SigAlg')!},
        rawQuery,
      );
      if (!loggedOut) throw new Error('not a logout response');
    } catch (error) {
      if (error instanceof SamlConfigurationError) throw error;
      throw refuse((error as Error).message);
    }
    await this.store.samlSessions.delete(session.requestId);
    return {location: withParam(session.redirectUrl, 'logged_out', 'true')};
  }

  /** Our service provider metadata for a tenant (entity id, ACS, SLS, signing certificate): what the provider's administrator needs. */
  async serviceProviderMetadata(tenantUuid: string): Promise<string> {
    const config = await this.store.samlConfigs.get(tenantUuid);
    if (!config) throw new UnknownSamlConfig(tenantUuid);
    let keys;
    try {
      keys = await this.spKeys('');
    } catch {
      throw new SamlConfigRefused(tenantUuid, '"key_file" or "cert_file" are missing from the SAML configuration', 500);
    }
    const client = await this.client(config, '', knowing(null, ''));
    return client.generateServiceProviderMetadata(null, keys.cert);
  }

  /** Forgets logins past their time, in batches. */
  async removeExpired(batchSize: number): Promise<number> {
    let total = 0;
    for (;;) {
      const removed = await this.store.samlSessions.deleteExpired(this.now(), batchSize);
      total += removed;
      if (removed < batchSize) return total;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

function safeMetadata(xml: string) {
  try {
    return parseIdpMetadata(xml);
  } catch (error) {
    if (error instanceof InvalidMetadata) return undefined;
    throw error;
  }
}

/** The user's login in the assertion: Entra's name claim, else an attribute named `name`. */
function loginOf(profile: Profile): string | undefined {
  for (const key of [ENTRA_NAME_CLAIM, 'name']) {
    const value = profile[key];
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === 'string' && first.length > 0) return first;
  }
  return undefined;
}

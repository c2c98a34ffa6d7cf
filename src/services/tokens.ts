// The token life cycle: logins (password or refresh token), lookups on the hot path,
// revocation and the background removal of expired tokens.

import {busEvents, type SessionRef} from './events/bus-events.js';
import {EventOutbox} from './events/outbox.js';
import {createHmac, randomUUID} from 'node:crypto';
import {assertTokenAcl, type AccessCheck, type AclLimits} from '../acl/index.js';
import type {Clock} from '../clock.js';
import {SharedAccessChecks} from './access-checks.js';
import {tokenDigest} from '../store/digest.js';
import {AuthenticationFailed, TooManySessions} from '../domain/errors.js';
import type {RefreshToken, TokenRecord, User} from '../domain/types.js';
import type {Store} from '../store/store.js';
import type {Authenticated, AuthenticationService} from './authentication.js';
import {addressKey, type LoginThrottle} from './login-throttle.js';
import {hashesFor} from './hash-pool.js';
import {tenantLineage} from './tenants.js';
import {localIso, utcIso} from './time-format.js';

export interface LoginRequest {
  /** Basic credentials; absent for a refresh-token grant. */
  credentials?: {login: string; password: string};
  refreshToken?: string;
  /** What POST /saml/sso gave, once the provider has answered (the saml identity provider's). */
  samlSessionId?: string;
  clientId?: string;
  /** The tenant a directory login names (upstream's deprecated `tenant_id`: its uuid or slug)... */
  tenantId?: string;
  /** ...or one of its domain names (`domain_name`). */
  domainName?: string;
  accessType: 'online' | 'offline';
  expiration?: number;
  mobile: boolean;
  remoteAddr: string;
  userAgent: string;
}

/** A live token: its record and its compiled ACL. */
export interface LiveToken {
  value: string;
  record: TokenRecord;
  check: AccessCheck;
  tenantUuid: string | null;
}

export interface TokenSettings {
  defaultLifetime: number;
  maxUserSessions: number;
  xivoUuid: string;
  /** Key of the HMAC that derives refresh-token values; never stored in the database. */
  refreshTokenKey: Buffer;
  /** The policy whose ACL comes first in every token: upstream's default_user_policy... */
  defaultUserPolicy: string | null;
  /**
   * ...or its deprecated backend_policies entry for the backend that authenticated the login (the
   * identity provider chooses it; what a client sends as `backend` selects nothing).
   */
  backendPolicies: Record<string, string>;
  aclLimits: AclLimits;
}

/** Upstream's auth_id and user agent of the tokens wazo-auth mints for its mails' links. */
export const ONE_SHOT_AUTH_ID = 'wazo-auth';
export const ONE_SHOT_USER_AGENT = 'wazo-auth-email-reset';

/** Upstream's token dict, fields in upstream's order. */
export function tokenView(
  value: string,
  record: TokenRecord,
  times: {issuedMicros: number; expiresMicros: number},
  refreshToken?: string,
): Record<string, unknown> {
  return {
    token: value,
    auth_id: record.authId,
    xivo_user_uuid: record.pbxUserUuid,
    xivo_uuid: record.xivoUuid,
    issued_at: localIso(times.issuedMicros),
    expires_at: localIso(times.expiresMicros),
    utc_issued_at: utcIso(times.issuedMicros),
    utc_expires_at: utcIso(times.expiresMicros),
    acl: record.acl,
    metadata: record.metadata,
    session_uuid: record.sessionUuid,
    remote_addr: record.remoteAddr,
    user_agent: record.userAgent,
    ...(refreshToken === undefined ? {} : {refresh_token: refreshToken}),
  };
}

/** The session a revoked token ended, as its record tells it: upstream names the token's tenant and auth_id. */
function sessionOfToken(token: TokenRecord): SessionRef {
  const tenant = token.metadata.tenant_uuid;
  return {uuid: token.sessionUuid, tenantUuid: typeof tenant === 'string' ? tenant : '', userUuid: token.authId};
}

export class TokenService {
  /** Each record's compiled ACL, shared with the records of the same ACL; the store keeps the records the daemon still needs. */
  private readonly checks = new WeakMap<TokenRecord, AccessCheck>();
  private readonly sharedChecks = new SharedAccessChecks();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly settings: TokenSettings,
    private readonly throttle: LoginThrottle,
    private readonly authentication: AuthenticationService,
    private readonly events: EventOutbox,
  ) {}

  /**
   * POST /token: authenticates and issues a token; `sessionsRevoked` feeds `Wazo-Sessions-Revoked`
   * and `login` names who logged in (for a refresh-token grant, the login that obtained it).
   */
  async login(request: LoginRequest): Promise<{data: Record<string, unknown>; sessionsRevoked: number; login: string}> {
    const {user, login, backend: backendName, viaRefresh} = await this.authenticate(request);
    const cap = this.settings.maxUserSessions;
    if (user.purpose !== 'internal' && (await this.store.tokens.countSessions(user.uuid, cap)) >= cap) {
      throw new TooManySessions(user.uuid);
    }
    const backend = this.authentication.backend(backendName);
    const acl = await this.aclOf(backendName, await backend.acl(user));
    const metadata = await backend.metadata(user);

    let sessionsRevoked = 0;
    let refresh: {row: RefreshToken; value: string} | undefined;
    if (viaRefresh) {
      refresh = {row: viaRefresh, value: request.refreshToken!};
    } else if (request.accessType === 'offline') {
      const issued = await this.issueRefreshToken(user, login, backendName, request);
      refresh = issued.refresh;
      sessionsRevoked = issued.sessionsRevoked;
    }

    const nowMicros = this.clock.nowMicros();
    const expiration = request.expiration ?? this.settings.defaultLifetime;
    const expiresMicros = nowMicros + expiration * 1_000_000;
    const value = randomUUID();
    // As upstream, the token's PBX user and xivo_uuid are what its metadata says; its auth_id is
    // always the user who authenticated, whatever a metadata plugin writes.
    const record: TokenRecord = {
      digest: tokenDigest(value),
      sessionUuid: randomUUID(),
      authId: user.uuid,
      pbxUserUuid: typeof metadata.pbx_user_uuid === 'string' ? metadata.pbx_user_uuid : null,
      xivoUuid: typeof metadata.xivo_uuid === 'string' ? metadata.xivo_uuid : this.settings.xivoUuid,
      issuedAt: Math.floor(nowMicros / 1e6),
      expiresAt: Math.floor(expiresMicros / 1e6),
      acl,
      metadata,
      userAgent: request.userAgent,
      remoteAddr: request.remoteAddr,
      refreshTokenUuid: refresh?.row.uuid ?? null,
    };
    const session = {uuid: record.sessionUuid, tenantUuid: user.tenantUuid, userUuid: user.uuid, mobile: request.mobile, createdAt: record.issuedAt};
    await this.events.record(
      () => this.store.tokens.create(session, record),
      (_, origin) => [busEvents.sessionCreated(session, origin)],
    );
    // Compiled now rather than at the token's first check, which is on the hot path.
    this.checkOf(record);
    const shownRefresh = !viaRefresh && refresh ? refresh.value : undefined;
    return {data: tokenView(value, record, {issuedMicros: nowMicros, expiresMicros}, shownRefresh), sessionsRevoked, login};
  }

  /**
   * A token for a mail's link (a password reset, an address confirmation): upstream's auth_id
   * `wazo-auth`, only `acl`, `lifetime` seconds. It acts in the user's tenant, and its session is
   * the user's, so that a password change, which ends the user's sessions, also revokes it.
   */
  async issueOneShot(user: Pick<User, 'uuid' | 'tenantUuid'>, acl: string[], lifetime: number): Promise<string> {
    const value = randomUUID();
    const now = Math.floor(this.clock.nowMicros() / 1e6);
    const record: TokenRecord = {
      digest: tokenDigest(value),
      sessionUuid: randomUUID(),
      authId: ONE_SHOT_AUTH_ID,
      pbxUserUuid: null,
      xivoUuid: this.settings.xivoUuid,
      issuedAt: now,
      expiresAt: now + lifetime,
      acl,
      metadata: {tenant_uuid: user.tenantUuid},
      userAgent: ONE_SHOT_USER_AGENT,
      remoteAddr: '',
      refreshTokenUuid: null,
    };
    await this.store.tokens.create({uuid: record.sessionUuid, tenantUuid: user.tenantUuid, userUuid: user.uuid, mobile: false, createdAt: now}, record);
    return value;
  }

  /** The live token with this value, or undefined when unknown, revoked or expired. */
  async find(value: string): Promise<LiveToken | undefined> {
    const record = await this.store.tokens.findByDigest(tokenDigest(value));
    if (!record || this.clock.nowMicros() > record.expiresAt * 1e6) return undefined;
    const tenant = record.metadata.tenant_uuid;
    return {value, record, check: this.checkOf(record), tenantUuid: typeof tenant === 'string' ? tenant : null};
  }

  private checkOf(record: TokenRecord): AccessCheck {
    let check = this.checks.get(record);
    if (!check) {
      const context = {authId: record.authId, sessionUuid: record.sessionUuid};
      this.checks.set(record, (check = this.sharedChecks.of(record.acl, context, this.settings.aclLimits.maxAccessLength)));
    }
    return check;
  }

  /** GET /token/{token}: the stored token, times as read back from whole seconds. */
  view(token: LiveToken): Record<string, unknown> {
    return tokenView(token.value, token.record, {
      issuedMicros: token.record.issuedAt * 1e6,
      expiresMicros: token.record.expiresAt * 1e6,
    });
  }

  /** Whether `tenantUuid` is the token's tenant or below it. */
  async coversTenant(token: LiveToken, tenantUuid: string): Promise<boolean> {
    if (!token.tenantUuid) return false;
    // Up from the tenant asked about: a few parents, where the token's whole subtree may be thousands.
    return tenantUuid === token.tenantUuid || (await tenantLineage(this.store, tenantUuid)).includes(token.tenantUuid);
  }

  /** Revokes a token and its session; unknown tokens are not an error. */
  async revoke(value: string): Promise<void> {
    await this.events.record(
      () => this.store.tokens.deleteByDigest(tokenDigest(value)),
      (token, origin) => (token ? [busEvents.sessionDeleted(sessionOfToken(token), origin)] : []),
    );
  }

  /** Removes expired tokens in batches, yielding between them so requests are not held up. */
  async removeExpired(batchSize: number): Promise<number> {
    const now = Math.floor(this.clock.nowMicros() / 1e6);
    let total = 0;
    for (;;) {
      const removed = await this.events.record(
        () => this.store.tokens.deleteExpired(now, batchSize),
        (sessions, origin) => EventOutbox.sessionsDeleted(sessions, origin),
      );
      total += removed.length;
      if (removed.length < batchSize) return total;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * The refresh token with this value, when `clientId` owns it, and its user when enabled: what a
   * refresh-token grant stands on (the refresh_token identity provider's lookup).
   */
  async refreshGrant(value: string, clientId: string | undefined): Promise<{row: RefreshToken; user: User} | undefined> {
    const row = await this.store.refreshTokens.findByDigest(tokenDigest(value));
    if (!row || row.clientId !== clientId) return undefined;
    const user = await this.store.users.get(row.userUuid);
    return user?.enabled ? {row, user} : undefined;
  }

  /**
   * Has the identity providers judge the login unless the client must wait (LoginThrottled) or
   * the hash queue is full (HashQueueFull, not counted as a failure): neither spends a hash, and a
   * throttled login that exists answers as one that does not.
   */
  private async authenticate(request: LoginRequest): Promise<Authenticated> {
    const claimed = request.refreshToken === undefined ? request.credentials?.login : undefined;
    const attempt = await this.throttle.check(claimed, request.remoteAddr);
    let authenticated: Authenticated;
    try {
      // The hashes it spends take turns with other addresses' (hash-pool.ts).
      authenticated = await hashesFor(addressKey(request.remoteAddr), () => this.authentication.verify(request));
    } catch (error) {
      if (error instanceof AuthenticationFailed) await attempt.failed();
      throw error;
    }
    await attempt.succeeded();
    return authenticated;
  }

  /** The backend's policy first, then the backend's accesses of the user, each access once, within the limit. */
  private async aclOf(backend: string, own: string[]): Promise<string[]> {
    const {backendPolicies, defaultUserPolicy} = this.settings;
    const name = Object.hasOwn(backendPolicies, backend) ? backendPolicies[backend]! : defaultUserPolicy;
    const base = name ? ((await this.store.policies.findByName(name))?.acl ?? []) : [];
    const acl = [...new Set([...base, ...own])];
    assertTokenAcl(acl, this.settings.aclLimits);
    return acl;
  }

  /** Upstream's rules: one refresh token per user and client; a mobile login replaces it and ends other mobile sessions. */
  private async issueRefreshToken(
    user: User,
    login: string,
    backend: string,
    request: LoginRequest,
  ): Promise<{refresh: {row: RefreshToken; value: string}; sessionsRevoked: number}> {
    const clientId = request.clientId!;
    let sessionsRevoked = 0;
    let row = await this.store.refreshTokens.findByClient(user.uuid, clientId);
    if (row && request.mobile) {
      sessionsRevoked += await this.purgeRefreshToken(row, user);
      row = undefined;
    }
    if (!row) {
      const uuid = randomUUID();
      const created: RefreshToken = {
        uuid,
        digest: tokenDigest(this.refreshTokenValue(uuid)),
        clientId,
        userUuid: user.uuid,
        backend,
        login,
        userAgent: request.userAgent,
        remoteAddr: request.remoteAddr,
        mobile: request.mobile,
        createdAt: Math.floor(this.clock.nowMicros() / 1e6),
      };
      row = await this.events.record(
        () => this.store.refreshTokens.create(created),
        (kept, origin) => [
          busEvents.refreshTokenCreated({clientId: kept.clientId, mobile: kept.mobile, tenantUuid: user.tenantUuid, userUuid: user.uuid}, origin),
        ],
      );
    }
    // A refresh token imported from upstream answers to upstream's value, which this daemon cannot
    // derive: from this login on, it answers to the value handed out here instead.
    const digest = tokenDigest(this.refreshTokenValue(row.uuid));
    if (row.digest !== digest) row = (await this.store.refreshTokens.setDigest(row.uuid, digest)) ?? row;
    if (request.mobile) {
      for (const other of await this.store.refreshTokens.listByUser(user.uuid, {mobile: true})) {
        if (other.uuid !== row.uuid) sessionsRevoked += await this.purgeRefreshToken(other, user);
      }
    }
    return {refresh: {row, value: this.refreshTokenValue(row.uuid)}, sessionsRevoked};
  }

  /** Removes a user's refresh token by its uuid, with the sessions it made (a SAML logout's). */
  async revokeRefreshToken(userUuid: string, refreshTokenUuid: string): Promise<void> {
    const row = (await this.store.refreshTokens.listByUser(userUuid)).find((r) => r.uuid === refreshTokenUuid);
    const user = row && (await this.store.users.get(userUuid));
    if (row && user) await this.purgeRefreshToken(row, user);
  }

  /** Ends the refresh token's sessions, then the refresh token; all announced, as upstream. */
  private async purgeRefreshToken(row: RefreshToken, user: User): Promise<number> {
    const ref = {tenantUuid: user.tenantUuid, userUuid: user.uuid};
    const {sessions} = await this.events.record(
      async () => ({
        sessions: await this.store.tokens.deleteByRefreshToken(row.uuid),
        done: await this.store.refreshTokens.deleteByClient(row.userUuid, row.clientId),
      }),
      (removed, origin) => [
        ...EventOutbox.sessionsDeleted(
          removed.sessions.map((session) => ({...session, ...ref})),
          origin,
        ),
        ...(removed.done ? [busEvents.refreshTokenDeleted({clientId: row.clientId, mobile: row.mobile, ...ref}, origin)] : []),
      ],
    );
    return sessions.length;
  }

  /**
   * The value handed to the client: an HMAC of the row's uuid, shaped as a UUIDv4. It can be
   * given again on the next login with the same client, yet the database holds only its digest.
   */
  private refreshTokenValue(uuid: string): string {
    const bytes = createHmac('sha256', this.settings.refreshTokenKey).update(uuid).digest().subarray(0, 16);
    bytes[6] = (bytes[6]! & 0x0f) | 0x40;
    bytes[8] = (bytes[8]! & 0x3f) | 0x80;
    const hex = bytes.toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }
}

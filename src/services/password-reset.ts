// Forgotten passwords, as upstream: GET /users/password/reset mails a link carrying a token that
// may only set this user's password (`auth.users.password.reset.{uuid}.create`), and POST sets
// it with that token or an administrator's.
//
// The request answers before anything is looked up: the lookup, the token and the mail are a job
// of the mail queue, so an unknown user and a known one cost the request the same work.

import {BoundedMap} from '../bounded-map.js';
import type {Clock} from '../clock.js';
import type {User} from '../domain/types.js';
import type {Logger} from '../log.js';
import type {Store} from '../store/store.js';
import type {LinkParams, MailMessages} from './mail/messages.js';
import type {MailOutbox, OutgoingMail} from './mail/outbox.js';
import type {TenantService} from './tenants.js';
import type {TokenService} from './tokens.js';
import type {UserService} from './users.js';

/** Exactly one of upstream's query parameters. */
export type ResetLookup = {username: string} | {email: string} | {login: string};

/** Users whose last reset token is remembered (and revoked when a new one is mailed). */
const REMEMBERED_USERS = 10_000;

/** The address a reset mail goes to when the user was found by username or login: the main one if confirmed, else a confirmed one. */
export function confirmedAddress(user: User): string | undefined {
  return (user.emails.find((e) => e.main && e.confirmed) ?? user.emails.find((e) => e.confirmed))?.address;
}

export const resetAccess = (userUuid: string) => `auth.users.password.reset.${userUuid}.create`;

export class PasswordResetService {
  /** User -> the token of the last link mailed: a new mail revokes it, so a user has one live link. */
  private readonly lastToken = new BoundedMap<string, string>(REMEMBERED_USERS);
  /** User -> when its last reset mail went out (microseconds), for `password_reset_mail_interval`. */
  private readonly lastMailAt = new BoundedMap<string, number>(REMEMBERED_USERS);

  constructor(
    private readonly store: Store,
    private readonly tenants: TenantService,
    private readonly users: UserService,
    private readonly tokens: TokenService,
    private readonly outbox: MailOutbox,
    private readonly messages: MailMessages,
    private readonly settings: {expiration: number; mailInterval: number},
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  /** Queues the lookup and the mail; says nothing of whether the user exists. */
  request(lookup: ResetLookup, link: LinkParams): void {
    this.outbox.enqueue(() => this.prepare(lookup, link));
  }

  /** Sets the password (null removes it) of a user of the scoping tenant's tree; ends its sessions and its reset link. */
  async setPassword(scopeTenantUuid: string, userUuid: string, password: string | null): Promise<void> {
    await this.users.setPassword(scopeTenantUuid, userUuid, password);
    this.lastToken.delete(userUuid);
  }

  private async prepare(lookup: ResetLookup, link: LinkParams): Promise<OutgoingMail | undefined> {
    const user = await this.find(lookup);
    if (!user) {
      this.log.debug('password reset: no user matches the request, no mail');
      return undefined;
    }
    if (await this.users.usesExternalAuthentication(user)) {
      this.log.info(`password reset: no mail for user ${user.uuid}, its password is managed externally`);
      return undefined;
    }
    // Asked by address: that address, confirmed or not, as upstream; otherwise a confirmed one.
    const address = 'email' in lookup ? user.emails.find((e) => e.address === lookup.email)?.address : confirmedAddress(user);
    if (!address) {
      this.log.debug(`password reset: user ${user.uuid} has no confirmed address, no mail`);
      return undefined;
    }
    // Anyone may ask, as often as they like: a user gets one reset mail per interval at most.
    const now = this.clock.nowMicros();
    const last = this.lastMailAt.get(user.uuid);
    if (last !== undefined && now - last < this.settings.mailInterval * 1e6) {
      this.log.info(`password reset: user ${user.uuid} was mailed less than ${this.settings.mailInterval} s ago, no mail`);
      return undefined;
    }
    this.lastMailAt.set(user.uuid, now);
    const previous = this.lastToken.get(user.uuid);
    if (previous) await this.tokens.revoke(previous);
    const token = await this.tokens.issueOneShot(user, [resetAccess(user.uuid)], this.settings.expiration);
    this.lastToken.set(user.uuid, token);
    return this.messages.passwordReset({userUuid: user.uuid, username: user.username, address}, token, link);
  }

  private async find(lookup: ResetLookup): Promise<User | undefined> {
    if ('login' in lookup) return (await this.store.users.findByLogin(lookup.login))?.user;
    const everyTenant = await this.tenants.visibleTenants(await this.tenants.top(), true);
    const filters = 'username' in lookup ? {username: lookup.username} : {emailAddress: lookup.email};
    return (await this.store.users.list(everyTenant, {limit: 1}, filters)).items[0];
  }
}

// A user's e-mail addresses, replaced as a whole as upstream does: one main address, no address
// twice, none that is another user's login. A confirmed address is also a login.

import {randomUUID} from 'node:crypto';
import {type Email} from '../domain/types.js';
import {BoundedMap} from '../bounded-map.js';
import {ConflictError, EmailAlreadyConfirmed, InvalidEmailList, UnknownEmail, UserConflict} from '../domain/errors.js';
import {type Store} from '../store/store.js';
import type {LinkParams, MailMessages} from './mail/messages.js';
import type {MailOutbox} from './mail/outbox.js';
import type {TokenService} from './tokens.js';
import type {UserService} from './users.js';

/** What a confirmation mail needs beyond the addresses themselves. */
export interface ConfirmationMail {
  tokens: TokenService;
  outbox: MailOutbox;
  messages: MailMessages;
  /** Seconds a confirmation link works (`email_confirmation_expiration`). */
  expiration: number;
}

/**
 * The accesses of a confirmation link's token: the one its route requires, and upstream's
 * `.confirm.edit`, which upstream mints and no route of it requires.
 */
export const confirmationAcl = (emailUuid: string) => [`auth.emails.${emailUuid}.confirm.update`, `auth.emails.${emailUuid}.confirm.edit`];

/** Addresses whose last confirmation token is remembered (and revoked when a new one is mailed). */
const REMEMBERED_ADDRESSES = 10_000;

/** One address of the new list; `confirmed` is for administrators, null or absent keeps what the address had. */
export interface EmailChange {
  address: string;
  main: boolean;
  confirmed?: boolean | null;
}

/** Addresses differing only by case are one address: they are one login. */
const keyOf = (address: string) => address.toLowerCase();

function checkList(changes: readonly EmailChange[]): void {
  if (changes.length === 0) return;
  const mains = changes.filter((change) => change.main).length;
  if (mains > 1) throw new InvalidEmailList('Only one address should be main');
  if (mains === 0) throw new InvalidEmailList('At least one address should be main');
  if (new Set(changes.map((change) => keyOf(change.address))).size !== changes.length) {
    throw new InvalidEmailList('The same address can only be used once');
  }
}

export class EmailService {
  /** Address -> the token of the last confirmation link mailed: one live link per address. */
  private readonly lastToken = new BoundedMap<string, string>(REMEMBERED_ADDRESSES);

  constructor(
    private readonly store: Store,
    private readonly users: UserService,
    private readonly mail: ConfirmationMail,
  ) {}

  /**
   * GET /users/{uuid}/emails/{email_uuid}/confirm: (re)sends the confirmation mail of an
   * unconfirmed address of a user of the scoping tenant's tree. The mail goes out after the answer.
   */
  async requestConfirmation(scopeTenantUuid: string, userUuid: string, emailUuid: string, link: LinkParams): Promise<void> {
    const user = await this.users.get(scopeTenantUuid, userUuid);
    const email = user.emails.find((e) => e.uuid === emailUuid);
    if (!email) throw new UnknownEmail(emailUuid);
    if (email.confirmed) throw new EmailAlreadyConfirmed(emailUuid);
    this.sendConfirmation(user, email, link);
  }

  /** Queues the confirmation mail of one of the user's addresses (registration, resend). */
  sendConfirmation(user: {uuid: string; tenantUuid: string; username: string | null}, email: Email, link: LinkParams): void {
    const {tokens, outbox, messages, expiration} = this.mail;
    outbox.enqueue(async () => {
      const previous = this.lastToken.get(email.uuid);
      if (previous) await tokens.revoke(previous);
      const token = await tokens.issueOneShot(user, confirmationAcl(email.uuid), expiration);
      this.lastToken.set(email.uuid, token);
      return messages.confirmation({userUuid: user.uuid, username: user.username, address: email.address}, email.uuid, token, link);
    });
  }

  /**
   * Replaces the addresses of a user of the scoping tenant's tree. An address kept from the old
   * list keeps its uuid and, unless `confirmed` says otherwise, its confirmation; a new one is
   * unconfirmed unless `confirmed` is true.
   */
  async replace(scopeTenantUuid: string, userUuid: string, changes: readonly EmailChange[]): Promise<Email[]> {
    checkList(changes);
    const user = await this.users.get(scopeTenantUuid, userUuid);
    for (const {address} of changes) await this.users.assertLoginFree(address, 'email_address', userUuid);
    const current = new Map(user.emails.map((email) => [keyOf(email.address), email]));
    const emails = changes.map((change): Email => {
      const kept = current.get(keyOf(change.address));
      return {
        uuid: kept?.uuid ?? randomUUID(),
        address: change.address,
        main: change.main,
        confirmed: change.confirmed ?? kept?.confirmed ?? false,
      };
    });
    try {
      await this.store.users.setEmails(userUuid, emails);
    } catch (error) {
      // An unconfirmed address of another user: not a login yet, but taken all the same.
      if (error instanceof ConflictError) throw new UserConflict('email_address', error.value);
      throw error;
    }
    return emails;
  }

  /** Confirms an address of a user of the scoping tenant's tree: it becomes a login. */
  async confirm(scopeTenantUuid: string, emailUuid: string): Promise<void> {
    const ownerUuid = await this.store.users.emailOwner(emailUuid);
    if (!ownerUuid || !(await this.users.find(scopeTenantUuid, ownerUuid))) throw new UnknownEmail(emailUuid);
    await this.store.users.confirmEmail(emailUuid);
    this.lastToken.delete(emailUuid);
  }
}

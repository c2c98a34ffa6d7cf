// A user's e-mail addresses replaced as a whole, part of the user store; addresses are unique
// across users regardless of case (the address_key column).
import type {Email} from '../../domain/types.js';
import type {UserStore} from '../store.js';
import {loginKey} from '../login-key.js';
import type {Db} from './database.js';
import {asConflict, asMissingReference} from './errors.js';

export function createEmailQueries(db: Db): Pick<UserStore, 'setEmails' | 'emailOwner' | 'confirmEmail'> {
  const removeAll = db.prepare<[string]>('DELETE FROM emails WHERE user_uuid = ?');
  const owner = db.prepare<[string], string>('SELECT user_uuid FROM emails WHERE uuid = ?').pluck();
  const confirm = db.prepare<[string]>('UPDATE emails SET confirmed = 1 WHERE uuid = ?');
  const insert = db.prepare(
    `INSERT INTO emails (uuid, user_uuid, address, address_key, main, confirmed)
     VALUES (@uuid, @userUuid, @address, @addressKey, @main, @confirmed)`,
  );

  const replace = db.transaction((userUuid: string, emails: Email[]) => {
    removeAll.run(userUuid);
    for (const email of emails) {
      try {
        insert.run({
          uuid: email.uuid,
          userUuid,
          address: email.address,
          addressKey: loginKey(email.address),
          main: email.main ? 1 : 0,
          confirmed: email.confirmed ? 1 : 0,
        });
      } catch (error) {
        const conflict = asConflict(error, {'emails.address_key': ['email', email.address], 'emails.uuid': ['email', email.address]});
        throw asMissingReference(conflict, `user ${userUuid} does not exist`);
      }
    }
  });

  return {
    async setEmails(userUuid: string, emails: Email[]): Promise<void> {
      replace(userUuid, emails);
    },
    async emailOwner(emailUuid: string): Promise<string | undefined> {
      return owner.get(emailUuid);
    },
    async confirmEmail(emailUuid: string): Promise<void> {
      confirm.run(emailUuid);
    },
  };
}

import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {userArgument} from '../../src/cli/name-args.js';
import {userUuid} from '../../src/cli/names.js';
import {throttleLines} from '../../src/cli/views.js';

export default class UserUnlock extends BaseCommand<typeof UserUnlock> {
  static override summary = "Clear a user's login throttling.";
  static override description = withExitCodes(
    'Forgets the failed logins counted against the username and e-mail addresses of a user (named by uuid or ' +
      'username), from every client address: its next logins are judged at once. Says on stderr what it cleared, ' +
      'one line per client address; prints nothing on stdout. A failed login counted for a client address as a ' +
      'whole (any login) is not cleared: it ends with its wait.',
  );
  static override examples = [
    {description: 'After checking who was guessing', command: '<%= config.bin %> user show alice\n<%= config.bin %> user unlock alice'},
  ];
  static override args = {user: userArgument};

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    const uuid = await userUuid(client, this.args.user);
    const {items} = await client.users.throttle(uuid);
    await client.users.unlock(uuid);
    for (const line of throttleLines(items)) this.note(`Cleared: ${line}.`);
    if (items.length === 0) this.note(`No failed login was counted against ${this.args.user}.`);
  }
}

import {isTabular} from '../../src/cli/output.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {unlessRefused} from '../../src/cli/failure.js';
import {userArgument} from '../../src/cli/name-args.js';
import {userUuid} from '../../src/cli/names.js';
import {ResourceCommand} from '../../src/cli/resource-command.js';
import {throttledUserRecord, userRecord, userRow} from '../../src/cli/views.js';

export default class UserShow extends ResourceCommand<typeof UserShow> {
  static override summary = 'Show a user.';
  static override description = withExitCodes(
    "Shows a user of the token's tenant or of a tenant below it, named by uuid or username: its names, e-mail " +
      'addresses, purpose, whether it is enabled, its tenant, and in a table the failed logins counted against it ' +
      'per client address when the token may read them (see `user unlock`). With --format plain, its uuid alone. ' +
      'Exits 1 when there is no such user.',
  );
  static override examples = [
    {description: 'By username', command: '<%= config.bin %> user show alice'},
    {description: 'Its uuid, for a script', command: 'uuid=$(<%= config.bin %> user show alice --format plain)'},
    {description: 'As YAML', command: '<%= config.bin %> user show 9f0c4a1e-2b3d-4e5f-8a9b-0c1d2e3f4a5b --format yaml'},
  ];
  static override args = {user: userArgument};

  async run() {
    const client = await this.authenticatedClient();
    const uuid = await userUuid(client, this.args.user);
    const [user, throttle] = await Promise.all([
      client.users.get(uuid),
      // Only a table shows it, and only to a token allowed to read it.
      isTabular(this.outputFormat) && !this.jsonEnabled() ? unlessRefused(client.users.throttle(uuid), 'unauthorized').then((list) => list?.items) : undefined,
    ]);
    return this.showRecord(user, throttle ? throttledUserRecord : userRecord, (shown) => userRow(shown, throttle));
  }
}

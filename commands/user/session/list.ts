import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {fetchList, listFlags} from '../../../src/cli/listing.js';
import {userArgument} from '../../../src/cli/name-args.js';
import {userUuid} from '../../../src/cli/names.js';
import {ResourceCommand} from '../../../src/cli/resource-command.js';
import {sessionList, sessionRow} from '../../../src/cli/views.js';
import {tenantNames, usernames} from '../../../src/cli/display-names.js';

export default class UserSessionList extends ResourceCommand<typeof UserSessionList> {
  static override summary = 'List the sessions of a user.';
  static override description = withExitCodes(
    'Lists the open sessions of the user (one per login that has not expired or been revoked), sorted by creation ' +
      'unless --order says expires_at or mobile. With --format plain, their uuids, one a line.',
  );
  static override examples = [
    {description: 'A table', command: '<%= config.bin %> user session list alice'},
    {description: 'The newest first, as JSON', command: '<%= config.bin %> user session list alice --order created_at --direction desc --json'},
  ];
  static override args = {user: userArgument};
  static override flags = listFlags;

  async run() {
    const client = await this.authenticatedClient();
    const uuid = await userUuid(client, this.args.user);
    const list = await fetchList(this.flags, (page) => client.users.listSessions(uuid, page));
    const [users, tenants] = this.tabular
      ? await Promise.all([
          usernames(client, [uuid]),
          tenantNames(
            client,
            list.items.map((session) => session.tenant_uuid),
          ),
        ])
      : [];
    return this.showList(list, sessionList, (session) => sessionRow(session, users!, tenants!));
  }
}

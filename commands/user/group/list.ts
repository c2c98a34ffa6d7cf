import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {fetchList, listFlags} from '../../../src/cli/listing.js';
import {userArgument} from '../../../src/cli/name-args.js';
import {userUuid} from '../../../src/cli/names.js';
import {ResourceCommand} from '../../../src/cli/resource-command.js';
import {groupList, groupRow} from '../../../src/cli/views.js';
import {tenantNames} from '../../../src/cli/display-names.js';

export default class UserGroupList extends ResourceCommand<typeof UserGroupList> {
  static override summary = 'List the groups of a user.';
  static override description = withExitCodes(
    "Lists the groups the user is a member of, its tenant's all-users group included, sorted by name unless --order " +
      'says uuid. With --format plain, their uuids, one a line.',
  );
  static override examples = [
    {description: 'A table', command: '<%= config.bin %> user group list alice'},
    {description: 'The names alone', command: "<%= config.bin %> user group list alice --json | jq -r '.items[].name'"},
  ];
  static override args = {user: userArgument};
  static override flags = listFlags;

  async run() {
    const client = await this.authenticatedClient();
    const uuid = await userUuid(client, this.args.user);
    const list = await fetchList(this.flags, (page) => client.users.listGroups(uuid, page));
    const names = this.tabular
      ? await tenantNames(
          client,
          list.items.map((group) => group.tenant_uuid),
        )
      : undefined;
    return this.showList(list, groupList, (group) => groupRow(group, names!));
  }
}

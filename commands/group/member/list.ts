import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {fetchList, listFlags} from '../../../src/cli/listing.js';
import {groupArgument} from '../../../src/cli/name-args.js';
import {groupUuid} from '../../../src/cli/names.js';
import {ResourceCommand} from '../../../src/cli/resource-command.js';
import {userList, userRow} from '../../../src/cli/views.js';

export default class GroupMemberList extends ResourceCommand<typeof GroupMemberList> {
  static override summary = 'List the members of a group.';
  static override description = withExitCodes(
    'Lists the users of the group (every user of the tenant, for an all-users group), sorted by username. With ' + '--format plain, their uuids, one a line.',
  );
  static override examples = [
    {description: 'A table', command: '<%= config.bin %> group member list support'},
    {description: 'Their usernames', command: "<%= config.bin %> group member list support --all --json | jq -r '.items[].username'"},
  ];
  static override args = {group: groupArgument};
  static override flags = listFlags;

  async run() {
    const client = await this.authenticatedClient();
    const uuid = await groupUuid(client, this.args.group);
    return this.showList(await fetchList(this.flags, (page) => client.groups.listUsers(uuid, page)), userList, userRow);
  }
}

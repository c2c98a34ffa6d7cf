import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {fetchList, listFlags} from '../../../src/cli/listing.js';
import {groupArgument} from '../../../src/cli/name-args.js';
import {groupUuid} from '../../../src/cli/names.js';
import {ResourceCommand} from '../../../src/cli/resource-command.js';
import {policyList} from '../../../src/cli/views.js';

export default class GroupPolicyList extends ResourceCommand<typeof GroupPolicyList> {
  static override summary = 'List the policies of a group.';
  static override description = withExitCodes(
    'Lists the policies the group gives its members, sorted by name unless --order says description or uuid. With ' +
      '--format plain, their uuids, one a line.',
  );
  static override examples = [
    {description: 'A table', command: '<%= config.bin %> group policy list support'},
    {
      description: 'Give another group the same policies',
      command: '<%= config.bin %> group policy list support --all --format plain | xargs <%= config.bin %> group policy add helpdesk',
    },
  ];
  static override args = {group: groupArgument};
  static override flags = listFlags;

  async run() {
    const client = await this.authenticatedClient();
    const uuid = await groupUuid(client, this.args.group);
    return this.showList(await fetchList(this.flags, (page) => client.groups.listPolicies(uuid, page)), policyList);
  }
}

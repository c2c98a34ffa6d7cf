import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {fetchList, listFlags} from '../../../src/cli/listing.js';
import {userArgument} from '../../../src/cli/name-args.js';
import {userUuid} from '../../../src/cli/names.js';
import {ResourceCommand} from '../../../src/cli/resource-command.js';
import {policyList} from '../../../src/cli/views.js';

export default class UserPolicyList extends ResourceCommand<typeof UserPolicyList> {
  static override summary = 'List the policies a user holds.';
  static override description = withExitCodes(
    'Lists the policies given to the user itself (not those it gets through its groups: see `group policy list`), ' +
      'sorted by name unless --order says description or uuid. With --format plain, their uuids, one a line.',
  );
  static override examples = [
    {description: 'A table', command: '<%= config.bin %> user policy list alice'},
    {
      description: 'Give bob every policy alice holds',
      command: '<%= config.bin %> user policy list alice --all --format plain | xargs <%= config.bin %> user policy add bob',
    },
  ];
  static override args = {user: userArgument};
  static override flags = listFlags;

  async run() {
    const client = await this.authenticatedClient();
    const uuid = await userUuid(client, this.args.user);
    return this.showList(await fetchList(this.flags, (page) => client.users.listPolicies(uuid, page)), policyList);
  }
}

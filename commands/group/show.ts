import {withExitCodes} from '../../src/cli/exit-codes.js';
import {groupArgument} from '../../src/cli/name-args.js';
import {groupUuid} from '../../src/cli/names.js';
import {ResourceCommand} from '../../src/cli/resource-command.js';
import {groupRecord} from '../../src/cli/views.js';

export default class GroupShow extends ResourceCommand<typeof GroupShow> {
  static override summary = 'Show a group.';
  static override description = withExitCodes(
    "Shows a group of the token's tenant or of a tenant below it, named by uuid or name. With --format plain, its " +
      'uuid alone. Exits 1 when there is no such group, or when several tenants have a group of that name (name it by ' +
      'uuid then).',
  );
  static override examples = [
    {description: 'By name', command: '<%= config.bin %> group show support'},
    {description: 'As JSON', command: '<%= config.bin %> group show support --json'},
  ];
  static override args = {group: groupArgument};

  async run() {
    const client = await this.authenticatedClient();
    return this.showRecord(await client.groups.get(await groupUuid(client, this.args.group)), groupRecord);
  }
}

import {Flags} from '@oclif/core';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {groupArgument} from '../../src/cli/name-args.js';
import {groupUuid} from '../../src/cli/names.js';
import {ResourceCommand} from '../../src/cli/resource-command.js';
import {groupRecord} from '../../src/cli/views.js';

export default class GroupUpdate extends ResourceCommand<typeof GroupUpdate> {
  static override summary = 'Rename a group.';
  static override description = withExitCodes(
    "Renames the group: its name is the one field that changes (its slug stays). A tenant's all-users group is " +
      'read-only: the daemon refuses with 403, exit 4. Prints the group as it is now; with --format plain, its uuid.',
  );
  static override examples = [{description: 'A new name', command: '<%= config.bin %> group update support --name helpdesk'}];
  static override args = {group: groupArgument};
  static override flags = {name: Flags.string({summary: 'New name, unique in its tenant', required: true, helpValue: 'TEXT'})};

  async run() {
    const client = await this.authenticatedClient();
    const uuid = await groupUuid(client, this.args.group);
    return this.showRecord(await client.groups.update(uuid, {name: this.flags.name}), groupRecord);
  }
}

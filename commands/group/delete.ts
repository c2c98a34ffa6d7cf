import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {groupsArgument} from '../../src/cli/name-args.js';
import {groupUuid} from '../../src/cli/names.js';
import {confirm, confirmFlags, plural} from '../../src/cli/confirm.js';

export default class GroupDelete extends BaseCommand<typeof GroupDelete> {
  static override summary = 'Delete groups.';
  static override description = withExitCodes(
    'Deletes each group named (uuid or name); its members stay, and lose the policies the group gave them. An ' +
      'all-users group cannot be deleted (the daemon refuses with 403: exit 4). Every name is looked up first: if one is unknown, none is deleted. ' +
      'Says on stderr what it deleted; prints nothing on stdout.',
  );
  static override examples = [{description: 'Two groups', command: '<%= config.bin %> group delete support sales'}];
  static override args = {groups: groupsArgument};
  static override flags = confirmFlags;

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    const uuids = await Promise.all(this.args.groups.map((name) => groupUuid(client, name)));
    await confirm(`delete ${plural('group', this.args.groups)}`, this.flags.yes);
    for (const [index, uuid] of uuids.entries()) {
      await client.groups.delete(uuid);
      this.note(`Deleted group ${this.args.groups[index]}.`);
    }
  }
}

import {BaseCommand} from '../../../src/cli/base-command.js';
import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {groupsArgument, userArgument} from '../../../src/cli/name-args.js';
import {groupUuid, userUuid} from '../../../src/cli/names.js';
import {confirm, confirmFlags, plural} from '../../../src/cli/confirm.js';

export default class UserGroupRemove extends BaseCommand<typeof UserGroupRemove> {
  static override summary = 'Remove a user from groups.';
  static override description = withExitCodes(
    'Takes the user out of each group named (uuid or name); removing a user that is not a member succeeds. A ' +
      "tenant's all-users group cannot be left (the daemon refuses with 403: exit 4). Says on stderr what it did; prints nothing on stdout.",
  );
  static override examples = [{description: 'One group', command: '<%= config.bin %> user group remove alice sales'}];
  static override args = {user: userArgument, groups: groupsArgument};
  static override flags = confirmFlags;

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    const uuid = await userUuid(client, this.args.user);
    const groups = await Promise.all(this.args.groups.map((name) => groupUuid(client, name)));
    await confirm(`remove user ${this.args.user} from ${plural('group', this.args.groups)}`, this.flags.yes);
    for (const [index, group] of groups.entries()) {
      await client.groups.removeUser(group, uuid);
      this.note(`${this.args.user} is not a member of ${this.args.groups[index]}.`);
    }
  }
}

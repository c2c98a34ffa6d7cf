import {BaseCommand} from '../../../src/cli/base-command.js';
import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {groupArgument, usersArgument} from '../../../src/cli/name-args.js';
import {groupUuid, userUuid} from '../../../src/cli/names.js';
import {confirm, confirmFlags, plural} from '../../../src/cli/confirm.js';

export default class GroupMemberRemove extends BaseCommand<typeof GroupMemberRemove> {
  static override summary = 'Remove users from a group.';
  static override description = withExitCodes(
    'Takes each user named (uuid or username) out of the group; removing a user that is not a member succeeds. An ' +
      'all-users group keeps its members (the daemon refuses with 403: exit 4). Says on stderr what it did; prints nothing on stdout.',
  );
  static override examples = [
    {description: 'One user', command: '<%= config.bin %> group member remove support bob'},
    {
      description: 'Empty a group',
      command: '<%= config.bin %> group member list support --all --format plain | xargs <%= config.bin %> group member remove support --yes',
    },
  ];
  static override args = {group: groupArgument, users: usersArgument};
  static override flags = confirmFlags;

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    const group = await groupUuid(client, this.args.group);
    const users = await Promise.all(this.args.users.map((name) => userUuid(client, name)));
    await confirm(`remove ${plural('user', this.args.users)} from group ${this.args.group}`, this.flags.yes);
    for (const [index, user] of users.entries()) {
      await client.groups.removeUser(group, user);
      this.note(`${this.args.users[index]} is not a member of ${this.args.group}.`);
    }
  }
}

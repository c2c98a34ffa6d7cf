import {BaseCommand} from '../../../src/cli/base-command.js';
import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {groupArgument, usersArgument} from '../../../src/cli/name-args.js';
import {groupUuid, userUuid} from '../../../src/cli/names.js';

export default class GroupMemberAdd extends BaseCommand<typeof GroupMemberAdd> {
  static override summary = 'Add users to a group.';
  static override description = withExitCodes(
    "Makes each user named (uuid or username) a member of the group; a user must be of the group's tenant (exit 1 " +
      'otherwise). Adding a member again changes nothing. Says on stderr what it did; prints nothing on stdout.',
  );
  static override examples = [
    {description: 'Two users', command: '<%= config.bin %> group member add support alice bob'},
    {
      description: 'Every user whose name holds "smith"',
      command: '<%= config.bin %> user list --search smith --all --format plain | xargs <%= config.bin %> group member add support',
    },
  ];
  static override args = {group: groupArgument, users: usersArgument};

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    const group = await groupUuid(client, this.args.group);
    const users = await Promise.all(this.args.users.map((name) => userUuid(client, name)));
    for (const [index, user] of users.entries()) {
      await client.groups.addUser(group, user);
      this.note(`${this.args.users[index]} is a member of ${this.args.group}.`);
    }
  }
}

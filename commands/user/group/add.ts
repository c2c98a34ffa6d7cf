import {BaseCommand} from '../../../src/cli/base-command.js';
import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {groupsArgument, userArgument} from '../../../src/cli/name-args.js';
import {groupUuid, userUuid} from '../../../src/cli/names.js';

export default class UserGroupAdd extends BaseCommand<typeof UserGroupAdd> {
  static override summary = 'Add a user to groups.';
  static override description = withExitCodes(
    "Makes the user a member of each group named (uuid or name); a group must be of the user's tenant (exit 1 " +
      'otherwise). Adding a member again changes nothing. Says on stderr what it did; prints nothing on stdout.',
  );
  static override examples = [{description: 'Two groups', command: '<%= config.bin %> user group add alice support sales'}];
  static override args = {user: userArgument, groups: groupsArgument};

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    const uuid = await userUuid(client, this.args.user);
    const groups = await Promise.all(this.args.groups.map((name) => groupUuid(client, name)));
    for (const [index, group] of groups.entries()) {
      await client.groups.addUser(group, uuid);
      this.note(`${this.args.user} is a member of ${this.args.groups[index]}.`);
    }
  }
}

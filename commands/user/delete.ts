import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {usersArgument} from '../../src/cli/name-args.js';
import {userUuid} from '../../src/cli/names.js';
import {confirm, confirmFlags, plural} from '../../src/cli/confirm.js';

export default class UserDelete extends BaseCommand<typeof UserDelete> {
  static override summary = 'Delete users.';
  static override description = withExitCodes(
    'Deletes each user named (uuid or username) and revokes its tokens. Every name is looked up first: if one is ' +
      'unknown, none is deleted and the command exits 1. Says on stderr what it deleted; prints nothing on stdout.',
  );
  static override examples = [
    {description: 'Two users', command: '<%= config.bin %> user delete alice bob'},
    {
      description: 'Every user whose name holds "test"',
      command: '<%= config.bin %> user list --search test --all --format plain | xargs <%= config.bin %> user delete --yes',
    },
  ];
  static override args = {users: usersArgument};
  static override flags = confirmFlags;

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    const uuids = await Promise.all(this.args.users.map((name) => userUuid(client, name)));
    await confirm(`delete ${plural('user', this.args.users)}`, this.flags.yes);
    for (const [index, uuid] of uuids.entries()) {
      await client.users.delete(uuid);
      this.note(`Deleted user ${this.args.users[index]}.`);
    }
  }
}

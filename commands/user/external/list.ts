import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {externalList} from '../../../src/cli/external.js';
import {fetchList, listFlags} from '../../../src/cli/listing.js';
import {userArgument} from '../../../src/cli/name-args.js';
import {userUuid} from '../../../src/cli/names.js';
import {ResourceCommand} from '../../../src/cli/resource-command.js';

export default class UserExternalList extends ResourceCommand<typeof UserExternalList> {
  static override summary = "List a user's external accounts.";
  static override description = withExitCodes(
    'Lists the external auth types the daemon serves (mobile, google, microsoft, and those of plugin packages), ' +
      'and for each whether the user linked it (enabled): device tokens registered by the mobile app, or a Google ' +
      'or Microsoft account. Never shows the tokens. With --format plain, the types, one a line.',
  );
  static override examples = [
    {description: 'A table', command: '<%= config.bin %> user external list alice'},
    {description: 'As JSON', command: '<%= config.bin %> user external list alice --json'},
  ];
  static override args = {user: userArgument};
  static override flags = listFlags;

  async run() {
    const client = await this.authenticatedClient();
    const uuid = await userUuid(client, this.args.user);
    return this.showList(await fetchList(this.flags, (page) => client.external.listOfUser(uuid, page)), externalList);
  }
}

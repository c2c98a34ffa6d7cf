import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';

export default class IdpList extends BaseCommand<typeof IdpList> {
  static override summary = 'List the authentication methods users may be given.';
  static override description = withExitCodes(
    "Lists the methods of the daemon's identity providers, and default (the user's tenant's method): what " +
      '`user update --authentication-method` and `tenant` methods take. One per line with --format plain.',
  );
  static override examples = [{description: 'The methods', command: '<%= config.bin %> idp list'}];

  async run() {
    const client = await this.authenticatedClient();
    const list = await client.idp.list();
    if (this.jsonEnabled()) return list;
    await this.show(
      list.items.map((method) => ({method})),
      {columns: ['method'], plain: 'method'},
    );
    return list;
  }
}

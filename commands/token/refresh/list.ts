import {Flags} from '@oclif/core';
import {BaseCommand} from '../../../src/cli/base-command.js';
import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {fetchList, listFlags, moreNote} from '../../../src/cli/listing.js';
import {userUuid} from '../../../src/cli/names.js';
import {actIn, recurseFlag, tenantFlag} from '../../../src/cli/tenant-scope.js';
import {refreshTokenList} from '../../../src/cli/views.js';
import type {RefreshTokenFilters} from '../../../src/client/index.js';

export default class TokenRefreshList extends BaseCommand<typeof TokenRefreshList> {
  static override summary = "List refresh tokens: yours, a user's, or every user's.";
  static override description = withExitCodes(
    'Without --user or --all-users, lists your own refresh tokens (GET /0.1/users/me/tokens); with --user, those of ' +
      'a user named by username or uuid; with --all-users, those of every user of your tenant (GET /0.1/tokens), of ' +
      '--tenant, and below it with --recurse. A refresh token is known by its client_id, which --format plain prints, ' +
      'one a line; its value never leaves the daemon.',
  );
  static override examples = [
    {description: 'Your own', command: '<%= config.bin %> token refresh list'},
    {description: "A user's mobile ones", command: '<%= config.bin %> token refresh list --user alice --mobile'},
    {description: "Every user's, in every tenant below yours, as JSON", command: '<%= config.bin %> token refresh list --all-users --recurse --all --json'},
  ];
  static override flags = {
    ...listFlags,
    user: Flags.string({summary: "A user's refresh tokens (username or uuid)", helpValue: 'USER', exclusive: ['all-users']}),
    'all-users': Flags.boolean({summary: 'Those of every user of the tenant'}),
    tenant: {...tenantFlag, dependsOn: ['all-users']},
    recurse: {...recurseFlag, dependsOn: ['all-users']},
    'client-id': Flags.string({summary: 'Only the one of this client', helpValue: 'ID'}),
    mobile: Flags.boolean({summary: 'Only mobile ones (--no-mobile: only the others)', allowNo: true}),
    'created-at': Flags.string({summary: 'Only those created at this second (ISO 8601, UTC when without offset)', helpValue: 'TIME'}),
  };

  async run() {
    const {flags} = this;
    const client = await this.authenticatedClient();
    const filters: RefreshTokenFilters = {client_id: flags['client-id'], mobile: flags.mobile, created_at: flags['created-at']};
    let list;
    if (flags['all-users']) {
      await actIn(client, flags.tenant);
      list = await fetchList(flags, (page) => client.refreshTokens.list({...page, ...filters, recurse: flags.recurse}));
    } else {
      const owner = flags.user === undefined ? 'me' : await userUuid(client, flags.user);
      list = await fetchList(flags, (page) => client.refreshTokens.listOfUser(owner, {...page, ...filters}));
    }
    const more = moreNote(list, flags);
    if (more) this.note(more);
    await this.show(list.items, refreshTokenList);
    return list;
  }
}

import {ResourceCommand} from '../../src/cli/resource-command.js';
import {tenantNames, usernames} from '../../src/cli/display-names.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {fetchList, listFlags} from '../../src/cli/listing.js';
import {actIn, recurseFlag, tenantFlag} from '../../src/cli/tenant-scope.js';
import {sessionList, sessionRow} from '../../src/cli/views.js';

export default class SessionList extends ResourceCommand<typeof SessionList> {
  static override summary = 'List the sessions of your tenant, of another one below it, or of a whole tree.';
  static override description = withExitCodes(
    'Lists sessions (GET /0.1/sessions): those of your tenant, of --tenant (uuid or slug), and of the tenants below ' +
      'it with --recurse. A session lives as long as its token. --search finds words in the user uuid, the remote address or the ' +
      'user agent; --order takes created_at, expires_at or mobile. --format plain prints the uuids, one a line, for ' +
      '`session revoke -`.',
  );
  static override examples = [
    {description: 'Your tenant and every tenant below it', command: '<%= config.bin %> session list --recurse'},
    {description: 'The newest first, in another tenant', command: '<%= config.bin %> session list --tenant branch-office --order created_at --direction desc'},
    {
      description: 'End every session from one address',
      command: '<%= config.bin %> session list --search 203.0.113.7 --all --format plain | <%= config.bin %> session revoke --yes -',
    },
  ];
  static override flags = {...listFlags, tenant: tenantFlag, recurse: recurseFlag};

  async run() {
    const {flags} = this;
    const client = await this.authenticatedClient();
    await actIn(client, flags.tenant);
    const list = await fetchList(flags, (page) => client.sessions.list({...page, recurse: flags.recurse}));
    const [users, tenants] = this.tabular
      ? await Promise.all([
          usernames(
            client,
            list.items.map((session) => session.user_uuid),
          ),
          tenantNames(
            client,
            list.items.map((session) => session.tenant_uuid),
          ),
        ])
      : [];
    return this.showList(list, sessionList, (session) => sessionRow(session, users!, tenants!));
  }
}

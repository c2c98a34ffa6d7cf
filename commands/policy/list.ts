import {Flags} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {fetchList, listFlags, moreNote} from '../../src/cli/listing.js';
import {groupUuid, userUuid} from '../../src/cli/names.js';
import {policyList} from '../../src/cli/views.js';
import {actIn, recurseFlag, tenantFlag} from '../../src/cli/tenant-scope.js';

export default class PolicyList extends BaseCommand<typeof PolicyList> {
  static override summary = 'List policies: those of your tenant and the shared ones it inherits.';
  static override description = withExitCodes(
    'Lists policies (GET /0.1/policies): those of your tenant, or of --tenant, with the shared ones of the tenants ' +
      'above it (read-only there), and those of the tenants below it with --recurse. --search finds words in the name ' +
      'or the description; --order takes name, slug, description or uuid. --format plain prints the uuids, one a line.',
  );
  static override examples = [
    {description: 'Every policy, in every tenant below yours', command: '<%= config.bin %> policy list --recurse --all'},
    {description: "A user's own policies, as JSON", command: '<%= config.bin %> policy list --user alice --json'},
    {description: 'The slugs of the policies you may change', command: "<%= config.bin %> policy list --no-read-only --json | jq -r '.items[].slug'"},
  ];
  static override flags = {
    ...listFlags,
    tenant: tenantFlag,
    recurse: recurseFlag,
    name: Flags.string({summary: 'Only the policy of this name', helpValue: 'NAME'}),
    slug: Flags.string({summary: 'Only the policy of this slug', helpValue: 'SLUG'}),
    user: Flags.string({summary: 'Only the policies this user holds itself (username or uuid)', helpValue: 'USER'}),
    group: Flags.string({summary: 'Only the policies of this group (name or uuid)', helpValue: 'GROUP'}),
    'read-only': Flags.boolean({summary: 'Only the read-only ones (--no-read-only: only the others)', allowNo: true}),
  };

  async run() {
    const {flags} = this;
    const client = await this.authenticatedClient();
    await actIn(client, flags.tenant);
    const filters = {
      name: flags.name,
      slug: flags.slug,
      user_uuid: flags.user === undefined ? undefined : await userUuid(client, flags.user),
      group_uuid: flags.group === undefined ? undefined : await groupUuid(client, flags.group),
      read_only: flags['read-only'],
    };
    const list = await fetchList(flags, (page) => client.policies.list({...page, ...filters, recurse: flags.recurse}));
    const more = moreNote(list, flags);
    if (more) this.note(more);
    await this.show(list.items, policyList);
    return list;
  }
}

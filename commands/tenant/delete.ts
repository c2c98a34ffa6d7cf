import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {tenantsArgument} from '../../src/cli/name-args.js';
import {tenantUuid} from '../../src/cli/names.js';
import {confirm, confirmFlags, plural} from '../../src/cli/confirm.js';

export default class TenantDelete extends BaseCommand<typeof TenantDelete> {
  static override summary = 'Delete tenants, with their users, policies and sessions.';
  static override description = withExitCodes(
    'Deletes each tenant named (uuid or slug) with everything in it: users, policies, groups, sessions. A tenant ' +
      'with tenants below it is refused (exit 1): delete those first. Every name is looked up first: if one is ' +
      'unknown, none is deleted. Says on stderr what it deleted; prints nothing on stdout.',
  );
  static override examples = [
    {description: 'One tenant', command: '<%= config.bin %> tenant delete acme'},
    {description: 'Children before their parent', command: '<%= config.bin %> tenant delete acme_lab acme'},
  ];
  static override args = {tenants: tenantsArgument};
  static override flags = confirmFlags;

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    const uuids = await Promise.all(this.args.tenants.map((name) => tenantUuid(client, name)));
    await confirm(`delete ${plural('tenant', this.args.tenants)} and everything in them`, this.flags.yes);
    for (const [index, uuid] of uuids.entries()) {
      await client.tenants.delete(uuid);
      this.note(`Deleted tenant ${this.args.tenants[index]}.`);
    }
  }
}

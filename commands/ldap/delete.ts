import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {actIn, tenantFlag} from '../../src/cli/tenant-scope.js';
import {confirm, confirmFlags} from '../../src/cli/confirm.js';

export default class LdapDelete extends BaseCommand<typeof LdapDelete> {
  static override summary = "Remove a tenant's LDAP directory.";
  static override description = withExitCodes(
    "Removes the LDAP directory of the token's tenant (or of --tenant), with its bind password: its users whose " +
      'method is ldap cannot log in until one is set again. Removing none succeeds too. Prints nothing on stdout.',
  );
  static override examples = [{description: "A tenant below the token's", command: '<%= config.bin %> ldap delete --tenant acme'}];
  static override flags = {...confirmFlags, tenant: tenantFlag};

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    await confirm(`remove the LDAP directory of ${this.flags.tenant ? `tenant ${this.flags.tenant}` : "the token's tenant"}`, this.flags.yes);
    await client.ldap.delete();
    this.note(`Removed the LDAP directory of ${this.flags.tenant ? `tenant ${this.flags.tenant}` : "the token's tenant"}.`);
  }
}

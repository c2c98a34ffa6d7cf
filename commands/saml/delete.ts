import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {actIn, tenantFlag} from '../../src/cli/tenant-scope.js';
import {confirm, confirmFlags} from '../../src/cli/confirm.js';

export default class SamlDelete extends BaseCommand<typeof SamlDelete> {
  static override summary = "Remove the tenant's SAML identity provider.";
  static override description = withExitCodes(
    "Removes the SAML configuration of the token's tenant, or of --tenant: its users of method saml can no longer " +
      'log in. Removing none is no error. Says so on stderr; prints nothing on stdout.',
  );
  static override examples = ['<%= config.bin %> saml delete --tenant acme'];
  static override flags = {...confirmFlags, tenant: tenantFlag};

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    await confirm(`remove the SAML configuration of ${this.flags.tenant ? `tenant ${this.flags.tenant}` : "the token's tenant"}`, this.flags.yes);
    await client.saml.delete();
    this.note('Removed the SAML configuration.');
  }
}

import {withExitCodes} from '../../src/cli/exit-codes.js';
import {BaseCommand} from '../../src/cli/base-command.js';
import {actIn, tenantFlag} from '../../src/cli/tenant-scope.js';

export default class SamlMetadata extends BaseCommand<typeof SamlMetadata> {
  static override summary = "Print this daemon's service provider metadata for the tenant.";
  static override description = withExitCodes(
    "Prints the SAML metadata of this daemon as the service provider of the token's tenant, or of --tenant: its " +
      "entity id, ACS and logout URLs and signing certificate. Hand it to the identity provider's administrator. " +
      'Exits 1 when the tenant has no SAML configuration, 3 when the daemon has no key pair (saml keygen).',
  );
  static override examples = ['<%= config.bin %> saml metadata --tenant acme > wazo-sp.xml'];
  static override flags = {tenant: tenantFlag};

  async run() {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    const xml = await client.saml.serviceProviderMetadata();
    if (!this.jsonEnabled()) this.factory.io.stdout.write(xml.endsWith('\n') ? xml : `${xml}\n`);
    return {metadata: xml};
  }
}

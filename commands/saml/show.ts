import {Flags} from '@oclif/core';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {ResourceCommand} from '../../src/cli/resource-command.js';
import {samlRecord} from '../../src/cli/saml.js';
import {actIn, tenantFlag} from '../../src/cli/tenant-scope.js';

export default class SamlShow extends ResourceCommand<typeof SamlShow> {
  static override summary = "Show the tenant's SAML identity provider configuration.";
  static override description = withExitCodes(
    "Shows the SAML configuration of the token's tenant, or of --tenant: the domain users name at login, the " +
      "entity id and ACS URL the identity provider knows this daemon by. With --metadata, the provider's metadata XML " +
      'as uploaded instead. Exits 1 when the tenant has none.',
  );
  static override examples = [
    {description: 'A customer tenant', command: '<%= config.bin %> saml show --tenant acme'},
    {description: "The provider's metadata", command: '<%= config.bin %> saml show --tenant acme --metadata > idp.xml'},
  ];
  static override flags = {
    tenant: tenantFlag,
    metadata: Flags.boolean({summary: "Print the identity provider's metadata XML instead"}),
  };

  async run() {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    if (this.flags.metadata) {
      const xml = await client.saml.providerMetadata();
      if (!this.jsonEnabled()) this.factory.io.stdout.write(xml.endsWith('\n') ? xml : `${xml}\n`);
      return {metadata: xml};
    }
    return this.showRecord(await client.saml.get(), samlRecord);
  }
}

import {withExitCodes} from '../../src/cli/exit-codes.js';
import {ldapRecord, ldapRow} from '../../src/cli/ldap.js';
import {ResourceCommand} from '../../src/cli/resource-command.js';
import {actIn, tenantFlag} from '../../src/cli/tenant-scope.js';

export default class LdapShow extends ResourceCommand<typeof LdapShow> {
  static override summary = "Show a tenant's LDAP directory.";
  static override description = withExitCodes(
    "Shows the LDAP directory the users of the token's tenant (or of --tenant) log in against: host, port, " +
      'security, service account, where users are and which attributes name them. The bind password is never ' +
      'shown. Every field is empty when the tenant has no directory. With --format plain, the host alone.',
  );
  static override examples = [
    {description: "The token's own tenant", command: '<%= config.bin %> ldap show'},
    {description: 'A tenant below it, as JSON', command: '<%= config.bin %> ldap show --tenant acme --json'},
  ];
  static override flags = {tenant: tenantFlag};

  async run() {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    return this.showRecord(await client.ldap.get(), ldapRecord, ldapRow);
  }
}

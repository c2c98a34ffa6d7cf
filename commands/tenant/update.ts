import {Flags} from '@oclif/core';
import {requireChange, textChange} from '../../src/cli/changes.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {tenantArgument} from '../../src/cli/name-args.js';
import {tenantUuid, userUuid} from '../../src/cli/names.js';
import {ResourceCommand} from '../../src/cli/resource-command.js';
import {tenantRecord} from '../../src/cli/views.js';

export default class TenantUpdate extends ResourceCommand<typeof TenantUpdate> {
  static override summary = 'Change some fields of a tenant.';
  static override description = withExitCodes(
    'Changes only the fields given and keeps the others (the tenant is read first: the API replaces every field). ' +
      "An empty value clears a field: --phone ''. --domain replaces every domain name of the tenant; --domain '' " +
      'alone removes them all. --authentication-method sets how its users whose own method is `default` log in ' +
      '(ldap: against its LDAP directory). The slug never changes. Prints the tenant as it is now; with --format ' +
      'plain, its uuid.',
  );
  static override examples = [
    {description: 'A new name and contact', command: '<%= config.bin %> tenant update acme --name "ACME Inc" --contact alice'},
    {
      description: 'Two domain names in place of the former ones',
      command: '<%= config.bin %> tenant update acme --domain acme.example.com --domain acme.example.org',
    },
  ];
  static override args = {tenant: tenantArgument};
  static override flags = {
    name: Flags.string({summary: 'Name (free text)', helpValue: 'TEXT'}),
    domain: Flags.string({
      summary: 'A domain name; repeat for several: they replace the former ones',
      multiple: true,
      multipleNonGreedy: true,
      helpValue: 'NAME',
    }),
    contact: Flags.string({summary: 'The user to contact about it (uuid or username)', helpValue: 'USER'}),
    phone: Flags.string({summary: 'Contact phone number', helpValue: 'NUMBER'}),
    'authentication-method': Flags.string({summary: 'How its users on `default` log in: native, ldap, saml (see idp list)', helpValue: 'METHOD'}),
  };

  async run() {
    const {flags} = this;
    requireChange(flags, ['name', 'domain', 'contact', 'phone', 'authentication-method']);
    const client = await this.authenticatedClient();
    const uuid = await tenantUuid(client, this.args.tenant);
    const tenant = await client.tenants.get(uuid);
    const contact = flags.contact ? await userUuid(client, flags.contact) : textChange(flags.contact, tenant.contact);
    const updated = await client.tenants.update(uuid, {
      name: textChange(flags.name, tenant.name),
      contact,
      phone: textChange(flags.phone, tenant.phone),
      default_authentication_method: flags['authentication-method'] ?? tenant.default_authentication_method,
      domain_names: flags.domain ? flags.domain.filter(Boolean) : tenant.domain_names,
      address: tenant.address,
    });
    return this.showRecord(updated, tenantRecord);
  }
}

import {Args, Flags} from '@oclif/core';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {userUuid} from '../../src/cli/names.js';
import {ResourceCommand} from '../../src/cli/resource-command.js';
import {actIn} from '../../src/cli/tenant-scope.js';
import {tenantRecord} from '../../src/cli/views.js';

export default class TenantCreate extends ResourceCommand<typeof TenantCreate> {
  static override summary = 'Create a tenant.';
  static override description = withExitCodes(
    "Creates a tenant below the token's own, or below --parent. Its slug (letters, digits and _, at most 10) is " +
      'derived from the name unless given, and never changes. Each domain name belongs to one tenant only. Prints the ' +
      'new tenant; with --format plain, its uuid. --authentication-method ldap makes its users whose own method is ' +
      '`default` log in against its LDAP directory (`ldap set`). Exits 1 when the slug or a domain name is taken.',
  );
  static override examples = [
    {description: 'A customer of a reseller', command: '<%= config.bin %> tenant create "ACME Corp" --slug acme --parent reseller --domain acme.example.com'},
    {description: 'Its uuid, for a script', command: 'tenant=$(<%= config.bin %> tenant create "Lab" --format plain)'},
  ];
  static override args = {name: Args.string({description: 'Name of the tenant (free text, not unique)', required: true, ignoreStdin: true})};
  static override flags = {
    slug: Flags.string({summary: 'Unique short name: letters, digits and _, at most 10 (default: from the name)', helpValue: 'SLUG'}),
    parent: Flags.string({summary: "The tenant to create it below (uuid or slug; default: the token's own)", helpValue: 'TENANT'}),
    domain: Flags.string({summary: 'A domain name of the tenant; repeat for several', multiple: true, multipleNonGreedy: true, helpValue: 'NAME'}),
    contact: Flags.string({summary: 'The user to contact about it (uuid or username)', helpValue: 'USER'}),
    phone: Flags.string({summary: 'Contact phone number', helpValue: 'NUMBER'}),
    'authentication-method': Flags.string({summary: 'How its users on `default` log in: native, ldap, saml (see idp list)', helpValue: 'METHOD'}),
    uuid: Flags.string({summary: "The tenant's uuid, as other Wazo services already know it (default: a new one)", helpValue: 'UUID'}),
  };

  async run() {
    const {flags} = this;
    const client = await this.authenticatedClient();
    // The contact is looked up in the token's whole tree, before requests act in the parent.
    const contact = flags.contact === undefined ? null : await userUuid(client, flags.contact);
    await actIn(client, flags.parent);
    const tenant = await client.tenants.create({
      ...(flags.uuid ? {uuid: flags.uuid} : {}),
      name: this.args.name,
      slug: flags.slug ?? null,
      domain_names: flags.domain ?? [],
      contact,
      phone: flags.phone ?? null,
      ...(flags['authentication-method'] ? {default_authentication_method: flags['authentication-method']} : {}),
    });
    return this.showRecord(tenant, tenantRecord);
  }
}

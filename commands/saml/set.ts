import {readFile} from 'node:fs/promises';
import {Flags} from '@oclif/core';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {isRefusal, usageError} from '../../src/cli/failure.js';
import {ResourceCommand} from '../../src/cli/resource-command.js';
import {domainUuid, samlRecord} from '../../src/cli/saml.js';
import {actIn, tenantFlag} from '../../src/cli/tenant-scope.js';

export default class SamlSet extends ResourceCommand<typeof SamlSet> {
  static override summary = "Set the tenant's SAML identity provider.";
  static override description = withExitCodes(
    "Gives the token's tenant, or --tenant, a SAML identity provider, or changes the one it has: the provider's " +
      'metadata file (from its administrator), the domain of the tenant its users name at login (POST /saml/sso), ' +
      'and the entity id and ACS URL the provider knows this daemon by (all four needed the first time; later, those ' +
      'given change). Users of the tenant whose authentication method is saml then log in through the provider. ' +
      "Exits 1 when the domain is not the tenant's or the metadata is unusable.",
  );
  static override examples = [
    {
      description: 'First time',
      command:
        '<%= config.bin %> saml set --tenant acme --metadata-file entra.xml --domain acme.example.com --entity-id https://pbx.example.com/acme --acs-url https://pbx.example.com/api/auth/0.1/saml/acs',
    },
    {description: 'New provider certificate', command: '<%= config.bin %> saml set --tenant acme --metadata-file entra.xml'},
  ];
  static override flags = {
    tenant: tenantFlag,
    'metadata-file': Flags.string({summary: "The identity provider's metadata XML", helpValue: 'FILE'}),
    domain: Flags.string({summary: 'The domain of the tenant its users log in with (name or uuid)', helpValue: 'DOMAIN'}),
    'entity-id': Flags.string({summary: 'The entity id the provider knows this daemon by', helpValue: 'ID'}),
    'acs-url': Flags.string({summary: "Where the provider posts its answers: this daemon's /0.1/saml/acs as users reach it", helpValue: 'URL'}),
  };

  async run() {
    const {flags} = this;
    let metadata: string | undefined;
    if (flags['metadata-file'] !== undefined) {
      try {
        metadata = await readFile(flags['metadata-file'], 'utf8');
      } catch (error) {
        const {code, message} = error as NodeJS.ErrnoException;
        throw usageError(`cannot read ${flags['metadata-file']}: ${code === 'ENOENT' ? 'no such file' : message}`);
      }
    }
    const client = await this.authenticatedClient();
    await actIn(client, flags.tenant);
    const fields = {
      ...(flags.domain === undefined ? {} : {domain_uuid: await domainUuid(client, flags.domain)}),
      ...(flags['entity-id'] === undefined ? {} : {entity_id: flags['entity-id']}),
      ...(flags['acs-url'] === undefined ? {} : {acs_url: flags['acs-url']}),
    };
    let exists = true;
    try {
      await client.saml.get();
    } catch (error) {
      if (!isRefusal(error, 'not-found')) throw error;
      exists = false;
    }
    if (exists) return this.showRecord(await client.saml.update(fields, metadata), samlRecord);
    const missing = [
      metadata === undefined ? '--metadata-file' : '',
      fields.domain_uuid === undefined ? '--domain' : '',
      fields.entity_id === undefined ? '--entity-id' : '',
      fields.acs_url === undefined ? '--acs-url' : '',
    ].filter(Boolean);
    if (missing.length) throw usageError(`the tenant has no SAML configuration yet: give ${missing.join(', ')}`);
    return this.showRecord(await client.saml.create(fields as Required<typeof fields>, metadata!), samlRecord);
  }
}

import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../../../src/cli/base-command.js';
import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {configFrom} from '../../../src/cli/external.js';
import {actIn, tenantFlag} from '../../../src/cli/tenant-scope.js';

export default class ExternalConfigSet extends BaseCommand<typeof ExternalConfigSet> {
  static override summary = "Set a tenant's settings of an external type.";
  static override description = withExitCodes(
    "Sets (creates or replaces) the settings of the token's tenant (or of --tenant) for an external type, from a " +
      'JSON object in a file, or on standard input with --file -, never on the command line: the daemon keeps them ' +
      'sealed. google and microsoft: {"client_id", "client_secret"}. mobile: {"fcm_sender_id", ' +
      '"fcm_service_account_info" (the service account JSON, as a string), "ios_apn_certificate", "ios_apn_private", ' +
      '"use_sandbox"}, read by wazo-webhookd to push calls to phones. Prints nothing on stdout.',
  );
  static override examples = [
    {description: 'Push settings from a file', command: '<%= config.bin %> external config set mobile --tenant acme --file mobile.json'},
    {
      description: 'An OAuth client from a secrets manager',
      command: 'vault read -field=json google-client | <%= config.bin %> external config set google --file -',
    },
  ];
  static override args = {type: Args.string({description: 'The external type: mobile, google, microsoft...', required: true})};
  static override flags = {
    tenant: tenantFlag,
    file: Flags.string({summary: 'The JSON file of the settings; - for standard input', helpValue: 'FILE', required: true}),
  };

  async run(): Promise<void> {
    const config = await configFrom(this.flags.file);
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    await client.external.setConfig(this.args.type, config);
    this.note(`Set the ${this.args.type} settings of ${this.flags.tenant ? `tenant ${this.flags.tenant}` : "the token's tenant"}.`);
  }
}

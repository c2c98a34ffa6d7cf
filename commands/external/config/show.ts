import {Args, Flags} from '@oclif/core';
import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {maskedConfig} from '../../../src/cli/external.js';
import {ResourceCommand} from '../../../src/cli/resource-command.js';
import {actIn, tenantFlag} from '../../../src/cli/tenant-scope.js';

export default class ExternalConfigShow extends ResourceCommand<typeof ExternalConfigShow> {
  static override summary = "Show a tenant's settings of an external type.";
  static override description = withExitCodes(
    "Shows the settings of the token's tenant (or of --tenant) for an external type: the OAuth client of google " +
      'or microsoft, the Firebase and APNs credentials of mobile. Secrets (client_secret, fcm_api_key, ' +
      'fcm_service_account_info, ios_apn_certificate, ios_apn_private) show as their length unless --reveal. ' +
      'A tenant without settings of this type is a not found (exit 1).',
  );
  static override examples = [
    {description: 'The push settings', command: '<%= config.bin %> external config show mobile --tenant acme'},
    {description: 'Everything, secrets included, as JSON', command: '<%= config.bin %> external config show google --reveal --json'},
  ];
  static override args = {type: Args.string({description: 'The external type: mobile, google, microsoft...', required: true})};
  static override flags = {tenant: tenantFlag, reveal: Flags.boolean({summary: 'Show the secrets themselves'})};

  async run() {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    const config = await client.external.config(this.args.type);
    return this.showRecord(this.flags.reveal ? config : maskedConfig(config), {plain: []});
  }
}

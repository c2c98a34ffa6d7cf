import {Args} from '@oclif/core';
import {BaseCommand} from '../../../src/cli/base-command.js';
import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {actIn, tenantFlag} from '../../../src/cli/tenant-scope.js';

export default class ExternalConfigDelete extends BaseCommand<typeof ExternalConfigDelete> {
  static override summary = "Remove a tenant's settings of an external type.";
  static override description = withExitCodes(
    "Removes the settings of the token's tenant (or of --tenant) for an external type, secrets included. Users " +
      'keep what they linked, but cannot link a Google or Microsoft account, and calls are not pushed to phones, ' +
      'until settings are set again. A tenant without settings of this type is a not found (exit 1). Prints nothing on stdout.',
  );
  static override examples = [{description: "A tenant's push settings", command: '<%= config.bin %> external config delete mobile --tenant acme'}];
  static override args = {type: Args.string({description: 'The external type: mobile, google, microsoft...', required: true})};
  static override flags = {tenant: tenantFlag};

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    await client.external.deleteConfig(this.args.type);
    this.note(`Removed the ${this.args.type} settings of ${this.flags.tenant ? `tenant ${this.flags.tenant}` : "the token's tenant"}.`);
  }
}

import {Args} from '@oclif/core';
import {BaseCommand} from '../../../src/cli/base-command.js';
import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {userArgument} from '../../../src/cli/name-args.js';
import {userUuid} from '../../../src/cli/names.js';

export default class UserExternalDelete extends BaseCommand<typeof UserExternalDelete> {
  static override summary = "Unlink a user's external account.";
  static override description = withExitCodes(
    'Forgets what the user linked of this type: the device tokens of the mobile app (its calls are no longer pushed ' +
      'to the phone until the app registers again), or the tokens of a Google or Microsoft account. A user with ' +
      'nothing linked of this type is a not found (exit 1). Prints nothing on stdout.',
  );
  static override examples = [{description: "Stop ringing alice's phone", command: '<%= config.bin %> user external delete alice mobile'}];
  static override args = {
    user: userArgument,
    type: Args.string({description: 'The external type: mobile, google, microsoft...', required: true}),
  };

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    const uuid = await userUuid(client, this.args.user);
    await client.external.deleteOfUser(uuid, this.args.type);
    this.note(`Unlinked the ${this.args.type} account of ${this.args.user}.`);
  }
}

import {Args} from '@oclif/core';
import {BaseCommand} from '../../../src/cli/base-command.js';
import {ExitCode, withExitCodes} from '../../../src/cli/exit-codes.js';
import {CliFailure} from '../../../src/cli/failure.js';
import {userArgument} from '../../../src/cli/name-args.js';
import {userUuid} from '../../../src/cli/names.js';

export default class UserEmailConfirm extends BaseCommand<typeof UserEmailConfirm> {
  static override summary = 'Send the confirmation mail of an address again.';
  static override description = withExitCodes(
    'Mails the link that confirms EMAIL, an unconfirmed address of USER (GET ' +
      '/0.1/users/UUID/emails/EMAIL_UUID/confirm). EMAIL is the address or its uuid. An address already confirmed is ' +
      'refused (409).',
  );
  static override examples = [{description: "Alice's address", command: '<%= config.bin %> user email confirm alice alice@example.com'}];
  static override args = {
    user: userArgument,
    email: Args.string({description: 'The address, or its uuid', required: true, ignoreStdin: true}),
  };

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    const uuid = await userUuid(client, this.args.user);
    const wanted = this.args.email.toLowerCase();
    const email = (await client.users.get(uuid)).emails.find((e) => e.uuid === wanted || e.address.toLowerCase() === wanted);
    if (!email) throw new CliFailure(`${this.args.user} has no address ${this.args.email}`, ExitCode.negative);
    if (email.confirmed) throw new CliFailure(`${email.address} is already confirmed`, ExitCode.negative);
    await client.users.requestEmailConfirmation(uuid, email.uuid);
    this.note(`Confirmation mail for ${email.address} on its way.`);
  }
}

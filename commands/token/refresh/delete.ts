import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../../../src/cli/base-command.js';
import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {userUuid} from '../../../src/cli/names.js';
import {confirm, confirmFlags} from '../../../src/cli/confirm.js';

export default class TokenRefreshDelete extends BaseCommand<typeof TokenRefreshDelete> {
  static override summary = "Delete a refresh token, yours or a user's: it cannot log in any more.";
  static override description = withExitCodes(
    'Deletes the refresh token of CLIENT_ID (DELETE /0.1/users/me/tokens/CLIENT_ID, or of the --user named by username ' +
      'or uuid). The access tokens it already produced stay valid until they expire: end them with `session revoke`. ' +
      'Exits 1 when there is no such refresh token. Prints nothing on stdout.',
  );
  static override examples = [
    {description: 'One of yours', command: '<%= config.bin %> token refresh delete my-laptop'},
    {description: "A user's", command: '<%= config.bin %> token refresh delete mobile-app --user alice'},
  ];
  static override args = {client_id: Args.string({description: 'The client_id that names the refresh token', required: true})};
  static override flags = {...confirmFlags, user: Flags.string({summary: "A user's refresh token (username or uuid) instead of yours", helpValue: 'USER'})};

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    const owner = this.flags.user === undefined ? 'me' : await userUuid(client, this.flags.user);
    await confirm(`delete refresh token ${this.args.client_id}${this.flags.user === undefined ? '' : ` of ${this.flags.user}`}`, this.flags.yes);
    await client.refreshTokens.delete(owner, this.args.client_id);
    this.note(`Refresh token ${this.args.client_id} deleted${this.flags.user === undefined ? '' : ` for ${this.flags.user}`}.`);
  }
}

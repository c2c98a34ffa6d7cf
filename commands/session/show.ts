import {Args} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {usageError} from '../../src/cli/failure.js';
import {isUuid} from '../../src/cli/names.js';
import {findSession} from '../../src/cli/sessions.js';

export default class SessionShow extends BaseCommand<typeof SessionShow> {
  static override summary = 'Show one session of your tenant tree.';
  static override description = withExitCodes(
    "Shows a session by its uuid, as wazo-auth-cli's `session show`: its user, tenant, whether it is mobile, when it " +
      'started and expires, and where from. The API shows sessions only in lists: the sessions of your tenant and the ' +
      'tenants below it are read until it is found. Exits 1 when it is not there.',
  );
  static override examples = [{description: 'A session', command: '<%= config.bin %> session show 9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5'}];
  static override args = {session_uuid: Args.string({description: 'The session uuid', required: true})};

  async run() {
    if (!isUuid(this.args.session_uuid)) throw usageError(`not a session uuid: ${this.args.session_uuid}`);
    const client = await this.authenticatedClient();
    const session = await findSession(client, this.args.session_uuid);
    return this.show(session, {plain: ['uuid']});
  }
}

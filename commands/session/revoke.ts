import {Args} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {usageError} from '../../src/cli/failure.js';
import {isUuid} from '../../src/cli/names.js';
import {passwordFromStdin} from '../../src/cli/password.js';
import {confirm, confirmFlags, plural} from '../../src/cli/confirm.js';
import {findSession} from '../../src/cli/sessions.js';

export default class SessionRevoke extends BaseCommand<typeof SessionRevoke> {
  static override summary = 'End sessions and revoke their tokens.';
  static override description = withExitCodes(
    'Ends each session (DELETE /0.1/sessions/UUID): its token stops working at once. `-` reads more uuids from ' +
      'standard input, one a line. Every uuid is checked before any session is ended: one that is unknown, already ' +
      'ended or outside your tenant tree is "not found", exit 1, and none is ended. With --json, the uuids ended.',
  );
  static override examples = [
    {description: 'Two sessions', command: '<%= config.bin %> session revoke 9c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5 0f1e2d3c-4b5a-4697-8877-665544332211'},
    {
      description: 'Every session of a tenant tree',
      command: '<%= config.bin %> session list --tenant branch-office --recurse --all --format plain | <%= config.bin %> session revoke --yes -',
    },
  ];
  static override strict = false;
  static override usage = '<%= command.id %> SESSION_UUID...';
  static override args = {
    session_uuid: Args.string({description: 'A session uuid, or - to read uuids from standard input; repeat for several', required: true}),
  };
  static override flags = confirmFlags;

  async run() {
    const uuids = await this.sessionUuids();
    const client = await this.authenticatedClient();
    for (const uuid of uuids) await findSession(client, uuid);
    if (uuids.length) await confirm(`end ${plural('session', uuids)}`, this.flags.yes);
    for (const uuid of uuids) {
      await client.sessions.delete(uuid);
      this.note(`Session ${uuid} revoked.`);
    }
    if (uuids.length === 0) this.note('No session uuid on standard input: nothing revoked.');
    return {revoked: uuids};
  }

  /** The uuids of the arguments and of stdin for `-`, all checked before any is used. */
  private async sessionUuids(): Promise<string[]> {
    const uuids: string[] = [];
    for (const argument of this.positionals) {
      if (argument === '-') {
        uuids.push(
          ...(await passwordFromStdin())
            .split('\n')
            .map((line) => line.trim())
            .filter(Boolean),
        );
      } else uuids.push(argument);
    }
    const wrong = uuids.find((uuid) => !isUuid(uuid));
    if (wrong !== undefined) throw usageError(`not a session uuid: ${wrong}`);
    return uuids;
  }
}

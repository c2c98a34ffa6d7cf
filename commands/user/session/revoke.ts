import {Args} from '@oclif/core';
import {BaseCommand} from '../../../src/cli/base-command.js';
import {withExitCodes} from '../../../src/cli/exit-codes.js';
import {fetchList} from '../../../src/cli/listing.js';
import {userArgument} from '../../../src/cli/name-args.js';
import {userUuid} from '../../../src/cli/names.js';
import {confirm, confirmFlags} from '../../../src/cli/confirm.js';

export default class UserSessionRevoke extends BaseCommand<typeof UserSessionRevoke> {
  static override summary = 'End sessions of a user.';
  static override description = withExitCodes(
    'Ends each session named, or every session of the user when none is named, and revokes their tokens: whoever ' +
      'used them must log in again. A session named that is not an open session of this user (ended already, or ' +
      "another user's) is left alone, with a note, and the command still succeeds, so that a script can run it twice. " +
      'Says on stderr how many sessions it ended; prints nothing on stdout.',
  );
  static override examples = [
    {description: 'One session', command: '<%= config.bin %> user session revoke alice 2f1e0d9c-8b7a-4c6d-9e5f-4a3b2c1d0e9f'},
    {description: 'Every session of the user', command: '<%= config.bin %> user session revoke alice'},
  ];
  static override args = {
    user: userArgument,
    sessions: Args.string({description: "Sessions' uuids (default: every session of the user)", multiple: true, ignoreStdin: true}),
  };
  static override flags = confirmFlags;

  async run(): Promise<void> {
    const client = await this.authenticatedClient();
    const uuid = await userUuid(client, this.args.user);
    const open = new Set((await fetchList({all: true}, (page) => client.users.listSessions(uuid, page))).items.map((session) => session.uuid));
    const named = this.args.sessions?.map((session) => session.toLowerCase());
    for (const session of named ?? []) if (!open.has(session)) this.note(`Not an open session of ${this.args.user}: ${session}.`);
    const chosen = named ? named.filter((session) => open.has(session)) : [...open];
    // The session of this command's own token last: once it ends, the token cannot end the others.
    const own = (await client.tokens.get(client.token!)).session_uuid;
    const sessions = [...chosen.filter((session) => session !== own), ...chosen.filter((session) => session === own)];
    if (sessions.length) await confirm(`end ${sessions.length} session${sessions.length === 1 ? '' : 's'} of user ${this.args.user}`, this.flags.yes);
    for (const session of sessions) await client.users.deleteSession(uuid, session);
    this.note(`${sessions.length} session${sessions.length === 1 ? '' : 's'} of ${this.args.user} ended.`);
  }
}

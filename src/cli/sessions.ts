// One session by its uuid: the API lists sessions but shows none alone, so the caller's tenant
// tree is walked, a page at a time, until it turns up.

import type {AuthClient, Session} from '../client/index.js';
import {ExitCode} from './exit-codes.js';
import {CliFailure} from './failure.js';

const PAGE = 500;

/** The session of the caller's tenant tree with this uuid; exit 1, "not found", when there is none. */
export async function findSession(client: AuthClient, uuid: string): Promise<Session> {
  const wanted = uuid.toLowerCase();
  for (let offset = 0; ; offset += PAGE) {
    const page = await client.sessions.list({recurse: true, limit: PAGE, offset});
    const found = page.items.find((session) => session.uuid === wanted);
    if (found) return found;
    if (page.items.length < PAGE) throw new CliFailure(`not found: no session ${uuid} in your tenant tree`, ExitCode.negative, {uuid});
  }
}

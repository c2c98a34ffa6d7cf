import {Args} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {ExitCode, withExitCodes} from '../../src/cli/exit-codes.js';
import {policyArgument} from '../../src/cli/policy-commands.js';
import {verdictRow, verdicts, verdictView} from '../../src/cli/policy-test.js';
import {actIn, tenantFlag} from '../../src/cli/tenant-scope.js';

export default class PolicyTest extends BaseCommand<typeof PolicyTest> {
  static override summary = "Test whether a policy's ACL grants accesses, and which pattern decides.";
  static override description = withExitCodes(
    "Reads the policy (uuid or slug) and checks each ACCESS against its ACL as the daemon checks a token's: a " +
      'matching `!` pattern denies, else a matching pattern grants, else it is denied. Prints granted or denied for ' +
      'each, with the deciding pattern; --json as a list of {access, granted, pattern}; --format plain one verdict a ' +
      'line. Exits 0 when every access is granted, 1 when one is not. `me` and `my_session` are read literally, as ' +
      'for a token of no user. Quote accesses holding # or !, which shells read.',
  );
  static override examples = [
    {description: 'Two accesses', command: '<%= config.bin %> policy test operators confd.users.read confd.users.42.delete'},
    {description: 'In a script', command: '<%= config.bin %> policy test operators calld.calls.read --format plain >/dev/null && echo allowed'},
  ];
  static override strict = false;
  static override usage = '<%= command.id %> POLICY ACCESS... [--tenant TENANT]';
  static override args = {
    policy: policyArgument,
    access: Args.string({description: 'An access, as a route requires it; repeat for several', required: true}),
  };
  static override flags = {tenant: tenantFlag};

  async run() {
    const [ref, ...accesses] = this.positionals;
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    const policy = await client.policies.get(ref!);
    const answer = verdicts(policy.acl, accesses);
    const rows = this.outputFormat === 'yaml' ? answer : answer.map(verdictRow);
    await this.show(rows, verdictView);
    if (answer.every((verdict) => verdict.granted)) return answer;
    // A denial ends with exit 1, which oclif's own printing of the answer would not reach.
    if (this.jsonEnabled()) this.logJson(answer);
    return this.exit(ExitCode.negative);
  }
}

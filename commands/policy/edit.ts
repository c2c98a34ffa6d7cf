import {isTabular} from '../../src/cli/output.js';
import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {policyArgument, policyView} from '../../src/cli/policy-commands.js';
import {editorCommand, editPolicy} from '../../src/cli/policy-edit.js';
import {policyDocument} from '../../src/cli/policy-file.js';
import {actIn, tenantFlag} from '../../src/cli/tenant-scope.js';
import {unifiedDiff} from '../../src/cli/text-diff.js';
import {assertNoLockOut, forceFlags, type AclChange} from '../../src/cli/lock-out.js';

export default class PolicyEdit extends BaseCommand<typeof PolicyEdit> {
  static override summary = 'Edit a policy in your editor.';
  static override description = withExitCodes(
    'Writes the policy as YAML to a temporary file only you can read, opens $VISUAL, else $EDITOR, else vi on it, ' +
      'and when the editor quits applies what was saved, as `policy apply` would, then prints the change as a ' +
      'unified diff (--json: the policy). Saved unchanged, nothing is sent. When the text is not a valid policy, or ' +
      'the daemon refuses it, the text is kept in a file whose path is printed, so that nothing typed is lost. A ' +
      'read-only policy is refused before the editor opens (exit 1).',
  );
  static override examples = [
    {description: 'In your editor', command: '<%= config.bin %> policy edit operators'},
    {description: 'In another one', command: 'EDITOR=nano <%= config.bin %> policy edit operators'},
  ];
  static override args = {policy: policyArgument};
  static override flags = {...forceFlags, tenant: tenantFlag};

  async run() {
    const client = await this.authenticatedClient();
    await actIn(client, this.flags.tenant);
    const tenant = this.flags.tenant === undefined ? '' : ` --tenant ${this.flags.tenant}`;
    const force = this.flags.force ? ' --force' : '';
    const guard = (change: AclChange) => assertNoLockOut(client, [change], this.flags.force);
    const edit = await editPolicy(client.policies, this.args.policy, editorCommand(), `${this.config.bin} policy apply${tenant}${force} -f`, guard);
    if (!edit) {
      this.note('No change: nothing sent.');
      return undefined;
    }
    const {before, after} = edit;
    if (isTabular(this.outputFormat)) {
      this.factory.io.stdout.write(unifiedDiff(policyDocument(before, []), policyDocument(after, []), [`${before.slug} (before)`, `${after.slug} (after)`]));
      return after;
    }
    return this.show(after, policyView);
  }
}

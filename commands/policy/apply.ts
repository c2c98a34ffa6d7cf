import {readFile} from 'node:fs/promises';
import {Flags} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {usageError} from '../../src/cli/failure.js';
import {fetchList} from '../../src/cli/listing.js';
import {passwordFromStdin} from '../../src/cli/password.js';
import {aclChanges, applyPlan, outcomeView, planPolicies} from '../../src/cli/policy-apply.js';
import {parsePolicies} from '../../src/cli/policy-file.js';
import {actIn, tenantFlag} from '../../src/cli/tenant-scope.js';
import {assertNoLockOut, forceFlags} from '../../src/cli/lock-out.js';

export default class PolicyApply extends BaseCommand<typeof PolicyApply> {
  static override summary = 'Create or update policies to match a YAML file.';
  static override description = withExitCodes(
    'Reads a YAML list of policies, or a single one, each with name, and optionally slug, description, acl and ' +
      'shared (uuid, tenant_uuid and read_only, as `policy show --format yaml` prints them, are ignored). Each is ' +
      'matched with a policy of your tenant, or of --tenant, by slug when it has one, else by name: a missing one is ' +
      'created, one that differs is updated, the others are left alone, and so are the policies the file does not ' +
      'name. A field left out keeps its value. Prints what changed for each: created, updated (the accesses added ' +
      'and removed, the other fields changed) or unchanged. An invalid file exits 2, and a change the daemon would ' +
      'refuse (a read-only policy, a name taken, shared changed) exits 1; in both cases nothing is applied.',
  );
  static override examples = [
    {
      description: 'See what would change, then apply',
      command: '<%= config.bin %> policy apply -f policies.yml --dry-run && <%= config.bin %> policy apply -f policies.yml',
    },
    {
      description: 'From standard input',
      command: "printf '%s\\n' '- name: Readers' '  slug: readers' '  acl: [\"confd.*.read\", \"!confd.users.*.read\"]' | <%= config.bin %> policy apply -f -",
    },
    {
      description: "Copy a policy to a branch's tenant",
      command: '<%= config.bin %> policy show operators --format yaml | <%= config.bin %> policy apply -f - --tenant branch-office',
    },
  ];
  static override flags = {
    tenant: tenantFlag,
    file: Flags.string({char: 'f', summary: 'The YAML file, or - for standard input', required: true, helpValue: 'FILE'}),
    'dry-run': Flags.boolean({summary: 'Say what would change; change nothing'}),
    ...forceFlags,
  };

  async run() {
    const {flags} = this;
    const specs = parsePolicies(await readSource(flags.file), flags.file === '-' ? 'standard input' : flags.file);
    const client = await this.authenticatedClient();
    await actIn(client, flags.tenant);
    const existing = await fetchList({all: true}, (page) => client.policies.list(page));
    const steps = planPolicies(specs, existing.items);
    if (!flags['dry-run']) await assertNoLockOut(client, aclChanges(steps, existing.items), flags.force);
    const outcomes = flags['dry-run'] ? steps.map((step) => step.outcome) : await applyPlan(client.policies, steps);
    const count = (action: string) => outcomes.filter((outcome) => outcome.action === action).length;
    this.note(
      flags['dry-run']
        ? `Dry run: would create ${count('created')}, update ${count('updated')}, leave ${count('unchanged')} unchanged; nothing applied.`
        : `Created ${count('created')}, updated ${count('updated')}, unchanged ${count('unchanged')}.`,
    );
    // A dry run cannot give the uuid of a policy it would create.
    await this.show(this.outputFormat === 'plain' || this.outputFormat === 'name' ? outcomes.filter((outcome) => outcome.uuid) : outcomes, outcomeView);
    return outcomes;
  }
}

async function readSource(file: string): Promise<string> {
  if (file === '-') return passwordFromStdin();
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const {code, message} = error as NodeJS.ErrnoException;
    throw usageError(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : message}`);
  }
}

import {Args, Flags} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {isRefusal} from '../../src/cli/failure.js';
import {assertAccesses, clashingPolicy, policyView, sameAccesses} from '../../src/cli/policy-commands.js';
import {actIn, tenantFlag} from '../../src/cli/tenant-scope.js';

export default class PolicyCreate extends BaseCommand<typeof PolicyCreate> {
  static override summary = 'Create a policy.';
  static override description = withExitCodes(
    'Creates a policy in your tenant, or in --tenant (POST /0.1/policies), and prints it. Its slug is derived from ' +
      'the name unless --slug gives it; slug and --shared never change afterwards. Your own access must grant each ' +
      'access of the ACL (exit 4 otherwise). A name or slug already used exits 1, or with --or-show prints the ' +
      'existing policy, unchanged, and exits 0: a script may run it again.',
  );
  static override examples = [
    {description: 'With its ACL', command: "<%= config.bin %> policy create Operators --slug operators --acl 'confd.users.read' --acl 'calld.#'"},
    {
      description: 'Idempotent, in a provisioning script',
      command: "<%= config.bin %> policy create Readers --slug readers --acl 'confd.*.read' --or-show --format plain",
    },
    {description: 'Seen by the tenants below too', command: "<%= config.bin %> policy create 'Call center' --shared --description 'Agents of every branch'"},
  ];
  static override args = {name: Args.string({description: 'Its name, unique in the tenant', required: true})};
  static override flags = {
    tenant: tenantFlag,
    slug: Flags.string({summary: 'Its slug: letters, digits, _ and - (default: from the name)', helpValue: 'SLUG'}),
    description: Flags.string({summary: 'Free text', helpValue: 'TEXT'}),
    acl: Flags.string({summary: 'An access it grants (! in front denies); repeat for several', multiple: true, multipleNonGreedy: true, helpValue: 'ACCESS'}),
    shared: Flags.boolean({summary: 'The tenants below see it too (read-only)'}),
    'or-show': Flags.boolean({summary: 'When a policy of that name or slug exists, print it instead of failing'}),
  };

  async run() {
    const {args, flags} = this;
    assertAccesses(flags.acl ?? []);
    const client = await this.authenticatedClient();
    await actIn(client, flags.tenant);
    const fields = {name: args.name, slug: flags.slug, description: flags.description, acl: flags.acl ?? [], shared: flags.shared};
    try {
      return await this.show(await client.policies.create(fields), policyView);
    } catch (error) {
      if (!flags['or-show'] || !isRefusal(error, 'conflict')) throw error;
      const existing = await clashingPolicy(client, args.name, flags.slug);
      if (!existing) throw error;
      const differs = flags.acl !== undefined && !sameAccesses(existing.acl, flags.acl);
      this.note(`Policy ${existing.slug} already exists: shown as it is, unchanged${differs ? ', with an ACL other than the one given' : ''}.`);
      return this.show(existing, policyView);
    }
  }
}

import {isTabular} from '../../src/cli/output.js';
import {Args} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {ExitCode, withExitCodes} from '../../src/cli/exit-codes.js';
import {CliFailure} from '../../src/cli/failure.js';
import {PROFILE_KEYS} from '../../src/cli/profiles.js';

export default class ConfigGet extends BaseCommand<typeof ConfigGet> {
  static override summary = 'Print one setting of a profile.';
  static override description = withExitCodes(
    'Prints the value KEY has in the profile, as stored: WAZO_AUTH_URL and the other environment variables override ' +
      'settings when commands run, not here. Exits 1 when the profile does not set KEY.',
  );
  static override examples = [
    {description: "The default profile's daemon", command: '<%= config.bin %> config get url'},
    {description: 'Another profile', command: '<%= config.bin %> config get username --profile lab'},
  ];
  static override baseFlags = BaseCommand.localFlags;
  static override args = {
    key: Args.string({description: 'The setting', required: true, options: [...PROFILE_KEYS]}),
  };

  async run() {
    const value = this.profile()[this.args.key as (typeof PROFILE_KEYS)[number]];
    if (value === undefined) throw new CliFailure(`profile ${this.profileName} does not set ${this.args.key}`, ExitCode.negative);
    // A table of one value would only frame it: the value is printed bare.
    return this.show({profile: this.profileName, key: this.args.key, value}, {plain: ['value']}, isTabular(this.outputFormat) ? 'plain' : undefined);
  }
}

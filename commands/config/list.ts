import {BaseCommand} from '../../src/cli/base-command.js';
import {withExitCodes} from '../../src/cli/exit-codes.js';
import {readProfiles} from '../../src/cli/profiles.js';

export default class ConfigList extends BaseCommand<typeof ConfigList> {
  static override summary = 'List the profiles and their settings.';
  static override description = withExitCodes(
    'Lists every profile kept in the configuration file (~/.config/wazo-auth/config.json on Linux): its daemon URL, ' +
      'username, TLS verification, CA file, output format, and whether it is logged in (where its refresh token is). ' +
      'With --format plain, the profile names. Secrets are never in this file.',
  );
  static override examples = [
    {description: 'Every profile', command: '<%= config.bin %> config list'},
    {description: 'As JSON, for a script', command: '<%= config.bin %> config list --json'},
  ];
  static override baseFlags = BaseCommand.localFlags;

  async run() {
    const rows = Object.entries(readProfiles()).map(([profile, settings]) => ({profile, ...settings}));
    return this.show(rows, {columns: ['profile', 'url', 'username', 'verify', 'ca_file', 'format', 'credentials'], plain: 'profile'});
  }
}

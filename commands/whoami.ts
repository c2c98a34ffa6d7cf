import {BaseCommand} from '../src/cli/base-command.js';
import {withExitCodes} from '../src/cli/exit-codes.js';
import {identify} from '../src/cli/identity.js';

export default class Whoami extends BaseCommand<typeof Whoami> {
  static override summary = 'Show who the current credentials are: user, tenant and ACL.';
  static override description = withExitCodes(
    "Shows the user behind the current credentials (WAZO_AUTH_TOKEN when set, else the profile's kept login), its " +
      'tenant and the ACL its tokens carry. A username or tenant name the user may not read shows empty. With ' +
      "--format plain, the user's uuid alone. Exits 4 when not logged in or when the credentials are refused.",
  );
  static override examples = [
    {description: 'The default profile', command: '<%= config.bin %> whoami'},
    {
      description: 'An access token from elsewhere, as JSON',
      command: 'WAZO_AUTH_TOKEN=$TOKEN <%= config.bin %> whoami --url https://pbx.example.com/api/auth --json',
    },
    {description: 'The user uuid, for a script', command: 'user=$(<%= config.bin %> whoami --format plain)'},
  ];

  async run() {
    const client = await this.authenticatedClient();
    const login = this.environmentToken ? undefined : {profile: this.profileName, username: this.profile().username};
    const identity = await identify(client, login);
    return this.show(identity, {plain: ['uuid']});
  }
}

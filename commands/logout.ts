import {BaseCommand} from '../src/cli/base-command.js';
import {ExitCode, withExitCodes} from '../src/cli/exit-codes.js';
import {CliFailure} from '../src/cli/failure.js';
import {logOut} from '../src/cli/login.js';
import {configDir} from '../src/cli/profiles.js';
import {keptLogin} from '../src/cli/session.js';

export default class Logout extends BaseCommand<typeof Logout> {
  static override summary = 'Revoke the kept login on the daemon and forget it here.';
  static override description = withExitCodes(
    "Revokes the profile's refresh token on its daemon (DELETE /0.1/users/me/tokens/{client_id}), then removes it " +
      'from the keychain (or the --insecure-storage file). The URL and username stay in the profile for the next login. ' +
      'When the daemon cannot revoke it, the login is still forgotten here and the command says how to revoke it later. ' +
      'Exits 1 when the profile is not logged in.',
  );
  static override examples = [
    {description: 'Log out of the default profile', command: '<%= config.bin %> logout'},
    {description: 'Log out of another profile', command: '<%= config.bin %> logout --profile lab'},
  ];

  async run() {
    const dir = configDir();
    const login = keptLogin(this.profileName, this.profile(), dir);
    if (!login) throw new CliFailure(`profile ${this.profileName} is not logged in`, ExitCode.negative);
    const result = await logOut(await this.client(login.url), login, dir);
    this.note(`Logged out of ${result.url} (profile ${result.profile})${result.revoked ? '' : '; the daemon no longer knew this login'}.`);
    return result;
  }
}

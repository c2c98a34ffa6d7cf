import {Flags} from '@oclif/core';
import {BaseCommand} from '../src/cli/base-command.js';
import {withExitCodes} from '../src/cli/exit-codes.js';
import {usageError} from '../src/cli/failure.js';
import {logIn} from '../src/cli/login.js';
import {readPassword} from '../src/cli/password.js';
import {configDir} from '../src/cli/profiles.js';
import {keptLogin} from '../src/cli/session.js';

export default class Login extends BaseCommand<typeof Login> {
  static override summary = 'Log in to a daemon and keep the login in the OS keychain.';
  static override description = withExitCodes(
    'Trades the password for a refresh token (an offline token with a client_id of its own) and keeps only the refresh ' +
      'token, in the OS keychain; every later command gets a short-lived access token from it. The password is read from ' +
      'a hidden prompt on a terminal, or from standard input with --password-stdin, and never kept. The URL is the ' +
      "daemon's root as you would type it (https://auth.example.com:9497, https://pbx.example.com/api/auth); a trailing " +
      '/0.1 is accepted. URL and username are kept in the profile, so logging in again needs neither; with --insecure, ' +
      'so is TLS verification off.\n\n' +
      'Without a usable keychain (a server with no desktop session), --insecure-storage keeps the refresh token in a file ' +
      'that only you can read instead; or skip logging in and set WAZO_AUTH_TOKEN to an access token.',
  );
  static override examples = [
    {description: 'Log in, typing the password at a hidden prompt', command: '<%= config.bin %> login --url https://pbx.example.com/api/auth --username admin'},
    {
      description: 'From a script, with the password on standard input',
      command: 'printf \'%s\' "$PASSWORD" | <%= config.bin %> login --url https://auth.example.com:9497 --username admin --password-stdin',
    },
    {
      description: 'A second daemon, in its own profile, on a server without a keychain',
      command: '<%= config.bin %> login --profile lab --url https://lab.example.com:9497 --username admin --insecure-storage',
    },
  ];
  static override flags = {
    username: Flags.string({summary: "Who to log in as (default: the profile's)", helpValue: 'NAME'}),
    'password-stdin': Flags.boolean({summary: 'Read the password from standard input'}),
    'insecure-storage': Flags.boolean({summary: 'Keep the refresh token in a file only you can read, not in the OS keychain'}),
  };

  async run() {
    const username = this.flags.username ?? this.profile().username;
    if (!username) throw usageError('who to log in as? pass --username NAME');
    const client = await this.client();
    const password = await readPassword(this.flags['password-stdin'], `Password for ${username} at ${client.url}: `);
    if (password === undefined) throw usageError('no password: pipe it with --password-stdin, or run on a terminal to be prompted');
    if (!password) throw usageError('the password is empty');
    const dir = configDir();
    const result = await logIn({
      client,
      profile: this.profileName,
      username,
      password,
      storage: this.flags['insecure-storage'] ? 'file' : 'keychain',
      insecure: this.flags.insecure,
      configDir: dir,
      previous: keptLogin(this.profileName, this.profile(), dir),
    });
    this.note(`Logged in to ${result.url} as ${username} (profile ${result.profile}); refresh token kept in ${result.stored_in}.`);
    return result;
  }
}

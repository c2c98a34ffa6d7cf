import {Flags} from '@oclif/core';
import {BaseCommand} from '../src/cli/base-command.js';
import {withExitCodes} from '../src/cli/exit-codes.js';
import {DEFAULT_WAIT_SECONDS, DEFAULT_WAIT_URL, waitUntilAnswering} from '../src/cli/wait.js';

export default class Wait extends BaseCommand<typeof Wait> {
  static override summary = 'Wait until the daemon answers (as wazo-auth-wait).';
  static override description = withExitCodes(
    'Asks the daemon every half second whether it runs (HEAD /0.1/status, no login), and exits 0 as soon as it answers, ' +
      'even that a component such as its database fails (503: said on stderr). Prints nothing else. The daemon is --url, ' +
      `WAZO_AUTH_URL or the profile's, else ${DEFAULT_WAIT_URL} as for wazo-auth-wait. Exits 3 with a message once --timeout ` +
      'seconds have passed without an answer.',
  );
  static override examples = [
    {description: 'In a systemd unit, after the start', command: 'ExecStartPost=/usr/bin/<%= config.bin %> wait --timeout 60'},
    {description: 'A daemon elsewhere', command: '<%= config.bin %> wait --url https://pbx.example.com/api/auth --timeout 10'},
  ];
  static override flags = {
    timeout: Flags.integer({summary: `Seconds to wait at most (default ${DEFAULT_WAIT_SECONDS})`, min: 1, helpValue: 'SECONDS'}),
  };

  async run(): Promise<void> {
    const client = await this.client(this.flags.url ?? this.profile().url ?? DEFAULT_WAIT_URL);
    const outcome = await waitUntilAnswering(client.url, () => client.status.check(), (this.flags.timeout ?? DEFAULT_WAIT_SECONDS) * 1000);
    if (outcome === 'degraded') this.logToStderr(`${client.url} answers, but a component fails (503)`);
  }
}

import {BaseCommand} from '../src/cli/base-command.js';
import {withExitCodes} from '../src/cli/exit-codes.js';
import {refusals} from '../src/cli/failure.js';

export default class Status extends BaseCommand<typeof Status> {
  static override summary = 'Check that the daemon answers and works.';
  static override description = withExitCodes(
    'Asks the daemon whether it and its database work (HEAD /0.1/status); needs no login. Prints the URL, "ok", the daemon ' +
      'version and the time the answer took. Exits 1 when the daemon answers that a component fails, 3 when it cannot be reached or is not a wazo-auth daemon.',
  );
  static override examples = [
    {description: "The profile's daemon", command: '<%= config.bin %> status'},
    {description: 'Any daemon, in a script', command: 'until <%= config.bin %> status --url https://pbx.example.com/api/auth --format plain; do sleep 1; done'},
  ];

  async run() {
    const client = await this.client();
    const started = performance.now();
    const {version} = await client.status.check().catch((error: unknown) => {
      throw refusals.health(error, client.url);
    });
    const answer = {url: client.url, status: 'ok', version, response_ms: Math.round(performance.now() - started)};
    return this.show(answer, {plain: ['status']});
  }
}

import {Flags} from '@oclif/core';
import {BaseCommand} from '../../src/cli/base-command.js';
import {ExitCode, withExitCodes} from '../../src/cli/exit-codes.js';
import {assertNoPasswordInArgv, nameMatcher, shownUri, tailEvents, textLine} from '../../src/cli/events-tail.js';
import {CliFailure} from '../../src/cli/failure.js';

export default class EventsTail extends BaseCommand<typeof EventsTail> {
  static override summary = "Print the daemon's bus events as they come.";
  static override description = withExitCodes(
    'Subscribes to the RabbitMQ exchange the daemons publish on (the amqp section of their configuration) with a temporary ' +
      'queue of its own, and prints each event on one line until interrupted: time, name, routing key and data; with --json ' +
      'one JSON object a line (name, routing_key, headers, data). Talks to the broker, not to the daemon. A broker URI ' +
      'holding a password belongs in WAZO_AUTH_AMQP_URI, not on the command line. Exits 3 when the broker cannot be reached.',
  );
  static override examples = [
    {description: 'Every event', command: 'WAZO_AUTH_AMQP_URI=amqp://user:secret@pbx:5672/ <%= config.bin %> events tail'},
    {description: 'Sessions only, as JSON lines', command: "<%= config.bin %> events tail --name 'auth_session_*' --json"},
  ];
  static override flags = {
    name: Flags.string({summary: 'Only the events of this name; * and ? match any characters; repeatable', helpValue: 'PATTERN', multiple: true}),
    bus: Flags.string({
      summary: 'The broker (default: amqp://guest:guest@localhost:5672/)',
      env: 'WAZO_AUTH_AMQP_URI',
      helpValue: 'URI',
      default: 'amqp://guest:guest@localhost:5672/',
    }),
    exchange: Flags.string({summary: "The exchange (the daemons' amqp.exchange_name)", default: 'xivo', helpValue: 'NAME'}),
    'exchange-type': Flags.option({
      options: ['topic', 'direct', 'fanout', 'headers'] as const,
      summary: "The exchange's type (amqp.exchange_type)",
      default: 'topic',
    })(),
    count: Flags.integer({summary: 'Stop after this many events', min: 1, helpValue: 'N'}),
  };

  async run() {
    const {bus, exchange, count} = this.flags;
    assertNoPasswordInArgv(bus, this.argv);
    const json = this.jsonEnabled() || this.outputFormat === 'json';
    const stop = new AbortController();
    const interrupt = () => stop.abort();
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    try {
      await tailEvents({
        uri: bus,
        exchange,
        exchangeType: this.flags['exchange-type'],
        matches: nameMatcher(this.flags.name ?? []),
        count,
        signal: stop.signal,
        print: (event) => this.factory.io.stdout.write(`${json ? JSON.stringify(event) : textLine(event)}\n`),
        onReady: () => this.note(`listening on ${shownUri(bus)}, exchange ${exchange}`),
      });
    } catch (error) {
      throw new CliFailure(`cannot listen on ${shownUri(bus)}: ${(error as Error).message}`, ExitCode.unreachable);
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
    }
  }
}

import {Flags} from '@oclif/core';
import {BaseCommand} from '../src/cli/base-command.js';
import {durationFlag} from '../src/cli/duration.js';
import {withExitCodes} from '../src/cli/exit-codes.js';
import {assertNoPasswordInArgv, followEvents, nameMatcher, shownUri} from '../src/cli/events-tail.js';
import {refusals, usageError} from '../src/cli/failure.js';
import {editorCommand, editPolicy} from '../src/cli/policy-edit.js';
import {checkProfileName, configDir, readProfiles} from '../src/cli/profiles.js';
import {accessTokenFrom, keptLogin, keptTokensOf, notLoggedIn} from '../src/cli/session.js';
import type {AuthClient, Token} from '../src/client/index.js';

export default class Dashboard extends BaseCommand<typeof Dashboard> {
  static override summary = 'Watch and administer the daemon in a full-screen terminal view.';
  static override description = withExitCodes(
    'Live sessions (revoke one, or all of a user), policies (edit their ACL, try an access against them), users ' +
      '(attach and detach policies) and tenants (scope the other views), through the REST API with the same profiles ' +
      'and credentials as the other commands. Press ? in it for every key. The access token it gets from the kept ' +
      'login is renewed for as long as it runs. With --bus (or WAZO_AUTH_AMQP_URI) the Sessions view also reloads on ' +
      'every session event of the bus; it polls all the same. Needs a terminal: without one it exits 2.',
  );
  static override examples = [
    {description: "The profile's daemon", command: '<%= config.bin %> dashboard'},
    {description: 'Watch only, reloading every 5 s', command: '<%= config.bin %> dashboard --read-only --refresh 5'},
  ];
  static override enableJsonFlag = false;
  static override flags = {
    refresh: durationFlag({summary: 'Time between two reloads of the view: seconds (0.5), or 1m', default: 2, min: 0.1, max: 3600}),
    'read-only': Flags.boolean({summary: 'Disable every change: watch only'}),
    bus: Flags.string({
      summary: "The daemons' RabbitMQ, for live session events (a URI with a password: in WAZO_AUTH_AMQP_URI)",
      env: 'WAZO_AUTH_AMQP_URI',
      helpValue: 'URI',
    }),
    exchange: Flags.string({summary: "The daemons' amqp.exchange_name", default: 'xivo', helpValue: 'NAME'}),
  };

  async run(): Promise<void> {
    const seconds = this.flags.refresh;
    // Ink needs a terminal for its keys (raw mode) and its screen.
    if (!this.factory.io.stdin.isTTY || !this.factory.io.stdout.isTTY) {
      throw usageError('the dashboard needs a terminal; in scripts, use the other commands (wazo-auth --help)');
    }
    const client = await this.client();
    const homeClient = await this.client();
    let token;
    let renew;
    if (this.environmentToken) {
      client.token = this.environmentToken;
      token = await client.tokens.get(this.environmentToken).catch((error: unknown) => {
        throw refusals.ownToken(error, `${client.url} does not know WAZO_AUTH_TOKEN (expired, revoked, or from another daemon)`);
      });
    } else {
      token = await this.renewAccessToken(client);
      renew = () => this.renewAccessToken(client);
    }
    // Ink and React load only here: the other commands start without them.
    const {runDashboard} = await import('../src/tui/run.js');
    const bus = await this.followSessions();
    // The clients of the profile switched to last (`:profile NAME`): its token is revoked on the next switch and at the end.
    let switched: AuthClient[] = [];
    const leave = async () => {
      const [client] = switched;
      if (client?.token) await client.tokens.revoke(client.token).catch(() => undefined);
      await Promise.all(switched.map((c) => c.close()));
      switched = [];
    };
    try {
      await runDashboard({
        client,
        homeClient,
        token,
        renew,
        refreshMs: seconds * 1000,
        readOnly: this.flags['read-only'],
        sessionEvents: bus?.events,
        editPolicy: async (policyClient, uuid) => Boolean(await editPolicy(policyClient.policies, uuid, editorCommand(), `${this.config.bin} policy apply -f`)),
        switchProfile: this.environmentToken
          ? undefined
          : async (name) => {
              const next = await this.profileConnection(name);
              await leave();
              switched = [next.client, next.homeClient];
              return next;
            },
      });
    } finally {
      await leave();
      await bus?.close();
    }
  }

  /** Clients and a token from another profile's kept login, renewed from it as the dashboard runs. */
  private async profileConnection(name: string) {
    const dir = configDir();
    const profile = readProfiles(dir)[checkProfileName(name)];
    if (!profile?.url) throw usageError(`no profile ${name} (wazo-auth config list shows them)`);
    const login = keptLogin(name, profile, dir);
    if (!login) throw notLoggedIn(name, profile.url);
    const options = {url: profile.url, caFile: profile.ca_file, insecure: profile.verify === false, userAgent: `wazo-auth-cli/${this.config.version}`};
    const [client, homeClient] = await Promise.all([this.factory.client(options), this.factory.client(options)]);
    const renew = async (): Promise<Token> => {
      const token = await accessTokenFrom(client, login, (await keptTokensOf(login)).refresh_token);
      const old = client.token;
      client.token = token.token;
      if (old) await client.tokens.revoke(old).catch(() => undefined);
      return token;
    };
    try {
      return {client, homeClient, token: await renew(), renew};
    } catch (error) {
      await Promise.all([client.close(), homeClient.close()]);
      throw error;
    }
  }

  /** The bus's session events, when --bus is given; without a broker, a note and polling only. */
  private async followSessions() {
    const uri = this.flags.bus;
    if (!uri) return undefined;
    assertNoPasswordInArgv(uri, this.argv);
    const listeners = new Set<() => void>();
    try {
      const follower = await followEvents({
        uri,
        exchange: this.flags.exchange,
        exchangeType: 'topic',
        matches: nameMatcher(['auth_session_*']),
        onEvent: () => listeners.forEach((listener) => listener()),
      });
      const events = {
        subscribe(listener: () => void) {
          listeners.add(listener);
          return () => void listeners.delete(listener);
        },
      };
      return {events, close: () => follower.close()};
    } catch (error) {
      this.note(`no live session events from ${shownUri(uri)} (${(error as Error).message}): polling only`);
      return undefined;
    }
  }
}

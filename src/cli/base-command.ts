// What every administration command shares: the global flags (profile, URL, output format, TLS),
// the authenticated client, output rendering and the one error mapping. A command class extends
// it, declares its metadata, and returns its data from run() through `show()`.

import {format, inspect} from 'node:util';
import {Command, Errors, Flags, ux, type Interfaces} from '@oclif/core';
import type {AuthClient, Token} from '../client/index.js';
import {currentFactory, type Factory} from './factory.js';
import {CliFailure, failureJson, failureOf, refusals, usageError} from './failure.js';
import {closest, jsonRequested} from './suggest.js';
import {formatData, FORMATS, wantsColour, type Format, type ListView, type RecordView} from './output.js';
import {layoutFlags, layoutOf} from './layout.js';
import {checkProfileName, configDir, DEFAULT_PROFILE, readProfiles, type Profile} from './profiles.js';
import {readWazoAuthCliConfig, type WazoAuthCliConfig} from './wazo-auth-cli-config.js';
import {accessTokenFrom, keptLogin, keptTokensOf, notLoggedIn, renewKeptAccessToken, usableAccessToken, type KeptLogin} from './session.js';

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<typeof globalFlags & T['flags']>;
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

const GLOBAL = 'GLOBAL';

const globalFlags = {
  profile: Flags.string({
    summary: 'Profile to use (default: "default")',
    env: 'WAZO_AUTH_PROFILE',
    helpValue: 'NAME',
    helpGroup: GLOBAL,
  }),
  url: Flags.string({
    summary: "The daemon's URL, e.g. https://pbx.example.com/api/auth (default: the profile's)",
    env: 'WAZO_AUTH_URL',
    helpValue: 'URL',
    helpGroup: GLOBAL,
  }),
  format: Flags.option({
    char: 'o',
    options: FORMATS,
    summary: "Output format (default: the profile's, else table); --json is --format json",
    env: 'WAZO_AUTH_FORMAT',
    helpGroup: GLOBAL,
  })(),
  ...layoutFlags,
  insecure: Flags.boolean({summary: 'Accept any TLS certificate from the daemon (as curl -k)', helpGroup: GLOBAL}),
  config: Flags.string({
    summary: "Read the daemon and the credentials from a wazo-auth-cli configuration folder (its config.yml, conf.d/ and *.yml), as wazo-auth-cli's --config",
    env: 'WAZO_AUTH_CLI_CONFIG',
    helpValue: 'DIR',
    helpGroup: GLOBAL,
  }),
  token: Flags.string({
    summary: 'Use this access token instead of the login (as wazo-auth-cli; WAZO_AUTH_TOKEN keeps it out of the process list)',
    helpValue: 'TOKEN',
    helpGroup: GLOBAL,
  }),
};

/**
 * A command whose output goes to its factory's streams (src/cli/factory.ts) rather than straight to
 * the process's: what lets a test run it in-process. oclif's own log methods, otherwise as oclif has them.
 */
export abstract class FactoryCommand extends Command {
  /** What this command takes from the world: the process's, or a test's. */
  protected get factory(): Factory {
    return currentFactory();
  }

  override log(message: unknown = '', ...args: unknown[]): void {
    if (!this.jsonEnabled()) this.factory.io.stdout.write(`${format(typeof message === 'string' ? message : inspect(message), ...args)}\n`);
  }

  override logToStderr(message: unknown = '', ...args: unknown[]): void {
    if (!this.jsonEnabled()) this.factory.io.stderr.write(`${format(typeof message === 'string' ? message : inspect(message), ...args)}\n`);
  }

  override logJson(json: unknown): void {
    this.factory.io.stdout.write(`${ux.colorizeJson(json, {pretty: true, theme: this.config.theme?.json})}\n`);
  }
}

/**
 * Flags and args are parsed before run(): `this.flags`, `this.args`. Errors are thrown (ApiError,
 * ConnectionError, CliFailure...) and mapped to an exit code and message in `catch`, once.
 *
 * @example
 * export default class PolicyShow extends BaseCommand<typeof PolicyShow> {
 *   static override summary = 'Show a policy.';
 *   static override description = withExitCodes('...');
 *   static override examples = ['<%= config.bin %> policy show operators'];
 *   static override args = {policy: Args.string({required: true})};
 *   async run() {
 *     const client = await this.authenticatedClient();
 *     return this.show(await client.policies.get(this.args.policy), {plain: ['uuid']});
 *   }
 * }
 */
export abstract class BaseCommand<T extends typeof Command> extends FactoryCommand {
  static override enableJsonFlag = true;

  static override baseFlags: Partial<typeof globalFlags> = globalFlags;

  /** The base flags of commands that do not talk to a daemon (config): no --url, no --insecure. */
  static readonly localFlags: Partial<typeof globalFlags> = {profile: globalFlags.profile, format: globalFlags.format, ...layoutFlags};

  protected flags!: CommandFlags<T>;
  protected args!: CommandArgs<T>;
  /** Every positional argument in order: how a command with a variadic last argument (`strict = false`) reads it. */
  protected positionals!: string[];
  /** Resolved once the flags are parsed; until then only `--json` on the command line counts. */
  private format: Format | undefined;
  private storedProfile: Profile | undefined;
  private legacyConfig: WazoAuthCliConfig | undefined;
  private readonly clients: AuthClient[] = [];
  /** Access tokens renewAccessToken made, revoked when the command ends. */
  private readonly issued: {client: AuthClient; token: string}[] = [];

  override async init(): Promise<void> {
    await super.init();
    const {args, argv, flags} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    });
    this.flags = flags as CommandFlags<T>;
    this.args = args as CommandArgs<T>;
    this.positionals = argv as string[];
    // --json wins over a format from the environment or the profile, as it would over --format.
    this.format = this.flags.json ? 'json' : (this.flags.format ?? this.profile().format ?? 'table');
  }

  /** JSON through oclif for `--json`, `--format json` and a profile or environment saying json; errors too. */
  override jsonEnabled(): boolean {
    return this.format ? this.format === 'json' : super.jsonEnabled();
  }

  protected get profileName(): string {
    return checkProfileName(this.flags.profile ?? DEFAULT_PROFILE);
  }

  /** The stored profile, empty when there is none of that name; with --config, what the wazo-auth-cli folder says instead. */
  protected profile(): Profile {
    if (this.storedProfile) return this.storedProfile;
    const legacy = this.wazoAuthCliConfig();
    this.storedProfile = legacy
      ? {url: legacy.url, verify: legacy.verify, ...(legacy.caFile ? {ca_file: legacy.caFile} : {})}
      : (readProfiles(configDir())[this.profileName] ?? {});
    return this.storedProfile;
  }

  /** The wazo-auth-cli folder of --config (or WAZO_AUTH_CLI_CONFIG), read once; undefined without one. */
  private wazoAuthCliConfig(): WazoAuthCliConfig | undefined {
    const dir = (this.flags as {config?: string}).config;
    if (!dir) return undefined;
    this.legacyConfig ??= readWazoAuthCliConfig(dir);
    return this.legacyConfig;
  }

  protected daemonUrl(): string {
    const url = this.flags.url ?? this.profile().url;
    if (!url) throw usageError('no daemon URL: pass --url URL, set WAZO_AUTH_URL, or log in first (wazo-auth login --url URL --username NAME)');
    return url;
  }

  /** A client without credentials, for the routes that need none (status, token checks, logins). */
  protected async client(url = this.daemonUrl()): Promise<AuthClient> {
    const profile = this.profile();
    const client = await this.factory.client({
      url,
      caFile: profile.ca_file,
      insecure: this.flags.insecure || profile.verify === false,
      userAgent: `wazo-auth-cli/${this.config.version}`,
    });
    this.clients.push(client);
    return client;
  }

  /** An access token given by --token or the environment, which then stands for any kept login. */
  protected get environmentToken(): string | undefined {
    return this.flags.token || this.factory.env.WAZO_AUTH_TOKEN || undefined;
  }

  /**
   * A client with an access token: --token or WAZO_AUTH_TOKEN as is, else the profile's kept one,
   * renewed from its refresh token when it nears its end or when the daemon refuses it.
   */
  protected async authenticatedClient(): Promise<AuthClient> {
    const client = await this.client();
    if (this.environmentToken) {
      client.token = this.environmentToken;
      return client;
    }
    const legacy = this.wazoAuthCliConfig();
    if (legacy?.username && legacy.password && client.url === legacy.url) {
      // As wazo-auth-cli: a token for this command alone, revoked when it ends.
      const token = await client.tokens
        .create({username: legacy.username, password: legacy.password}, {backend: legacy.backend, expiration: 3600})
        .catch((error: unknown) => {
          throw refusals.credentials(error, (said) => `${client.url} refused the credentials of ${this.flags.config} (${said})`);
        });
      client.token = token.token;
      this.issued.push({client, token: token.token});
      return client;
    }
    const login = this.loginFor(client);
    const kept = await keptTokensOf(login);
    client.token = usableAccessToken(kept) ?? (await renewKeptAccessToken(client, login, kept));
    client.renewRefused = () => renewKeptAccessToken(client, login, kept);
    return client;
  }

  /** The profile's kept login, which must be for the client's daemon: a refresh token goes only to the daemon that issued it, whatever --url says. */
  private loginFor(client: AuthClient): KeptLogin {
    const login = keptLogin(this.profileName, this.profile(), configDir());
    if (!login || login.url !== client.url) throw notLoggedIn(this.profileName, client.url);
    return login;
  }

  /**
   * Gives `client` an access token of its own from the profile's kept login, revokes the one this
   * method gave it before, and returns the new token; tokens made here are revoked when the command
   * ends. For a command that outlives a token (the dashboard); --token cannot be renewed this way.
   */
  protected async renewAccessToken(client: AuthClient): Promise<Token> {
    const login = this.loginFor(client);
    const token = await accessTokenFrom(client, login, (await keptTokensOf(login)).refresh_token);
    client.token = token.token;
    const previous = this.issued.findIndex((issued) => issued.client === client);
    if (previous >= 0) {
      const [old] = this.issued.splice(previous, 1);
      // Best effort, as in finally(): a token that cannot be revoked expires on its own.
      await client.tokens.revoke(old!.token).catch(() => undefined);
    }
    this.issued.push({client, token: token.token});
    return token;
  }

  protected get outputFormat(): Format {
    return this.format ?? 'table';
  }

  /**
   * Prints `data` in the output format (or in `format` instead, e.g. bare values for a table of
   * one value), unless oclif prints it as JSON; returns it for run().
   */
  protected async show<D extends object>(data: D, view: ListView | RecordView, format: Exclude<Format, 'json'> | undefined = undefined): Promise<D> {
    if (this.jsonEnabled()) return data;
    const {stdout} = this.factory.io;
    const layout = layoutOf(this.flags, stdout, this.factory.env);
    stdout.write(await formatData(data as Parameters<typeof formatData>[0], view, format ?? (this.outputFormat as Exclude<Format, 'json'>), layout));
    return data;
  }

  /** A message for the operator, on stderr: stdout is for data. */
  protected note(message: string): void {
    this.factory.io.stderr.write(`${message}\n`);
  }

  override async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    // this.exit(): the command chose its exit code and printed what it had to.
    if (error instanceof Errors.ExitError) throw error;
    // A flag's own parse refused its value: oclif rewrites the reason's message into lines of its own.
    const parsing = /^Parsing (--[\w-]+)\s*\n\s*(.+)/.exec(error.message);
    const failure = parsing
      ? usageError(`${parsing[1]}: ${parsing[2]!.trim()}`)
      : error instanceof Errors.CLIError
        ? (this.parseFailure(error) ?? failureOf(error))
        : failureOf(error);
    // A bug keeps its stack.
    if (!failure) return super.catch(error);
    // One line, never oclif's decoration: a journal or a script reads it as it is.
    if (this.format ? this.format === 'json' : jsonRequested(this.argv, this.factory.env)) this.logJson(failureJson(failure));
    else this.factory.io.stderr.write(`Error: ${failure.message}\n`);
    return this.exit(failure.exitCode);
  }

  /** oclif's parse errors reworded in one line, an unknown flag with the nearest known one. */
  private parseFailure(error: Errors.CLIError & {flags?: unknown; args?: unknown}): CliFailure | undefined {
    const help = `see ${this.config.bin} ${this.id?.replaceAll(':', ' ') ?? ''} --help`.replace('  ', ' ');
    if (Array.isArray(error.flags)) {
      const known = Object.keys({...this.ctor.flags, ...(this.ctor as typeof BaseCommand).baseFlags, json: true, help: true});
      const unknown = (error.flags as string[]).map((flag) => {
        const near = closest(flag.replace(/^-+/, '').split('=')[0]!, known);
        return near ? `${flag} (did you mean --${near}?)` : flag;
      });
      return usageError(`unknown flag${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}; ${help}`);
    }
    if (Array.isArray(error.args) && /^Missing/.test(error.message)) {
      const names = (error.args as {name?: string}[]).map((arg) => (arg.name ?? 'argument').toUpperCase());
      return usageError(`missing ${names.join(', ')}; ${help}`);
    }
    return undefined;
  }

  override async finally(error: Error | undefined): Promise<void> {
    // Best effort: a token that cannot be revoked (the daemon just went away) expires on its own.
    await Promise.allSettled(this.issued.map(({client, token}) => client.tokens.revoke(token)));
    await Promise.allSettled(this.clients.map((client) => client.close()));
    await super.finally(error);
  }
}

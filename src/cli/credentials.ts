// Where a profile's tokens are kept: the OS keychain (@napi-rs/keyring: macOS Keychain, Windows
// Credential Manager, the Secret Service on Linux), or, only on explicit opt-in
// (`login --insecure-storage`), a file that only its owner may read. What is kept is the login's
// refresh token and the access token last made from it, reused by every command until shortly
// before it expires. Nothing else about a login is secret.
//
// The keychain is called in-process: a child process per command cost a second Node start-up.
// A session bus that accepts a connection and never answers would block the native call (on
// the calling thread, out of reach of any timer), so on Linux the bus is first asked for its
// authentication greeting, bounded in time, and the keychain is called only once it answers.

import {closeSync, fstatSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync} from 'node:fs';
import {makeFolders} from '../file-modes.js';
import {createRequire} from 'node:module';
import {connect} from 'node:net';
import {dirname, join} from 'node:path';
import {ExitCode} from './exit-codes.js';
import {CliFailure} from './failure.js';

export type CredentialStoreKind = 'keychain' | 'file';

/** A kept login's secrets. */
export interface KeptTokens {
  refresh_token: string;
  /** The access token last made from the refresh token, and when it expires (ms since the epoch). */
  access_token?: string;
  expires_at?: number;
}

export interface CredentialStore {
  /** Where the secret is, for the operator. */
  readonly description: string;
  read(account: string): Promise<KeptTokens | undefined>;
  write(account: string, tokens: KeptTokens): Promise<void>;
  /** Whether there was a secret to remove. */
  remove(account: string): Promise<boolean>;
}

const KEYCHAIN_SERVICE = 'wazo-auth';
const BUS_TIMEOUT_MS = 5_000;

/** One keychain account per profile and daemon: logging a profile in elsewhere leaves no stale secret behind. */
export const accountOf = (profile: string, url: string) => `${profile}@${url}`;

/** `env` is the command's: the keychain finds the session bus through it. */
export function credentialStore(kind: CredentialStoreKind, configDir: string, env: NodeJS.ProcessEnv): CredentialStore {
  return kind === 'file' ? new FileStore(join(configDir, 'credentials.json')) : new KeychainStore(BUS_TIMEOUT_MS, env);
}

/** The one line a command prints when the keychain cannot be used, naming both ways out. */
export class KeychainUnavailable extends CliFailure {
  constructor(reason: string) {
    super(
      `no usable OS keychain (${reason}): log in with --insecure-storage to keep the refresh token in a file only you can read, ` +
        'or set WAZO_AUTH_TOKEN to an access token',
      ExitCode.authentication,
    );
  }
}

/** A kept value as stored: JSON of KeptTokens, or (logins kept before access tokens were) the bare refresh token. */
function parseKept(text: string | null | undefined): KeptTokens | undefined {
  if (!text) return undefined;
  if (!text.startsWith('{')) return {refresh_token: text};
  const parsed = JSON.parse(text) as KeptTokens;
  return typeof parsed.refresh_token === 'string' ? parsed : undefined;
}

type Keyring = typeof import('@napi-rs/keyring');
const require = createRequire(import.meta.url);
let keyring: Keyring | undefined;

/** The OS keychain, called in-process once the session bus has shown it answers. */
export class KeychainStore implements CredentialStore {
  readonly description = 'the OS keychain';

  constructor(
    private readonly timeoutMs: number,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async read(account: string): Promise<KeptTokens | undefined> {
    const text = await this.call(account, (entry) => entry.getPassword());
    try {
      return parseKept(text);
    } catch (error) {
      throw new KeychainUnavailable(`the entry of ${account} is damaged (${(error as Error).message}); log in again`);
    }
  }

  async write(account: string, tokens: KeptTokens): Promise<void> {
    await this.call(account, (entry) => entry.setPassword(JSON.stringify(tokens)));
  }

  async remove(account: string): Promise<boolean> {
    return this.call(account, (entry) => entry.deletePassword());
  }

  private async call<T>(account: string, operation: (entry: InstanceType<Keyring['Entry']>) => T): Promise<T> {
    if (process.platform === 'linux') await busAnswers(this.env.DBUS_SESSION_BUS_ADDRESS, this.timeoutMs);
    // The native library reads the bus address from the process's environment: the command's, for this call.
    const saved = process.env.DBUS_SESSION_BUS_ADDRESS;
    setVariable('DBUS_SESSION_BUS_ADDRESS', this.env.DBUS_SESSION_BUS_ADDRESS);
    try {
      keyring ??= require('@napi-rs/keyring') as Keyring;
      // Only the Secret Service on Linux: the default falls back to the kernel keyring, which
      // forgets everything at logout and would make a login look kept when it is not.
      return operation(new keyring.Entry(KEYCHAIN_SERVICE, account, {linux: {store: 'secret-service'}}));
    } catch (error) {
      throw new KeychainUnavailable((error as Error).message);
    } finally {
      setVariable('DBUS_SESSION_BUS_ADDRESS', saved);
    }
  }
}

function setVariable(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/**
 * Resolves once the session bus at `address` answers the first step of D-Bus authentication
 * (any answer will do: the keychain library authenticates for itself); KeychainUnavailable when
 * there is no bus or it stays silent for `timeoutMs`. Transports other than a Unix socket are
 * left to the library.
 */
export function busAnswers(address: string | undefined, timeoutMs: number): Promise<void> {
  if (!address) return Promise.reject(new KeychainUnavailable('no session bus: DBUS_SESSION_BUS_ADDRESS is not set'));
  const first = address.split(';')[0]!;
  const match = /^unix:(path|abstract)=([^,]*)/.exec(first);
  if (!match) return Promise.resolve();
  const name = decodeURIComponent(match[2]!);
  const path = match[1] === 'abstract' ? `\0${name}` : name;
  return new Promise((resolve, reject) => {
    const socket = connect({path});
    const fail = (reason: string) => {
      socket.destroy();
      reject(new KeychainUnavailable(reason));
    };
    socket.setTimeout(timeoutMs, () => fail(`no answer from the session bus within ${timeoutMs / 1000} s`));
    socket.on('error', (error: NodeJS.ErrnoException) => fail(`cannot reach the session bus at ${name}: ${error.code ?? error.message}`));
    socket.on('data', (chunk: Buffer) => {
      if (!chunk.includes('\r\n')) return;
      socket.destroy();
      resolve();
    });
    const uid = Buffer.from(String(process.getuid?.() ?? 0)).toString('hex');
    socket.write(`\0AUTH EXTERNAL ${uid}\r\n`);
  });
}

/** All the profiles' kept tokens in one JSON object, in a file of mode 0600 in a folder of mode 0700. */
export class FileStore implements CredentialStore {
  readonly description: string;

  constructor(private readonly path: string) {
    this.description = `${path} (a file only you can read, not the OS keychain)`;
  }

  async read(account: string): Promise<KeptTokens | undefined> {
    const kept = this.secrets()[account];
    return typeof kept === 'string' ? parseKept(kept) : kept;
  }

  async write(account: string, tokens: KeptTokens): Promise<void> {
    this.save({...this.secrets(), [account]: tokens});
  }

  async remove(account: string): Promise<boolean> {
    const secrets = this.secrets();
    if (!(account in secrets)) return false;
    delete secrets[account];
    this.save(secrets);
    return true;
  }

  private secrets(): Record<string, KeptTokens | string> {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new CliFailure(`cannot read ${this.path}: ${(error as Error).message}`, ExitCode.authentication);
    }
    try {
      // As ssh does with a private key: a secret others could have read is not used.
      if ((fstatSync(fd).mode & 0o077) !== 0) {
        throw new CliFailure(`${this.path} can be read by other users: remove it and log in again`, ExitCode.authentication);
      }
      return JSON.parse(readFileSync(fd, 'utf8')) as Record<string, KeptTokens | string>;
    } catch (error) {
      if (error instanceof CliFailure) throw error;
      throw new CliFailure(`${this.path} is damaged (${(error as Error).message}): remove it and log in again`, ExitCode.authentication);
    } finally {
      closeSync(fd);
    }
  }

  private save(secrets: Record<string, KeptTokens | string>): void {
    if (Object.keys(secrets).length === 0) {
      unlinkSync(this.path);
      return;
    }
    makeFolders(dirname(this.path), 0o700);
    // Written aside then renamed: never a half-written file, and never a moment with a wider mode.
    const aside = `${this.path}.${process.pid}.tmp`;
    writeFileSync(aside, `${JSON.stringify(secrets, null, 2)}\n`, {mode: 0o600, flag: 'wx'});
    renameSync(aside, this.path);
  }
}

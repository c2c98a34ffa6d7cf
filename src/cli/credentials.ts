// Where a profile's refresh token is kept: the OS keychain (@napi-rs/keyring: macOS Keychain,
// Windows Credential Manager, the Secret Service on Linux), or, only on explicit opt-in
// (`login --insecure-storage`), a file that only its owner may read. Nothing else about a login
// is secret. Keychain calls run in a child process bounded in time: a command never hangs on a
// stuck keychain.

import {mkdirSync, openSync, readFileSync, fstatSync, closeSync, renameSync, unlinkSync, writeFileSync} from 'node:fs';
import {spawn} from 'node:child_process';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';
import {ExitCode} from './exit-codes.js';
import {CliFailure} from './failure.js';
import type {KeychainAnswer, KeychainRequest} from './keychain-call.js';

export type CredentialStoreKind = 'keychain' | 'file';

export interface CredentialStore {
  /** Where the secret is, for the operator. */
  readonly description: string;
  read(account: string): Promise<string | undefined>;
  write(account: string, secret: string): Promise<void>;
  /** Whether there was a secret to remove. */
  remove(account: string): Promise<boolean>;
}

const KEYCHAIN_SERVICE = 'wazo-auth';
const KEYCHAIN_TIMEOUT_MS = 5_000;

/** How to start keychain-call: compiled, or from the TypeScript sources (dev mode and tests) through tsx. */
const KEYCHAIN_CALL = import.meta.url.endsWith('.ts')
  ? ['--import', 'tsx', fileURLToPath(new URL('./keychain-call.ts', import.meta.url))]
  : [fileURLToPath(new URL('./keychain-call.js', import.meta.url))];

/** One keychain account per profile and daemon: logging a profile in elsewhere leaves no stale secret behind. */
export const accountOf = (profile: string, url: string) => `${profile}@${url}`;

/** `env` is the command's: the keychain call finds the session bus through it. */
export function credentialStore(kind: CredentialStoreKind, configDir: string, env: NodeJS.ProcessEnv): CredentialStore {
  return kind === 'file' ? new FileStore(join(configDir, 'credentials.json')) : new KeychainStore(KEYCHAIN_TIMEOUT_MS, env);
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

/** The OS keychain, each call in a child process (keychain-call.ts) killed when it runs out of time. */
export class KeychainStore implements CredentialStore {
  readonly description = 'the OS keychain';

  constructor(
    private readonly timeoutMs: number,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  async read(account: string): Promise<string | undefined> {
    return ((await this.call({operation: 'read', service: KEYCHAIN_SERVICE, account})) as string | null) ?? undefined;
  }

  async write(account: string, secret: string): Promise<void> {
    await this.call({operation: 'write', service: KEYCHAIN_SERVICE, account, secret});
  }

  async remove(account: string): Promise<boolean> {
    return (await this.call({operation: 'remove', service: KEYCHAIN_SERVICE, account})) as boolean;
  }

  private call(request: KeychainRequest): Promise<string | boolean | null> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, KEYCHAIN_CALL, {stdio: ['pipe', 'pipe', 'ignore'], env: this.env});
      let output = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new KeychainUnavailable(`no answer within ${this.timeoutMs / 1000} s`));
      }, this.timeoutMs);
      child.stdout.on('data', (chunk: Buffer) => (output += chunk));
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(new KeychainUnavailable(error.message));
      });
      child.on('close', () => {
        clearTimeout(timer);
        let answer: KeychainAnswer;
        try {
          answer = JSON.parse(output) as KeychainAnswer;
        } catch {
          reject(new KeychainUnavailable('the keychain call ended without an answer'));
          return;
        }
        if ('error' in answer) reject(new KeychainUnavailable(answer.error));
        else resolve(answer.value);
      });
      child.stdin.end(JSON.stringify(request));
    });
  }
}

/** All the profiles' refresh tokens in one JSON object, in a file of mode 0600 in a folder of mode 0700. */
export class FileStore implements CredentialStore {
  readonly description: string;

  constructor(private readonly path: string) {
    this.description = `${path} (a file only you can read, not the OS keychain)`;
  }

  async read(account: string): Promise<string | undefined> {
    return this.secrets()[account];
  }

  async write(account: string, secret: string): Promise<void> {
    this.save({...this.secrets(), [account]: secret});
  }

  async remove(account: string): Promise<boolean> {
    const secrets = this.secrets();
    if (!(account in secrets)) return false;
    delete secrets[account];
    this.save(secrets);
    return true;
  }

  private secrets(): Record<string, string> {
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
      return JSON.parse(readFileSync(fd, 'utf8')) as Record<string, string>;
    } catch (error) {
      if (error instanceof CliFailure) throw error;
      throw new CliFailure(`${this.path} is damaged (${(error as Error).message}): remove it and log in again`, ExitCode.authentication);
    } finally {
      closeSync(fd);
    }
  }

  private save(secrets: Record<string, string>): void {
    if (Object.keys(secrets).length === 0) {
      unlinkSync(this.path);
      return;
    }
    mkdirSync(dirname(this.path), {recursive: true, mode: 0o700});
    // Written aside then renamed: never a half-written file, and never a moment with a wider mode.
    const aside = `${this.path}.${process.pid}.tmp`;
    writeFileSync(aside, `${JSON.stringify(secrets, null, 2)}\n`, {mode: 0o600, flag: 'wx'});
    renameSync(aside, this.path);
  }
}

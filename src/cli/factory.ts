// What a command takes from the world, in one place (gh's Factory idea): its standard streams,
// its environment, where refresh tokens are kept and how a daemon client is made. The binary
// uses the process's own (processFactory); a test runs a command in-process inside
// `withFactory(...)` with streams it reads, an environment of its own and the same real stores.
// The factory follows the command's async calls (AsyncLocalStorage), so the helpers below a
// command (password prompts, profiles, the keychain) find it without it being passed down.

import {AsyncLocalStorage} from 'node:async_hooks';
import type {AuthClient, AuthClientOptions} from '../client/index.js';
import {credentialStore, type CredentialStore, type CredentialStoreKind} from './credentials.js';

export interface CommandIo {
  stdin: NodeJS.ReadableStream & {isTTY?: boolean};
  stdout: NodeJS.WritableStream & {isTTY?: boolean; columns?: number};
  stderr: NodeJS.WritableStream & {isTTY?: boolean};
}

export interface Factory {
  io: CommandIo;
  env: NodeJS.ProcessEnv;
  /** Where a profile's refresh token is kept: the OS keychain, or the opt-in file in `configDir`. */
  credentials(kind: CredentialStoreKind, configDir: string): CredentialStore;
  client(options: AuthClientOptions): Promise<AuthClient>;
}

export const processFactory: Factory = {
  io: process,
  env: process.env,
  credentials: (kind, configDir) => credentialStore(kind, configDir, process.env),
  // Imported here: undici costs more start-up than all the rest, and config commands need none of it.
  client: async (options) => new (await import('../client/index.js')).AuthClient(options),
};

const scope = new AsyncLocalStorage<Factory>();

/** The factory of the command running in this async context; the process's outside any. */
export function currentFactory(): Factory {
  return scope.getStore() ?? processFactory;
}

/** Runs `fn` (a command) with `factory` as what it takes from the world. */
export function withFactory<T>(factory: Factory, fn: () => Promise<T>): Promise<T> {
  return scope.run(factory, fn);
}

/** Whether the command talks to the process's own streams (a real terminal may be behind them). */
export function onProcessIo(): boolean {
  return currentFactory().io === process;
}

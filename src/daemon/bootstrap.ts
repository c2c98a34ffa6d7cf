// `wazo-auth bootstrap`: creates the first administrator directly in the configured database.

import {Errors} from '@oclif/core';
import {ConfigError, loadConfig} from '../config/index.js';
import {bootstrapAdmin} from '../services/bootstrap.js';
import {openStore} from '../store/open.js';
import {StoreUnavailable} from '../domain/errors.js';

/**
 * `readPassword` is the command's (stdin or a hidden prompt, src/cli): asked only once the
 * username is known to be usable; undefined when there is no way to ask.
 */
export async function runBootstrap(options: {
  configFile?: string;
  username: string;
  readPassword: (question: string) => Promise<string | undefined>;
}): Promise<string> {
  const usage = (message: string) => new Errors.CLIError(message, {exit: 2});
  if (!options.username.trim()) throw usage('--username must not be empty');
  const password = await options.readPassword(`Password for ${options.username}: `);
  if (password === undefined) throw usage('no password: pass --password-stdin and pipe it, or run on a terminal to be prompted');
  if (!password) throw usage('the password must not be empty');
  try {
    const config = loadConfig({configFile: options.configFile ?? null, env: process.env});
    const store = await openStore(config);
    try {
      return (await bootstrapAdmin(store, options.username, password)).uuid;
    } finally {
      await store.close();
    }
  } catch (error) {
    if (error instanceof ConfigError) throw usage(error.message);
    if (error instanceof StoreUnavailable) throw new Errors.CLIError(error.message, {exit: 3});
    throw error;
  }
}

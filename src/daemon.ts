// Starts the daemon from a loaded configuration: the store, the services, the HTTP(S)
// server and the expired-token cleaner; and stops it gracefully.

import {createHmac, randomBytes, randomUUID} from 'node:crypto';
import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs';
import type {Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {createSecureContext} from 'node:tls';
import {join} from 'node:path';
import {systemClock, type Clock} from './clock.js';
import {ConfigError, type DaemonConfig} from './config/index.js';
import {createApi, createServer} from './http/server.js';
import {allRoutes} from './http/routes/index.js';
import {createLogger, type Logger} from './log.js';
import {aclLimitsOf, createServices, type Services} from './services/index.js';
import {LOGIN_BACKEND} from './services/tokens.js';
import {defaultHashWorkers, setHashWorkers} from './services/passwords.js';
import {openStore} from './store/open.js';
import type {Store} from './store/store.js';

export interface RunningDaemon {
  url: string;
  port: number;
  services: Services;
  server: Server;
  /** Stops accepting, lets requests in flight finish, closes the database. */
  stop(): Promise<void>;
}

/** The key that derives refresh-token values; kept beside the data, never in the database. */
function refreshTokenKey(dataDir: string): Buffer {
  const path = join(dataDir, 'refresh-token.key');
  if (!existsSync(path)) {
    mkdirSync(dataDir, {recursive: true, mode: 0o700});
    writeFileSync(path, randomBytes(32).toString('hex') + '\n', {mode: 0o600, flag: 'wx'});
  }
  const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'hex');
  if (key.length < 32) throw new ConfigError(`${path}: not a valid key file`);
  return key;
}

/**
 * Daemons sharing a database must derive refresh tokens with the same key, or a refresh token
 * handed out by one would not be the one another hands out again. The database keeps an HMAC of
 * a constant under the first daemon's key (it tells nothing of the key); a daemon with another
 * key refuses to start.
 */
async function assertSharedKey(store: Store, key: Buffer, dataDir: string): Promise<void> {
  const mine = createHmac('sha256', key).update('wazo-auth refresh-token key check').digest('hex');
  const kept = await store.meta.setIfAbsent('refresh_token_key_check', mine);
  if (kept !== mine) {
    throw new ConfigError(
      `${join(dataDir, 'refresh-token.key')} is not the key of the other daemons on this database: copy theirs here`,
    );
  }
}

function tlsFiles(config: DaemonConfig): {cert: Buffer; key: Buffer} | undefined {
  const {certificate, private_key} = config.rest_api;
  if (!certificate || !private_key) return undefined;
  const read = (key: string, path: string) => {
    try {
      return readFileSync(path);
    } catch (error) {
      throw new ConfigError(`rest_api.${key}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  const tls = {cert: read('certificate', certificate), key: read('private_key', private_key)};
  try {
    createSecureContext(tls);
  } catch (error) {
    throw new ConfigError(`rest_api.certificate/private_key: ${certificate} and ${private_key} are not a usable certificate and key (${(error as Error).message})`);
  }
  return tls;
}

export async function startDaemon(
  config: DaemonConfig,
  options: {clock?: Clock; log?: Logger} = {},
): Promise<RunningDaemon> {
  const log = options.log ?? createLogger({level: config.log_level, file: config.log_filename});
  setHashWorkers(config.password_hash_workers ?? defaultHashWorkers());
  const tls = tlsFiles(config);
  const store = await openStore(config, (error) => log.warning(`database connection lost while idle: ${error.message}`), {daemon: true});
  try {
    const key = refreshTokenKey(config.data_dir);
    await assertSharedKey(store, key, config.data_dir);
    const xivoUuid = config.uuid ?? (await store.meta.setIfAbsent('xivo_uuid', randomUUID()));
    const services = createServices({
      config,
      store,
      clock: options.clock ?? systemClock,
      log,
      tokenSettings: {
        defaultLifetime: config.default_token_lifetime,
        maxUserSessions: config.max_user_concurrent_sessions,
        xivoUuid,
        refreshTokenKey: key,
        userPolicyName: Object.hasOwn(config.backend_policies, LOGIN_BACKEND)
          ? (config.backend_policies[LOGIN_BACKEND] as string)
          : config.default_user_policy,
        aclLimits: aclLimitsOf(config),
      },
    });
    await services.tenants.ensureTop();
    await services.groups.applyConfiguration();

    const handler = createApi(services, allRoutes(), {
      prefix: config.rest_api.prefix,
      cors: config.rest_api.cors,
      maxBodyBytes: config.rest_api.max_body_bytes,
    });
    const server = createServer(config.rest_api, tls, handler);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.rest_api.port, config.rest_api.listen, () => {
        server.off('error', reject);
        resolve();
      });
    });
    server.on('error', (error) => log.error(`server error: ${error.message}`));

    // An interval below one second turns the cleaner off, as upstream.
    const cleaner =
      config.token_cleanup_interval >= 1
        ? setInterval(() => {
            services.tokens
              .removeExpired(config.token_cleanup_batch_size)
              .then((n) => n && log.debug(`removed ${n} expired tokens`))
              .catch((error: Error) => log.error(`expired token cleanup failed: ${error.message}`));
          }, config.token_cleanup_interval * 1000).unref()
        : undefined;

    const port = (server.address() as AddressInfo).port;
    const host = config.rest_api.listen.includes(':') ? `[${config.rest_api.listen}]` : config.rest_api.listen;
    const url = `${tls ? 'https' : 'http'}://${host}:${port}${config.rest_api.prefix}`;
    log.info(`wazo-auth listening on ${url} (database ${describeDb(config.db_uri)})`);

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        clearInterval(cleaner);
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await store.close();
        log.info('wazo-auth stopped');
      })());
    return {url, port, services, server, stop};
  } catch (error) {
    await store.close();
    throw error;
  }
}

function describeDb(uri: string): string {
  return uri.startsWith('sqlite://') ? uri.slice('sqlite://'.length) : uri.replace(/\/\/[^@/]*@/, '//***@');
}


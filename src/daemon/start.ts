// Starts the daemon from a loaded configuration: the plugin packages, the store, the services,
// the plugins, the HTTP(S) server and the expired-token cleaner; and stops it gracefully.

import {createHmac, randomBytes, randomUUID} from 'node:crypto';
import {closeSync, readFileSync, writeSync} from 'node:fs';
import type {Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {createSecureContext} from 'node:tls';
import {join} from 'node:path';
import {systemClock, type Clock} from '../clock.js';
import {ConfigError, describeTarget, parseDbUri, type DaemonConfig} from '../config/index.js';
import {createFile, DATA_FILE_MODE, makeFolders} from '../file-modes.js';
import {fileDestination, type LogDestination} from '../log-destination.js';
import {clientAddresses} from '../http/client-address.js';
import {derivedMaxConnections, limitConnections, MIN_CONNECTIONS, openFileLimit, ThrottledLine} from '../http/connections.js';
import {createApi, createServer} from '../http/server.js';
import {clientValue, createLogger, type DaemonLogger, type Logger} from '../log.js';
import {adoptLegacyAdminPolicy, bootstrapOnStartup} from '../services/bootstrap.js';
import {ConflictError, StoreUnavailable, UnknownPolicy} from '../domain/errors.js';
import {aclLimitsOf, createServices, type Services} from '../services/index.js';
import {defaultHashWorkers, defaultMaxPendingHashes, hashPool, Passwords, setHashWorkers} from '../services/passwords.js';
import {loadSecretKey, SecretBox, SECRET_KEY_FILE} from '../services/secret-box.js';
import {loadPlugins, pluginRegistries} from '../plugins/index.js';
import {BusPublisher} from '../services/events/publisher.js';
import {openStore} from '../store/open.js';
import type {Store} from '../store/store.js';

export interface RunningDaemon {
  url: string;
  port: number;
  services: Services;
  server: Server;
  /** Sends the outbox to the broker; absent when the bus is off (`amqp.uri` null). */
  publisher: BusPublisher | undefined;
  /** Opens the log file (unless the logger was given) and the audit file again: SIGHUP, after a rotation. */
  reopenLogs(): void;
  /** Stops accepting, lets requests in flight finish, closes the database. */
  stop(): Promise<void>;
}

/** Creates data_dir (0700) and what is missing above it; a folder that cannot be made is a configuration error. */
function prepareDataDir(dataDir: string): void {
  try {
    makeFolders(dataDir, 0o700);
  } catch (error) {
    throw new ConfigError(`data_dir: cannot create ${dataDir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** The key that derives refresh-token values; kept beside the data (prepareDataDir made the folder), never in the database. */
function refreshTokenKey(dataDir: string): Buffer {
  const path = join(dataDir, 'refresh-token.key');
  const fd = createFile(path, DATA_FILE_MODE);
  if (fd !== undefined) {
    try {
      writeSync(fd, randomBytes(32).toString('hex') + '\n');
    } finally {
      closeSync(fd);
    }
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
    throw new ConfigError(`${join(dataDir, 'refresh-token.key')} is not the key of the other daemons on this database: copy theirs here`);
  }
}

/** As the refresh-token key: daemons sharing a database must open each other's sealed secrets. */
async function assertSharedSecrets(store: Store, secrets: SecretBox, dataDir: string): Promise<void> {
  const mine = secrets.fingerprint();
  if ((await store.meta.setIfAbsent('secrets_key_check', mine)) !== mine) {
    throw new ConfigError(`${join(dataDir, SECRET_KEY_FILE)} is not the key of the other daemons on this database: copy theirs here`);
  }
}

/** The daemon's key for sealed secrets, in `data_dir` (created when missing). */
export function secretBox(dataDir: string): SecretBox {
  try {
    return new SecretBox(loadSecretKey(dataDir));
  } catch (error) {
    throw new ConfigError((error as Error).message);
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
    throw new ConfigError(
      `rest_api.certificate/private_key: ${certificate} and ${private_key} are not a usable certificate and key (${(error as Error).message})`,
    );
  }
  return tls;
}

function openLog(config: DaemonConfig): DaemonLogger {
  try {
    return createLogger({level: config.log_level, file: config.log_filename, format: config.log_format});
  } catch (error) {
    throw new ConfigError(`log_filename: cannot open ${config.log_filename} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** The audit trail's JSON lines (`audit.file`): readable by the daemon's user alone, as its data. */
function openAuditFile(config: DaemonConfig): LogDestination | undefined {
  if (config.audit.file === null) return undefined;
  try {
    return fileDestination(config.audit.file, {mode: DATA_FILE_MODE, kind: 'audit'});
  } catch (error) {
    throw new ConfigError(`audit.file: cannot open ${config.audit.file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/**
 * `warnings`: what the configuration's reading found amiss (readConfig), logged once the log is open.
 * `passwords`: how new password hashes are made (by default argon2id at its default cost).
 */
export async function startDaemon(
  config: DaemonConfig,
  options: {clock?: Clock; log?: Logger; warnings?: readonly string[]; passwords?: Passwords} = {},
): Promise<RunningDaemon> {
  prepareDataDir(config.data_dir);
  const hashWorkers = config.password_hash_workers ?? defaultHashWorkers();
  setHashWorkers(hashWorkers, config.max_pending_password_hashes ?? defaultMaxPendingHashes(hashWorkers));
  const tls = tlsFiles(config);
  const ownLog = options.log ? undefined : openLog(config);
  const log = options.log ?? ownLog!;
  let auditFile: LogDestination | undefined;
  try {
    auditFile = openAuditFile(config);
  } catch (error) {
    ownLog?.close();
    throw error;
  }
  const closeFiles = () => {
    auditFile?.close();
    ownLog?.close();
  };
  for (const warning of options.warnings ?? []) log.warning(`config: ${warning}`);
  // Before the database: a package that cannot load stops the start with nothing changed.
  const plugins = await pluginRegistries(config.plugin_packages).catch((error) => {
    closeFiles();
    throw error;
  });
  const store = await openStoreWhenReachable(config, log).catch((error) => {
    closeFiles();
    throw error;
  });
  let metricsServer: Server | undefined;
  try {
    const key = refreshTokenKey(config.data_dir);
    await assertSharedKey(store, key, config.data_dir);
    const secrets = secretBox(config.data_dir);
    await assertSharedSecrets(store, secrets, config.data_dir);
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
        defaultUserPolicy: config.default_user_policy,
        backendPolicies: config.backend_policies,
        aclLimits: aclLimitsOf(config),
      },
      secrets,
      auditFile,
      passwords: options.passwords ?? new Passwords(),
    });
    const {routes} = await loadPlugins(plugins, {services, xivoUuid});
    await adoptLegacyAdminPolicy(store, (await services.tenants.ensureTop()).uuid);
    await services.groups.applyConfiguration();
    await bootstrapUserOnStartup(config, services, log);

    if (config.metrics.enabled) metricsServer = await serveMetrics(config, services, store);
    const addresses = clientAddresses(config.rest_api.trusted_proxies, config.rest_api.num_proxies);
    const handler = createApi(services, routes, {
      prefix: config.rest_api.prefix,
      cors: config.rest_api.cors,
      maxBodyBytes: config.rest_api.max_body_bytes,
      sendTimeoutMs: config.rest_api.send_timeout_ms,
      clientAddresses: addresses,
    });
    const server = createServer(config.rest_api, tls, handler, log);
    const maxConnections = connectionCap(config, hashWorkers, log);
    limitConnections(
      server,
      {max: maxConnections, perAddress: config.rest_api.max_connections_per_address, isTrusted: addresses.isTrusted},
      new ThrottledLine(log, 'refused connections'),
    );
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.rest_api.port, config.rest_api.listen, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // After listen, only accepting fails (EMFILE and the like), possibly for every connection.
    const acceptErrors = new ThrottledLine(log, 'cannot accept connections');
    server.on('error', (error: NodeJS.ErrnoException) => acceptErrors.note(error.code ?? error.message, ''));

    const {amqp} = config;
    const publisher =
      amqp.uri === null
        ? undefined
        : new BusPublisher(
            store.outbox,
            {
              uri: amqp.uri,
              exchangeName: amqp.exchange_name,
              exchangeType: amqp.exchange_type,
              maxAgeSeconds: amqp.outbox_max_age,
              maxEvents: amqp.outbox_max_events,
            },
            log,
          );
    if (publisher) {
      services.events.onRecorded = () => publisher.notify();
      services.events.publisher = publisher;
      publisher.start();
    }

    // An interval below one second turns the cleaner off, as upstream. As upstream, each pass
    // removes the expired sessions, then tells those expiring before the next pass.
    const cleaner =
      config.token_cleanup_interval >= 1
        ? setInterval(() => {
            services.tokens
              .removeExpired(config.token_cleanup_batch_size)
              .then((n) => n && log.debug(`removed ${n} expired tokens`))
              .then(() => services.events.noticeExpiring(config.token_cleanup_interval, config.token_cleanup_batch_size))
              .then((n) => n && log.debug(`told ${n} sessions they expire soon`))
              .catch((error: Error) => log.error(`expired token cleanup failed: ${error.message}`));
            services.loginThrottle
              .removeExpired(config.token_cleanup_batch_size)
              .then((n) => n && log.debug(`forgot ${n} failed-login counts past their window`))
              .catch((error: Error) => log.error(`failed-login count cleanup failed: ${error.message}`));
            services.saml
              .removeExpired(config.token_cleanup_batch_size)
              .then((n) => n && log.debug(`forgot ${n} SAML logins past their time`))
              .catch((error: Error) => log.error(`SAML login cleanup failed: ${error.message}`));
          }, config.token_cleanup_interval * 1000).unref()
        : undefined;

    const port = (server.address() as AddressInfo).port;
    const host = config.rest_api.listen.includes(':') ? `[${config.rest_api.listen}]` : config.rest_api.listen;
    const url = `${tls ? 'https' : 'http'}://${host}:${port}${config.rest_api.prefix}`;
    log.info(`wazo-auth listening on ${url} (database ${describeTarget(parseDbUri(config.db_uri))})`);

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        clearInterval(cleaner);
        await new Promise<void>((resolve) => (metricsServer ? metricsServer.close(() => resolve()) : resolve()));
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
          // A connection whose request is in flight turns idle once answered: closed then (a
          // timeout of 0 would mean none), not keep_alive_timeout_ms later.
          server.keepAliveTimeout = 1;
        });
        await publisher?.stop();
        // The mail job under way may still need the database; those waiting are dropped.
        services.oauth2.close();
        await services.mail.close();
        await store.close();
        log.info('wazo-auth stopped');
        closeFiles();
      })());
    const reopenLogs = () => {
      ownLog?.reopen();
      auditFile?.reopen();
    };
    return {url, port, services, server, publisher, reopenLogs, stop};
  } catch (error) {
    metricsServer?.close();
    await store.close();
    closeFiles();
    throw error;
  }
}

/** `metrics.enabled`: the counters, read by the routes from now on, and their own listener. */
async function serveMetrics(config: DaemonConfig, services: Services, store: Store): Promise<Server> {
  // Loaded when enabled: prom-client and its OpenTelemetry API are about 80 modules.
  const [{DaemonMetrics}, {createMetricsServer}] = await Promise.all([import('../services/metrics.js'), import('../http/metrics-server.js')]);
  const metrics = new DaemonMetrics({
    liveSessions: () => store.tokens.countLiveSessions(Math.floor(services.clock.nowMicros() / 1e6)),
    hashQueueDepth: () => hashPool().pending,
    outboxDepth: () => store.outbox.depth(),
    databaseUp: () =>
      store.meta.get('xivo_uuid').then(
        () => true,
        () => false,
      ),
    // The publisher starts after the API listens.
    busConnected: () => (config.amqp.uri === null ? null : (services.events.publisher?.status.connected ?? false)),
  });
  const server = createMetricsServer(metrics);
  const {listen, port: wanted} = config.metrics;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new ConfigError(`metrics: cannot listen on ${listen}:${wanted} (${error.code ?? error.message})`)),
    );
    server.listen(wanted, listen, () => {
      server.removeAllListeners('error');
      resolve();
    });
  });
  services.metrics = metrics;
  const {port} = server.address() as AddressInfo;
  services.log.info(`metrics on http://${config.metrics.listen.includes(':') ? `[${config.metrics.listen}]` : config.metrics.listen}:${port}/metrics`);
  return server;
}

/** How often a start tries PostgreSQL again while it is unreachable, as upstream. */
const DB_RETRY_MS = 500;
/** One warning line per this many failed tries: a PostgreSQL coming up late says so, not 600 times. */
const DB_RETRY_WARN_EVERY = 20;

/**
 * The store, once the database answers: PostgreSQL may come up after the daemon (a machine
 * starting), so an unreachable one is tried again for db_connect_retry_timeout_seconds.
 */
async function openStoreWhenReachable(config: DaemonConfig, log: Logger): Promise<Store> {
  const deadline = performance.now() + config.db_connect_retry_timeout_seconds * 1000;
  const onIdleError = (error: Error) => log.warning(`database connection lost while idle: ${error.message}`);
  for (let tries = 0; ; tries++) {
    try {
      return await openStore(config, onIdleError, {daemon: true, migrate: config.db_upgrade_on_startup});
    } catch (error) {
      if (!(error instanceof StoreUnavailable) || performance.now() + DB_RETRY_MS > deadline) throw error;
      if (tries % DB_RETRY_WARN_EVERY === 0) {
        const left = Math.round((deadline - performance.now()) / 1000);
        log.warning(`${error.message}: trying again for up to ${left} s (db_connect_retry_timeout_seconds)`);
      }
      await new Promise((resolve) => setTimeout(resolve, DB_RETRY_MS));
    }
  }
}

/** `bootstrap_user_on_startup`: the user made as bootstrap would, once; a changed password is left alone. */
async function bootstrapUserOnStartup(config: DaemonConfig, {store, passwords}: Services, log: Logger): Promise<void> {
  if (!config.bootstrap_user_on_startup) return;
  const username = config.bootstrap_user_username!;
  const outcome = await bootstrapOnStartup(store, username, config.bootstrap_user_password!, {
    purpose: config.bootstrap_user_purpose ?? undefined,
    policySlug: config.bootstrap_user_policy_slug ?? undefined,
    passwords,
  }).catch((error) => {
    if (error instanceof UnknownPolicy) throw new ConfigError(`bootstrap_user_policy_slug: no policy "${error.id}" in the top tenant`);
    // Daemons starting together on one PostgreSQL: another made the user first.
    if (error instanceof ConflictError) return 'unchanged' as const;
    throw error;
  });
  if (outcome === 'created') log.info(`bootstrap_user_on_startup: created the user ${clientValue(username)}`);
  if (outcome === 'kept') log.warning(`bootstrap_user_on_startup: ${clientValue(username)} exists with another password: left as it is`);
}

/** rest_api.max_connections, or its default from the open-file limit; both said at start. */
function connectionCap(config: DaemonConfig, hashWorkers: number, log: Logger): number {
  const limit = openFileLimit();
  const perAddress = config.rest_api.max_connections_per_address;
  const databaseFiles = parseDbUri(config.db_uri).engine === 'sqlite' ? 4 : config.db_pool_size;
  const room = limit === null ? Infinity : derivedMaxConnections(limit, hashWorkers, databaseFiles);
  const configured = config.rest_api.max_connections;
  const max = configured ?? room;
  const how = configured !== null ? 'configured' : limit === null ? 'no cap' : "the limit less the daemon's own files";
  log.info(`open-file limit ${limit ?? 'unknown'}; max_connections ${Number.isFinite(max) ? max : 'none'} (${how}), ${perAddress} per address`);
  if (max > room || room === MIN_CONNECTIONS) {
    log.warning(`the open-file limit ${limit} leaves room for about ${room} connections: raise it (systemd: LimitNOFILE)`);
  }
  return max;
}

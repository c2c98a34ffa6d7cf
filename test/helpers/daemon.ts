// Starts a real daemon on a free loopback port and talks HTTP to it, in memory (memory-http.ts).
// Its database is a copy of a freshly migrated SQLite file, or an empty migrated PostgreSQL schema
// when WAZO_AUTH_TEST_STORE=postgresql (the files test/run.sh runs on PostgreSQL, with
// WAZO_AUTH_TEST_PG_URI naming the database).

import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync} from 'node:fs';
import {copyFile, mkdtemp, readdir, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {request as httpRequest} from 'node:http';
import {Agent as HttpsAgent, request as httpsRequest} from 'node:https';
import type {Clock} from '../../src/clock.js';
import {loadConfig, type DaemonConfig} from '../../src/config/index.js';
import {startDaemon, type RunningDaemon} from '../../src/daemon/start.js';
import {createLogger, type Logger} from '../../src/log.js';
import {bootstrapAdmin} from '../../src/services/bootstrap.js';
import {migrateSqlite} from '../../src/store/sqlite/index.js';
import {MemoryAgent, serveInMemory} from './memory-http.js';
import {testPasswords} from './passwords.js';
import {adminQuery, giveBack, migratedSchema, testPgSettings, type TestSchema} from './pg.js';

/**
 * The store every test daemon uses unless its config names a database: read when asked, as a
 * worker (test/worker.ts) runs one file on SQLite, the next on PostgreSQL.
 */
export function testStore(): 'sqlite' | 'postgresql' {
  return process.env.WAZO_AUTH_TEST_STORE === 'postgresql' ? 'postgresql' : 'sqlite';
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The body parsed as JSON, when it is JSON. */
  json: any;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** Sent as is, instead of `body` as JSON. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface TestDaemon {
  url: string;
  dir: string;
  config: DaemonConfig;
  daemon: RunningDaemon;
  admin: {uuid: string; username: string; password: string; token: string};
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
  /** Logs in with Basic credentials; returns the token data. */
  login(username: string, password: string, body?: unknown, headers?: Record<string, string>): Promise<any>;
  /** Everything the database holds, as text: the SQLite files' bytes, or every row of the PostgreSQL schema. */
  databaseText(): Promise<string>;
  /**
   * Stops the daemon and starts it again on the same port and database, with the configuration it
   * was first given and `changes` over it (only one daemon may use a SQLite file at a time).
   */
  restart(changes?: Partial<DaemonConfig>, options?: {log?: Logger}): Promise<void>;
  stop(): Promise<void>;
}

// Connections made per request: in memory to a daemon of this process, else over TCP; TLS
// without checking the test daemons' self-signed certificates.
const memoryAgent = new MemoryAgent();
const tlsAgent = new HttpsAgent({rejectUnauthorized: false});

/**
 * One request with node's HTTP client to the daemon at `base`: in memory when it runs in this
 * process (memory-http.ts), else over TCP or TLS. The path is sent as written, never normalized.
 */
export function call(base: string, method: string, path: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = {...options.headers};
  if (options.token) headers['x-auth-token'] = options.token;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const root = new URL(base);
  const tls = root.protocol === 'https:';
  const target = {
    agent: tls ? tlsAgent : memoryAgent,
    host: root.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: root.port || (tls ? 443 : 80),
    path: root.pathname.replace(/\/$/, '') + path,
    method,
    headers,
  };
  return new Promise((resolve, reject) => {
    const req = (tls ? httpsRequest : httpRequest)(target, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({status: res.statusCode!, headers: res.headers, text, json});
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

let sqliteTemplate: string | undefined;

/**
 * A SQLite file migrated once per process, which each test daemon starts from a copy of:
 * migrating a new file costs about 10 ms, copying one well under 1.
 */
function migratedSqliteFile(): string {
  if (!sqliteTemplate) {
    const dir = mkdtempSync(join(tmpdir(), 'wazo-auth-test-template-'));
    migrateSqlite(join(dir, 'auth.db'));
    process.once('exit', () => rmSync(dir, {recursive: true, force: true}));
    sqliteTemplate = join(dir, 'auth.db');
  }
  return sqliteTemplate;
}

export function basic(username: string, password: string): string {
  return 'Basic ' + Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

export async function startTestDaemon(
  options: {
    config?: Record<string, unknown>;
    clock?: Clock;
    configFile?: string;
    log?: Logger;
    /** Starts with this daemon's refresh-token and secrets keys, as daemons sharing a database must. */
    keyOf?: TestDaemon;
  } = {},
): Promise<TestDaemon> {
  const dir = await mkdtemp(join(tmpdir(), 'wazo-auth-test-'));
  if (options.keyOf) {
    // Daemons sharing a database share both keys: refresh tokens' and sealed secrets'.
    await copyFile(join(options.keyOf.dir, 'refresh-token.key'), join(dir, 'refresh-token.key'));
    await copyFile(join(options.keyOf.dir, 'secrets.key'), join(dir, 'secrets.key'));
  }
  const schema: TestSchema | undefined = testStore() === 'postgresql' && !options.config?.db_uri ? await migratedSchema() : undefined;
  const database = schema
    ? {db_uri: schema.uri, db_pool_size: testPgSettings.poolSize, db_statement_timeout_ms: testPgSettings.statementTimeoutMs}
    : {db_uri: `sqlite://${join(dir, 'auth.db')}`};
  if (!schema && !options.config?.db_uri) await copyFile(migratedSqliteFile(), join(dir, 'auth.db'));
  const config = loadConfig({
    configFile: options.configFile ?? null,
    // The bus stays off unless a test configures it (test/http/bus-events.test.ts).
    overrides: {data_dir: dir, ...database, log_level: 'critical', amqp: {uri: null}, ...options.config},
    env: {},
  });
  config.rest_api.port = 0;
  config.rest_api.listen = '127.0.0.1';
  let daemon: RunningDaemon;
  const log = options.log ?? createLogger({level: 'critical'});
  try {
    daemon = await startDaemon(config, {clock: options.clock, log, passwords: testPasswords});
  } catch (error) {
    await rm(dir, {recursive: true, force: true});
    if (schema) await giveBack(schema);
    throw error;
  }
  const username = 'admin';
  const password = randomBytes(12).toString('base64url');
  const {uuid} = await bootstrapAdmin(daemon.services.store, username, password, {passwords: daemon.services.passwords});
  const url = daemon.url;
  let unserve = serveInMemory(daemon.server, daemon.port);
  const td: TestDaemon = {
    url,
    dir,
    config,
    daemon,
    admin: {uuid, username, password, token: ''},
    call: (method, path, callOptions = {}) => call(url, method, path, callOptions),
    async login(user, pass, body = {}, headers = {}) {
      const answer = await td.call('POST', '/0.1/token', {body, headers: {authorization: basic(user, pass), ...headers}});
      if (answer.status !== 200) throw new Error(`login ${user} failed: ${answer.status} ${answer.text}`);
      return answer.json.data;
    },
    async databaseText() {
      if (schema) {
        const tables = await adminQuery<{name: string}>('SELECT tablename AS name FROM pg_tables WHERE schemaname = $1', [schema.name]);
        const texts = await Promise.all(
          tables.map(async ({name}) => (await adminQuery<{t: string}>(`SELECT r::text AS t FROM ${schema.name}.${name} r`)).map((row) => row.t)),
        );
        return texts.flat().join('\n');
      }
      const files = (await readdir(dir)).filter((name) => name.startsWith('auth.db'));
      return (await Promise.all(files.map((name) => readFile(join(dir, name), 'latin1')))).join('');
    },
    async restart(changes = {}, restartOptions = {}) {
      unserve();
      await td.daemon.stop();
      td.config = {...config, ...changes, rest_api: {...config.rest_api, port: daemon.port}};
      td.daemon = await startDaemon(td.config, {clock: options.clock, log: restartOptions.log ?? log, passwords: testPasswords});
      unserve = serveInMemory(td.daemon.server, td.daemon.port);
    },
    async stop() {
      unserve();
      await td.daemon.stop();
      await rm(dir, {recursive: true, force: true});
      if (schema) await giveBack(schema);
    },
  };
  td.admin.token = (await td.login(username, password)).token;
  return td;
}

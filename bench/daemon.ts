// The daemon under test, as an operator runs it: `node bin/run.js daemon -c <config>` in a
// child process, on a free loopback port, with a SQLite file in a temporary folder (or the
// PostgreSQL database it is given). The administrator is created beforehand with
// `node bin/run.js bootstrap`.

import {mkdtempSync, writeFileSync} from 'node:fs';
import {request as httpRequest} from 'node:http';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {stringify} from 'yaml';
import type {LoadSpec} from './load.js';
import {freePort, removeFolder, runToEnd, sleep, startChild, stopChild, trackFolder, type Child} from './children.js';

/** Where every API path starts. */
export const API = '/0.1';

export interface DaemonSetup {
  dir: string;
  configPath: string;
  dbPath: string;
  port: number;
  url: string;
  env: NodeJS.ProcessEnv;
  /** Removes the temporary folder. */
  remove(): void;
}

export interface RunningDaemon {
  child: Child;
  url: string;
  /** Throws, with the daemon's output, when the daemon is no longer running. */
  assertAlive(when: string): void;
  /** SIGTERM and wait; says how it ended. */
  stop(): Promise<string>;
}

/**
 * Writes the config file and picks the port; nothing runs yet. The database is a SQLite file in
 * the temporary folder unless `dbUri` names another (then `dbPath` is empty); `dataDir` lets
 * daemons sharing a database share their refresh-token key.
 */
export async function prepareDaemon(options: {
  maxSessions: number;
  tokenLifetimeS: number;
  dbUri?: string;
  dataDir?: string;
  settings?: Record<string, unknown>;
}): Promise<DaemonSetup> {
  const dir = mkdtempSync(join(tmpdir(), 'wazo-auth-bench-'));
  trackFolder(dir);
  const dbPath = options.dbUri ? '' : join(dir, 'auth.db');
  const port = await freePort();
  const {rest_api: restApi, ...settings} = options.settings ?? {};
  const config = {
    log_level: 'error',
    data_dir: options.dataDir ?? join(dir, 'data'),
    db_uri: options.dbUri ?? `sqlite://${dbPath}`,
    rest_api: {listen: '127.0.0.1', port, ...(restApi as Record<string, unknown> | undefined)},
    default_token_lifetime: options.tokenLifetimeS,
    max_user_concurrent_sessions: options.maxSessions,
    // The scenarios measure logins at a steady 25-50 in flight, not the 503s past the queue bound.
    max_pending_password_hashes: 200,
    // The bus stays off unless the scenario configures it (bench/events.ts).
    amqp: {uri: null},
    ...settings,
  };
  const configPath = join(dir, 'config.yml');
  writeFileSync(configPath, stringify(config), {mode: 0o600});
  return {
    dir,
    configPath,
    dbPath,
    port,
    url: `http://127.0.0.1:${port}`,
    env: {...process.env},
    remove: () => removeFolder(dir),
  };
}

/** `wazo-auth bootstrap`: creates the administrator; returns its uuid. */
export async function bootstrapAdmin(setup: DaemonSetup, username: string, password: string): Promise<string> {
  const out = await runToEnd(
    'wazo-auth bootstrap',
    process.execPath,
    ['bin/run.js', 'bootstrap', '-c', setup.configPath, '--username', username, '--password-stdin'],
    {input: password, timeoutMs: 60_000, env: setup.env},
  );
  const uuid = out
    .trim()
    .split('\n')
    .map((line) => line.trim())
    .find((line) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(line));
  if (!uuid) throw new Error(`wazo-auth bootstrap printed no uuid:\n${out}`);
  return uuid;
}

/** Starts the daemon and waits until it answers HTTP (bounded by `timeoutMs`). */
export async function startDaemon(setup: DaemonSetup, timeoutMs = 60_000): Promise<RunningDaemon> {
  const child = startChild('wazo-auth daemon', process.execPath, ['bin/run.js', 'daemon', '-c', setup.configPath], {env: setup.env});
  child.process.stdin?.end();
  const describeExit = async () => {
    const {code, signal} = await child.exited;
    return `exited with ${signal ?? code}`;
  };
  const running: RunningDaemon = {
    child,
    url: setup.url,
    assertAlive(when) {
      if (child.hasExited()) throw new Error(`the daemon stopped ${when}; its output:\n${child.output().trim() || '(none)'}`);
    },
    async stop() {
      const {code, signal, killed} = await stopChild(child, 10_000);
      if (killed) return `did not stop within 10 s of SIGTERM: killed (its output:\n${child.output().trim()})`;
      return code === 0 ? 'stopped cleanly on SIGTERM' : `ended with ${signal ?? `exit code ${code}`} on SIGTERM; its output:\n${child.output().trim()}`;
    },
  };

  const deadline = performance.now() + timeoutMs;
  let lastError = '';
  while (performance.now() < deadline) {
    if (child.hasExited()) {
      throw new Error(`the daemon ${await describeExit()} before answering; its output:\n${child.output().trim() || '(none)'}`);
    }
    let status: number | undefined;
    try {
      status = (await fetch(`${setup.url}${API}/status`, {method: 'HEAD', signal: AbortSignal.timeout(2_000)})).status;
    } catch (error) {
      lastError = (error as Error).message;
    }
    if (status !== undefined) {
      // It listens: any other answer than 200 is the daemon's fault, not a slow start.
      if (status === 200) return running;
      await running.stop();
      throw new Error(`the daemon answers HEAD ${API}/status with ${status} instead of 200; its output:\n${child.output().trim() || '(none)'}`);
    }
    await sleep(100);
  }
  await running.stop();
  throw new Error(`the daemon did not answer within ${timeoutMs} ms (last: ${lastError}); its output:\n${child.output().trim() || '(none)'}`);
}

export function basicAuth(username: string, password: string): string {
  return 'Basic ' + Buffer.from(`${username}:${password}`, 'utf8').toString('base64');
}

/** The load of Basic logins (one-hour tokens) that the benches measure against a reference. */
export function loginLoad(origin: string, label: string, username: string, password: string, connections: number): LoadSpec {
  return {
    label,
    origin,
    method: 'POST',
    path: `${API}/token`,
    headers: {authorization: basicAuth(username, password), 'content-type': 'application/json'},
    body: JSON.stringify({expiration: 3600}),
    connections,
    expect: 200,
  };
}

/**
 * POST /0.1/token; returns the token value. `localAddress`: the loopback address it comes from
 * (the daemon counts failed logins per client address), 127.0.0.1 otherwise.
 */
export async function login(url: string, username: string, password: string, expirationS: number, localAddress?: string): Promise<string> {
  const {status, text} = await new Promise<{status: number; text: string}>((resolve, reject) => {
    const body = JSON.stringify({expiration: expirationS});
    const req = httpRequest(
      `${url}${API}/token`,
      {
        method: 'POST',
        agent: false,
        localAddress,
        timeout: 30_000,
        headers: {authorization: basicAuth(username, password), 'content-type': 'application/json', 'content-length': Buffer.byteLength(body)},
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({status: res.statusCode ?? 0, text}));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`login as ${username}: no answer within 30 s`)));
    req.on('error', reject);
    req.end(body);
  });
  if (status !== 200) throw new Error(`login as ${username} answered ${status}: ${text}`);
  const token = (JSON.parse(text) as {data?: {token?: unknown}}).data?.token;
  if (typeof token !== 'string') throw new Error(`login as ${username} returned no token: ${text}`);
  return token;
}

/** One request, to check the daemon answers as the benchmark expects before loading it. */
export async function expectStatus(url: string, method: string, path: string, expected: number): Promise<void> {
  const res = await fetch(`${url}${path}`, {method, signal: AbortSignal.timeout(10_000)});
  const text = method === 'HEAD' ? '' : await res.text();
  if (res.status !== expected) {
    throw new Error(`${method} ${path.replace(/[0-9a-f-]{36}/, '{token}')} answered ${res.status} instead of ${expected}${text ? `: ${text}` : ''}`);
  }
}

// Starts a real daemon the way a Wazo stack exposes it: HTTPS with a self-signed certificate
// (made with openssl), under the /api/auth prefix, on a free loopback port, with a fresh
// SQLite file and a bootstrapped administrator. For clients whose URL is hard-coded
// (`https://${server}/api/auth/0.1/...`), like Wazo's JavaScript SDK.

import {execFileSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {loadConfig} from '../../src/config/index.js';
import {startDaemon, type RunningDaemon} from '../../src/daemon/start.js';
import {createLogger} from '../../src/log.js';
import {bootstrapAdmin} from '../../src/services/bootstrap.js';
import {call, type Answer, type CallOptions} from '../helpers/daemon.js';
import {testPasswords} from '../helpers/passwords.js';

export const PREFIX = '/api/auth';

export interface HttpsDaemon {
  daemon: RunningDaemon;
  port: number;
  /** `localhost:PORT`, what an SDK takes as its `server`. */
  server: string;
  /** `https://localhost:PORT/api/auth`, for direct calls. */
  base: string;
  dir: string;
  admin: {uuid: string; username: string; password: string};
  /** A direct HTTPS call (certificate not checked), `path` relative to the prefix, e.g. `/0.1/users`. */
  call(method: string, path: string, options?: CallOptions): Promise<Answer>;
  stop(): Promise<void>;
}

/** `config`: more settings, over the HTTPS ones (e.g. the SMTP server of a test). */
export async function startHttpsDaemon(config: Record<string, unknown> = {}): Promise<HttpsDaemon> {
  const dir = mkdtempSync(join(tmpdir(), 'wazo-auth-compat-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
      {stdio: 'ignore', timeout: 20_000},
    );
    const daemonConfig = loadConfig({
      configFile: null,
      overrides: {
        data_dir: dir,
        db_uri: `sqlite://${join(dir, 'auth.db')}`,
        log_level: 'critical',
        ...config,
        rest_api: {
          listen: '127.0.0.1',
          prefix: PREFIX,
          certificate: join(dir, 'cert.pem'),
          private_key: join(dir, 'key.pem'),
        },
      },
      env: {},
    });
    daemonConfig.rest_api.port = 0;
    const daemon = await startDaemon(daemonConfig, {log: createLogger({level: 'critical'}), passwords: testPasswords});
    const admin = {uuid: '', username: 'admin', password: randomBytes(12).toString('base64url')};
    admin.uuid = (await bootstrapAdmin(daemon.services.store, admin.username, admin.password, {passwords: daemon.services.passwords})).uuid;
    const base = `https://localhost:${daemon.port}${PREFIX}`;
    return {
      daemon,
      port: daemon.port,
      server: `localhost:${daemon.port}`,
      base,
      dir,
      admin,
      call: (method, path, options) => call(base, method, path, options),
      async stop() {
        await daemon.stop();
        rmSync(dir, {recursive: true, force: true});
      },
    };
  } catch (error) {
    rmSync(dir, {recursive: true, force: true});
    throw error;
  }
}

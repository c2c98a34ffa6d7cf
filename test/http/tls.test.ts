// What an HTTPS daemon offers, tried with real handshakes: TLS 1.3, and TLS 1.2 with ECDHE
// and AEAD suites only; both configurable.

import assert from 'node:assert/strict';
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {connect, type SecureVersion} from 'node:tls';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let dir: string;
let tlsFiles: {certificate: string; private_key: string};

/** The suite and protocol a client offering only these gets, or the handshake's error. */
function handshake(port: number, options: {ciphers?: string; minVersion?: SecureVersion; maxVersion?: SecureVersion}): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({host: '127.0.0.1', port, rejectUnauthorized: false, ...options}, () => {
      resolve(`${socket.getProtocol()} ${socket.getCipher().name}`);
      socket.destroy();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(`refused (${error.code ?? error.message})`));
  });
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wazo-auth-tls-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
    {stdio: 'ignore', timeout: 20_000},
  );
  tlsFiles = {certificate: join(dir, 'cert.pem'), private_key: join(dir, 'key.pem')};
});
after(() => rmSync(dir, {recursive: true, force: true}));

describe('default suites', () => {
  let td: TestDaemon;
  before(async () => {
    td = await startTestDaemon({config: {rest_api: tlsFiles}});
  });
  after(() => td.stop());

  test('TLS 1.3 by default, and the API answers over it', async () => {
    assert.match(await handshake(td.daemon.port, {}), /^TLSv1\.3 TLS_/);
    assert.equal((await td.call('GET', '/0.1/backends')).status, 200);
  });

  test('TLS 1.2 with ECDHE and AEAD', async () => {
    for (const suite of ['ECDHE-RSA-AES128-GCM-SHA256', 'ECDHE-RSA-AES256-GCM-SHA384', 'ECDHE-RSA-CHACHA20-POLY1305']) {
      assert.equal(await handshake(td.daemon.port, {ciphers: suite, maxVersion: 'TLSv1.2'}), `TLSv1.2 ${suite}`);
    }
  });

  test('no static RSA, no CBC, no SHA-1, no TLS 1.1', async () => {
    for (const suite of ['AES128-SHA', 'AES256-SHA256', 'AES128-GCM-SHA256', 'ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384', 'DHE-RSA-AES128-GCM-SHA256']) {
      assert.match(await handshake(td.daemon.port, {ciphers: suite, maxVersion: 'TLSv1.2'}), /^refused/, suite);
    }
    assert.match(await handshake(td.daemon.port, {ciphers: 'DEFAULT@SECLEVEL=0', minVersion: 'TLSv1', maxVersion: 'TLSv1.1'}), /^refused/);
  });
});

describe('configured', () => {
  let td: TestDaemon;
  before(async () => {
    td = await startTestDaemon({
      config: {rest_api: {...tlsFiles, ciphers: 'TLS_AES_256_GCM_SHA384:ECDHE-RSA-AES256-GCM-SHA384', tls_min_version: 'TLSv1.3'}},
    });
  });
  after(() => td.stop());

  test('rest_api.tls_min_version and rest_api.ciphers hold', async () => {
    assert.match(await handshake(td.daemon.port, {ciphers: 'ECDHE-RSA-AES256-GCM-SHA384', maxVersion: 'TLSv1.2'}), /^refused/);
    assert.equal(await handshake(td.daemon.port, {ciphers: 'TLS_AES_256_GCM_SHA384'}), 'TLSv1.3 TLS_AES_256_GCM_SHA384');
    assert.match(await handshake(td.daemon.port, {ciphers: 'TLS_CHACHA20_POLY1305_SHA256'}), /^refused/);
  });
});

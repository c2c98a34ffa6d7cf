// `wazo-auth saml keygen`: the service provider's key pair for a new install. The RSA key is made
// by node and written readable by its owner only; openssl makes the self-signed certificate
// from it (node has no API for X.509 certificates). Existing files are kept unless forced.

import {execFile} from 'node:child_process';
import {generateKeyPairSync} from 'node:crypto';
import {existsSync, rmSync, writeSync, closeSync} from 'node:fs';
import {dirname} from 'node:path';
import {promisify} from 'node:util';
import {createFile, DATA_FILE_MODE, makeFolders} from '../file-modes.js';
import {CliFailure, usageError} from './failure.js';
import {ExitCode} from './exit-codes.js';

const run = promisify(execFile);

export interface KeygenOptions {
  keyFile: string;
  certFile: string;
  commonName: string;
  days: number;
  force: boolean;
}

export async function samlKeygen(options: KeygenOptions): Promise<{key_file: string; cert_file: string}> {
  const {keyFile, certFile} = options;
  if (!options.force) {
    for (const file of [keyFile, certFile]) if (existsSync(file)) throw usageError(`${file} exists: give --force to replace the key pair`);
  }
  if (!/^[\x20-\x7e]{1,64}$/.test(options.commonName) || /[/\\=+,]/.test(options.commonName)) {
    throw usageError('the common name must be 1 to 64 printable ASCII characters, without / \\ = + ,');
  }
  for (const file of [keyFile, certFile]) makeFolders(dirname(file), 0o755);
  const {privateKey} = generateKeyPairSync('rsa', {modulusLength: 3072});
  const pem = privateKey.export({type: 'pkcs8', format: 'pem'}) as string;
  rmSync(keyFile, {force: true});
  const fd = createFile(keyFile, DATA_FILE_MODE);
  if (fd === undefined) throw usageError(`${keyFile} appeared meanwhile`);
  try {
    writeSync(fd, pem);
  } finally {
    closeSync(fd);
  }
  try {
    await run('openssl', [
      'req',
      '-x509',
      '-new',
      '-sha256',
      '-key',
      keyFile,
      '-out',
      certFile,
      '-days',
      String(options.days),
      '-subj',
      `/CN=${options.commonName}`,
    ]);
  } catch (error) {
    throw new CliFailure(`openssl could not make the certificate: ${(error as Error).message.split('\n')[0]}`, ExitCode.negative);
  }
  return {key_file: keyFile, cert_file: certFile};
}

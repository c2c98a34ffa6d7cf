// Secrets at rest: what the daemon must read back later (an LDAP bind password, an external
// service's credentials) is sealed with AES-256-GCM under a key kept in a file beside
// refresh-token.key, never in the database, so that a copy of the database alone reveals none.

import {createCipheriv, createDecipheriv, createHmac, randomBytes} from 'node:crypto';
import {closeSync, readFileSync, writeSync} from 'node:fs';
import {join} from 'node:path';
import {createFile, DATA_FILE_MODE, makeFolders} from '../file-modes.js';

/** The key file's name in `data_dir`. */
export const SECRET_KEY_FILE = 'secrets.key';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** The key file is missing its key, or a sealed value does not open under this key. */
export class SecretBoxError extends Error {}

export class SecretBox {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new SecretBoxError('a secret key is 32 bytes');
    this.key = Buffer.from(key);
  }

  /**
   * Seals `plain` for the place it is kept (`context`, e.g. `ldap_config.bind_password:<tenant>`):
   * a sealed value copied to another place does not open there.
   */
  seal(plain: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** The plain text of a value `seal` made for the same context; throws SecretBoxError otherwise. */
  open(sealed: string, context: string): string {
    const [version, payload] = sealed.split(':', 2);
    if (version !== VERSION || payload === undefined) throw new SecretBoxError('not a sealed value');
    const bytes = Buffer.from(payload, 'base64');
    if (bytes.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('not a sealed value');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, bytes.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError("a sealed value does not open with this key (another daemon's key, or altered)");
    }
  }

  /** An HMAC of a constant under the key: tells whether two daemons share it, and nothing of the key. */
  fingerprint(): string {
    return createHmac('sha256', this.key).update('wazo-auth secrets key check').digest('hex');
  }
}

/**
 * The key in `<dataDir>/secrets.key`, created (mode 0600, 32 random bytes in hex) when missing,
 * as refresh-token.key is. Daemons sharing a database must share this file too.
 */
export function loadSecretKey(dataDir: string): Buffer {
  const path = join(dataDir, SECRET_KEY_FILE);
  makeFolders(dataDir, 0o700);
  const fd = createFile(path, DATA_FILE_MODE);
  if (fd !== undefined) {
    try {
      writeSync(fd, randomBytes(32).toString('hex') + '\n');
    } finally {
      closeSync(fd);
    }
  }
  const text = readFileSync(path, 'utf8').trim();
  const key = Buffer.from(text, 'hex');
  if (!/^[0-9a-f]{64}$/i.test(text) || key.length !== 32) throw new SecretBoxError(`${path}: not a valid key file (64 hex digits)`);
  return key;
}

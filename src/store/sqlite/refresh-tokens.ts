// Refresh tokens: one per (user, client_id), stored under the digest of the value handed out.
import type {RefreshToken} from '../../domain/types.js';
import type {RefreshTokenStore} from '../store.js';
import type {Db} from './database.js';
import {asConflict, asMissingReference} from './errors.js';
import {toBool} from './list.js';
import {createRefreshTokenList} from './refresh-token-list.js';

/** A refresh token's row, less the digest that listings never read. */
export interface RefreshTokenFieldsRow {
  uuid: string;
  client_id: string;
  user_uuid: string;
  backend: string;
  login: string;
  user_agent: string;
  remote_addr: string;
  mobile: number;
  created_at: number;
}

interface RefreshTokenRow extends RefreshTokenFieldsRow {
  digest: string;
}

const columns = 'uuid, digest, client_id, user_uuid, backend, login, user_agent, remote_addr, mobile, created_at';

export function toRefreshTokenFields(row: RefreshTokenFieldsRow): Omit<RefreshToken, 'digest'> {
  return {
    uuid: row.uuid,
    clientId: row.client_id,
    userUuid: row.user_uuid,
    backend: row.backend,
    login: row.login,
    userAgent: row.user_agent,
    remoteAddr: row.remote_addr,
    mobile: toBool(row.mobile),
    createdAt: row.created_at,
  };
}

function toRefreshToken(row: RefreshTokenRow): RefreshToken {
  return {...toRefreshTokenFields(row), digest: row.digest};
}

export function createRefreshTokenStore(db: Db): RefreshTokenStore {
  const insert = db.prepare(
    `INSERT INTO refresh_tokens (${columns})
     VALUES (@uuid, @digest, @clientId, @userUuid, @backend, @login, @userAgent, @remoteAddr, @mobile, @createdAt)`,
  );
  const byUuid = db.prepare<[string], RefreshTokenRow>(`SELECT ${columns} FROM refresh_tokens WHERE uuid = ?`);
  const byDigest = db.prepare<[string], RefreshTokenRow>(`SELECT ${columns} FROM refresh_tokens WHERE digest = ?`);
  const byClient = db.prepare<[string, string], RefreshTokenRow>(
    `SELECT ${columns} FROM refresh_tokens WHERE user_uuid = ? AND client_id = ?`,
  );
  // Oldest first; rowid breaks ties between tokens created within the same second.
  const ofUser = db.prepare<[{user: string; mobile: number | null}], RefreshTokenRow>(
    `SELECT ${columns} FROM refresh_tokens WHERE user_uuid = @user AND (@mobile IS NULL OR mobile = @mobile)
     ORDER BY created_at, rowid`,
  );
  const removeByClient = db.prepare<[string, string]>('DELETE FROM refresh_tokens WHERE user_uuid = ? AND client_id = ?');

  return {
    ...createRefreshTokenList(db),
    async create(token: RefreshToken): Promise<RefreshToken> {
      try {
        insert.run({
          uuid: token.uuid,
          digest: token.digest,
          clientId: token.clientId,
          userUuid: token.userUuid,
          backend: token.backend,
          login: token.login,
          userAgent: token.userAgent,
          remoteAddr: token.remoteAddr,
          mobile: token.mobile ? 1 : 0,
          createdAt: Math.trunc(token.createdAt),
        });
      } catch (error) {
        const conflict = asConflict(error, {
          'refresh_tokens.client_id': ['client_id', token.clientId],
          'refresh_tokens.digest': ['refresh_token', token.digest],
          'refresh_tokens.uuid': ['uuid', token.uuid],
        });
        throw asMissingReference(conflict, `user ${token.userUuid} does not exist`);
      }
      const row = byUuid.get(token.uuid)!;
      return toRefreshToken(row);
    },
    async findByDigest(digest: string): Promise<RefreshToken | undefined> {
      const row = byDigest.get(digest);
      return row && toRefreshToken(row);
    },
    async findByClient(userUuid: string, clientId: string): Promise<RefreshToken | undefined> {
      const row = byClient.get(userUuid, clientId);
      return row && toRefreshToken(row);
    },
    async listByUser(userUuid: string, options: {mobile?: boolean} = {}): Promise<RefreshToken[]> {
      const mobile = options.mobile === undefined ? null : options.mobile ? 1 : 0;
      return ofUser.all({user: userUuid, mobile}).map(toRefreshToken);
    },
    async deleteByClient(userUuid: string, clientId: string): Promise<boolean> {
      return removeByClient.run(userUuid, clientId).changes > 0;
    },
  };
}

// The token check on SQLite: answered from memory when it can, else one primary-key lookup on a
// statement kept prepared (the daemon's hot path, kept off the query builder).
import {BoundedMap} from '../../bounded-map.js';
import type {TokenRecord} from '../../domain/types.js';
import {sqliteDialect} from '../dialect.js';
import {TOKEN_COLUMNS, toToken, type TokenLookup, type TokenRow} from '../tokens.js';
import type {Db} from './database.js';

/** How many token records are kept in memory; beyond it the oldest are dropped. */
const CACHE_SIZE = 100_000;

/**
 * Token rows never change once written; they only disappear. Each lookup in the file costs
 * SQLite's locking system calls, so the rows are kept in memory, and a temporary trigger drops
 * a row from memory whenever it leaves the table, by whatever path (cascades included). Only
 * changes made through this connection are seen: one daemon per database file.
 */
export function createTokenCache(db: Db): TokenLookup {
  const cache = new BoundedMap<string, TokenRecord>(CACHE_SIZE);
  db.function('wazo_auth_forget_token', {deterministic: false, directOnly: true}, (digest: unknown) => {
    cache.delete(String(digest));
    return null;
  });
  db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS forget_deleted_token AFTER DELETE ON main.tokens
    BEGIN SELECT wazo_auth_forget_token(OLD.digest); END`);
  const byDigest = db.prepare<[string], TokenRow>(`SELECT ${TOKEN_COLUMNS.join(', ')} FROM tokens WHERE digest = ?`);
  return {
    async find(digest: string): Promise<TokenRecord | undefined> {
      let token = cache.get(digest);
      if (token) return token;
      const row = byDigest.get(digest);
      if (!row) return undefined;
      token = toToken(row, sqliteDialect);
      cache.set(digest, token);
      return token;
    },
    forget(digest: string): void {
      cache.delete(digest);
    },
  };
}

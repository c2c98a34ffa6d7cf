// The token check's database read, shared by the requests that arrive together: one query is
// out at a time, and the lookups asked for meanwhile wait for the next one, which answers them
// all at once (the busier the daemon, the more checks per query). The database is asked on every
// check, so a token revoked through any daemon is refused by every daemon at once; only the
// parsing of rows already seen is saved.
import {BoundedMap} from '../../bounded-map.js';
import type {TokenRecord} from '../../domain/types.js';
import {postgresDialect} from '../dialect.js';
import {TOKEN_COLUMNS, toToken, type TokenLookup as Lookup, type TokenRow} from '../tokens.js';
import type {Database} from './database.js';

// Prepared once per connection: it runs for every check.
const BY_DIGESTS = `SELECT ${TOKEN_COLUMNS.join(', ')} FROM tokens WHERE digest = ANY ($1::text[])`;

/** Digests per query at most: beyond it, the next query takes the rest. */
const BATCH = 256;
/** Records kept so that a token checked again yields the same object (its compiled ACL is kept beside it). */
const KNOWN_RECORDS = 100_000;

interface Waiter {
  resolve(record: TokenRecord | undefined): void;
  reject(error: unknown): void;
}

export class TokenLookup implements Lookup {
  private readonly waiting = new Map<string, Waiter[]>();
  /** A query is out, or about to be sent. */
  private busy = false;
  // Token rows never change once written: a record is reused as long as the database still has it.
  private readonly known = new BoundedMap<string, TokenRecord>(KNOWN_RECORDS);

  constructor(private readonly db: Database) {}

  find(digest: string): Promise<TokenRecord | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(digest);
      if (waiters) waiters.push({resolve, reject});
      else this.waiting.set(digest, [{resolve, reject}]);
      this.schedule();
    });
  }

  forget(digest: string): void {
    this.known.delete(digest);
  }

  private schedule(): void {
    if (this.busy || this.waiting.size === 0) return;
    this.busy = true;
    // After the current round of I/O callbacks: the requests read in it share the query.
    setImmediate(() => {
      const batch = new Map<string, Waiter[]>();
      for (const [digest, waiters] of this.waiting) {
        batch.set(digest, waiters);
        this.waiting.delete(digest);
        if (batch.size === BATCH) break;
      }
      void this.answer(batch).finally(() => {
        this.busy = false;
        this.schedule();
      });
    });
  }

  private async answer(batch: Map<string, Waiter[]>): Promise<void> {
    let rows: TokenRow[];
    try {
      rows = await this.db.prepared<TokenRow>('wazo_auth_tokens_by_digest', BY_DIGESTS, [[...batch.keys()]]);
    } catch (error) {
      for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
      return;
    }
    const found = new Map<string, TokenRecord>();
    for (const row of rows) found.set(row.digest, this.record(row));
    for (const [digest, waiters] of batch) {
      const record = found.get(digest);
      if (!record) this.known.delete(digest);
      for (const waiter of waiters) waiter.resolve(record);
    }
  }

  private record(row: TokenRow): TokenRecord {
    let record = this.known.get(row.digest);
    if (!record) {
      record = toToken(row, postgresDialect);
      this.known.set(row.digest, record);
    }
    return record;
  }
}

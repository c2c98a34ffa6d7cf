// What every entity module is built on: the Kysely instance over the engine's connection, and the
// dialect that says how that engine differs, and the atomic sections over both.
import type {Kysely} from 'kysely';
import type {Dialect} from './dialect.js';
import type {Tables} from './tables.js';

export interface StoreContext {
  readonly db: Kysely<Tables>;
  readonly dialect: Dialect;
  /**
   * Runs `body` in one transaction that the store calls made within it join, whichever entity
   * store they go through (src/store/atomic.ts).
   */
  atomically<T>(body: () => Promise<T>): Promise<T>;
}

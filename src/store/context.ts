// What every entity module is built on: the Kysely instance over the engine's connection, and the
// dialect that says how that engine differs.
import type {Kysely} from 'kysely';
import type {Dialect} from './dialect.js';
import type {Tables} from './tables.js';

export interface StoreContext {
  readonly db: Kysely<Tables>;
  readonly dialect: Dialect;
}

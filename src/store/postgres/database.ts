// The PostgreSQL connection pool and the ways queries reach it (Kysely's, the token lookup's and
// the migrations' own connection): bounded waits everywhere, strings PostgreSQL can store, and a
// lost or silent database turned into StoreUnavailable.
import type {PostgresPool, PostgresPoolClient} from 'kysely';
import pg from 'pg';
import {StoreUnavailable} from '../../domain/errors.js';
import {storableValue} from './storable.js';

export interface PostgresSettings {
  /** Connections per daemon. */
  poolSize: number;
  /** Longest a statement, a connection attempt or a wait for a free connection may take. */
  statementTimeoutMs: number;
}

// PostgreSQL server error classes that mean "the database is not there right now", as opposed
// to a query it refused: connection exceptions, operator intervention (shutdown, terminated
// backend, statement timeout) and insufficient resources (too many connections).
const UNAVAILABLE_CODE = /^(08|57P0|57014|53)/;

/** Whether an error says the database cannot serve now, rather than that a query was wrong. */
export function isUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailable) return true;
  if (error instanceof pg.DatabaseError) return UNAVAILABLE_CODE.test(error.code ?? '');
  if (!(error instanceof Error) || error instanceof TypeError || error instanceof RangeError) return false;
  // The driver's own errors (lost connection, client-side timeouts) and the socket's.
  const code = (error as NodeJS.ErrnoException).code;
  return (typeof code === 'string' && /^E[A-Z]+$/.test(code)) || /connection|terminated|timeout|not queryable/i.test(error.message);
}

/**
 * A failed connection attempt: the database is away, unless the server refused who we are or the
 * database named (a configuration to fix, not a wait).
 */
function connectionFailure(error: unknown): unknown {
  if (error instanceof pg.DatabaseError && (error.code?.startsWith('28') || error.code === '3D000')) return error;
  return unavailable(error);
}

function unavailable(error: unknown): StoreUnavailable {
  if (error instanceof StoreUnavailable) return error;
  const reason = error instanceof pg.DatabaseError ? `${error.code}: ${error.message}` : (error as Error).message;
  return new StoreUnavailable(`the database is unavailable (${reason})`, {cause: error});
}

function translated(error: unknown): unknown {
  return isUnavailable(error) ? unavailable(error) : error;
}

/** int8 (counts, epoch seconds) as numbers: every value the store keeps fits in 2^53. */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
};

/** Client settings from the connection string of `db_uri` (src/config/database.ts) and the store settings. */
export function clientConfig(connectionString: string, settings: PostgresSettings): pg.PoolConfig {
  const probe = new URL(connectionString);
  return {
    connectionString,
    ...(probe.searchParams.has('application_name') ? {} : {application_name: 'wazo-auth'}),
    max: settings.poolSize,
    statement_timeout: settings.statementTimeoutMs,
    // Client-side bounds for when the server cannot even say no (unreachable host, dropped packets).
    query_timeout: settings.statementTimeoutMs,
    connectionTimeoutMillis: settings.statementTimeoutMs,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    types,
  };
}

export class Database {
  readonly pool: pg.Pool;
  private readonly config: pg.PoolConfig;

  constructor(connectionString: string, settings: PostgresSettings, onIdleError: (error: Error) => void) {
    this.config = clientConfig(connectionString, settings);
    this.pool = new pg.Pool(this.config);
    // A pooled connection that dies while idle (server restart, pg_terminate_backend) is dropped
    // by the pool; without a listener its error would end the process.
    this.pool.on('error', onIdleError);
  }

  /**
   * A connection outside the pool and without statement timeout, for the work that may
   * rightly take long (migrations, waiting for another daemon's); the caller ends it.
   */
  async connectAlone(): Promise<pg.Client> {
    const {max: _max, idleTimeoutMillis: _idle, statement_timeout: _statement, query_timeout: _query, ...config} = this.config;
    const client = new pg.Client(config);
    // Its failures surface through the query that fails; this keeps them from ending the process.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      throw connectionFailure(error);
    }
    return client;
  }

  /**
   * A pooled connection, and how to give it back. While checked out, a connection's socket error
   * has no other listener (the pool listens only to idle ones) and would end the process; given
   * back with the error that broke it, it is discarded, the listener kept for whatever the dying
   * connection still reports.
   */
  private async checkout(): Promise<{client: pg.PoolClient; release(broken?: Error): void}> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw connectionFailure(error);
    }
    const ignore = () => undefined;
    client.on('error', ignore);
    return {
      client,
      release(broken) {
        if (!broken) client.off('error', ignore);
        client.release(broken);
      },
    };
  }

  /** Runs `body` on one connection; a connection that failed is closed rather than reused. */
  async withClient<T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const {client, release} = await this.checkout();
    try {
      const result = await body(client);
      release();
      return result;
    } catch (error) {
      release(isUnavailable(error) ? (error as Error) : undefined);
      throw translated(error);
    }
  }

  /** The rows of a statement prepared once per connection under `name` (the hot path's). */
  async prepared<R>(name: string, text: string, values: unknown[]): Promise<R[]> {
    return this.withClient(async (client) => (await client.query({name, text, values: values.map(storableValue)})).rows as R[]);
  }

  /**
   * The pool as Kysely's PostgresDialect takes it, with the same guards as withClient: a failed
   * connection attempt or query that says the database is away becomes StoreUnavailable, and such a
   * connection is discarded; strings are made storable.
   */
  kyselyPool(): PostgresPool {
    return {
      connect: async (): Promise<PostgresPoolClient> => {
        const {client, release} = await this.checkout();
        let broken: Error | undefined;
        const query = async (text: string, parameters: ReadonlyArray<unknown>) => {
          try {
            return await client.query(text, parameters.map(storableValue));
          } catch (error) {
            if (isUnavailable(error)) broken = error as Error;
            throw translated(error);
          }
        };
        return {query: query as unknown as PostgresPoolClient['query'], release: () => release(broken)};
      },
      end: () => this.close(),
    };
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}

// The PostgreSQL connection pool and the one way queries reach it: named parameters, bounded
// waits everywhere, and a lost or silent database turned into StoreUnavailable.
import {AsyncLocalStorage} from 'node:async_hooks';
import pg from 'pg';
import {StoreUnavailable} from '../../domain/errors.js';

export interface PostgresSettings {
  /** Connections per daemon. */
  poolSize: number;
  /** Longest a statement, a connection attempt or a wait for a free connection may take. */
  statementTimeoutMs: number;
}

export type Params = Readonly<Record<string, unknown>>;

/** SQL with `@name` parameters, compiled once to PostgreSQL's `$n`. */
export interface Sql {
  readonly text: string;
  readonly names: readonly string[];
  /** Set for the hot statements: prepared once per connection. */
  readonly prepareAs?: string;
}

/** Compiles `@name` parameters (the same name is the same parameter) to `$1`, `$2`... */
export function sql(text: string, prepareAs?: string): Sql {
  const names: string[] = [];
  const compiled = text.replace(/(?<![@\w])@([A-Za-z_]\w*)/g, (_, name: string) => {
    let index = names.indexOf(name);
    if (index === -1) index = names.push(name) - 1;
    return `$${index + 1}`;
  });
  return {text: compiled, names, prepareAs};
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * PostgreSQL text cannot hold U+0000, nor its json a lone surrogate: each becomes U+FFFD, the
 * replacement character (what UTF-8 makes of a lone surrogate anyway, as on SQLite), so that a
 * lookup or search with it finds nothing instead of failing.
 */
function storable(value: string): string {
  const text = value.includes('\0') ? value.replaceAll('\0', '\uFFFD') : value;
  return text.replace(LONE_SURROGATE, '\uFFFD');
}

/** A value for a json or jsonb column, its strings storable. */
export function jsonParam(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === 'string' ? storable(item) : item));
}

function values(statement: Sql, params: Params): unknown[] {
  return statement.names.map((name) => {
    if (!Object.hasOwn(params, name)) throw new Error(`no value for @${name} in: ${statement.text.slice(0, 80)}`);
    const value = params[name] ?? null;
    if (typeof value === 'string') return storable(value);
    if (Array.isArray(value)) return value.map((item: unknown) => (typeof item === 'string' ? storable(item) : item));
    return value;
  });
}

/** What a pool and a transaction both offer. */
export interface Queries {
  rows<R>(statement: Sql, params?: Params): Promise<R[]>;
  /** The first row, if any. */
  row<R>(statement: Sql, params?: Params): Promise<R | undefined>;
  /** How many rows the statement changed. */
  run(statement: Sql, params?: Params): Promise<number>;
  /** Plain SQL without parameters, several statements allowed (migrations). */
  exec(text: string): Promise<void>;
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

/** Client settings from `db_uri` and the store settings. */
export function clientConfig(uri: string, settings: PostgresSettings): pg.PoolConfig {
  // SQLAlchemy's `postgresql+psycopg2://` names a Python driver: upstream configurations carry it.
  const connectionString = uri.replace(/^postgres(ql)?\+[a-z0-9_]+:/i, 'postgresql:');
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

class ClientQueries implements Queries {
  constructor(protected readonly client: pg.PoolClient) {}

  async rows<R>(statement: Sql, params: Params = {}): Promise<R[]> {
    const config = {text: statement.text, values: values(statement, params), ...(statement.prepareAs ? {name: statement.prepareAs} : {})};
    return (await this.client.query(config)).rows as R[];
  }

  async row<R>(statement: Sql, params: Params = {}): Promise<R | undefined> {
    return (await this.rows<R>(statement, params))[0];
  }

  async run(statement: Sql, params: Params = {}): Promise<number> {
    const result = await this.client.query({text: statement.text, values: values(statement, params)});
    return result.rowCount ?? 0;
  }

  async exec(text: string): Promise<void> {
    await this.client.query(text);
  }
}

/** The transaction of an atomic section, while it is open. */
interface Ambient {
  queries: ClientQueries;
  open: boolean;
  savepoints: number;
}

export class Database implements Queries {
  readonly pool: pg.Pool;
  private readonly config: pg.PoolConfig;
  /**
   * Set by atomically(): the statements of the store calls made within it run in its
   * transaction, without the stores knowing (the bus outbox writes its events there).
   */
  private readonly ambient = new AsyncLocalStorage<Ambient>();

  constructor(uri: string, settings: PostgresSettings, onIdleError: (error: Error) => void) {
    this.config = clientConfig(uri, settings);
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

  /** Runs `body` on one connection; a connection that failed is closed rather than reused. */
  async withClient<T>(body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw connectionFailure(error);
    }
    // While checked out, a connection's socket error has no other listener (the pool listens
    // only to idle ones) and would end the process; the query in progress fails with it anyway.
    const ignore = () => undefined;
    client.on('error', ignore);
    try {
      const result = await body(client);
      client.off('error', ignore);
      client.release();
      return result;
    } catch (error) {
      if (isUnavailable(error)) {
        // Discarded: the listener stays for whatever the dying connection still reports.
        client.release(error as Error);
      } else {
        client.off('error', ignore);
        client.release();
      }
      throw translated(error);
    }
  }

  rows<R>(statement: Sql, params?: Params): Promise<R[]> {
    const ambient = this.current();
    if (ambient) return ambient.queries.rows<R>(statement, params);
    return this.withClient((client) => new ClientQueries(client).rows<R>(statement, params));
  }

  row<R>(statement: Sql, params?: Params): Promise<R | undefined> {
    const ambient = this.current();
    if (ambient) return ambient.queries.row<R>(statement, params);
    return this.withClient((client) => new ClientQueries(client).row<R>(statement, params));
  }

  run(statement: Sql, params?: Params): Promise<number> {
    const ambient = this.current();
    if (ambient) return ambient.queries.run(statement, params);
    return this.withClient((client) => new ClientQueries(client).run(statement, params));
  }

  exec(text: string): Promise<void> {
    const ambient = this.current();
    if (ambient) return ambient.queries.exec(text);
    return this.withClient((client) => new ClientQueries(client).exec(text));
  }

  private current(): Ambient | undefined {
    const ambient = this.ambient.getStore();
    return ambient?.open ? ambient : undefined;
  }

  /**
   * Runs `body` in one transaction that the store calls made within it join: committed when it
   * returns, rolled back when it throws.
   */
  atomically<T>(body: (tx: Queries) => Promise<T>): Promise<T> {
    return this.transaction(async (tx) => {
      const ambient: Ambient = {queries: tx as ClientQueries, open: true, savepoints: 0};
      try {
        return await this.ambient.run(ambient, () => body(tx));
      } finally {
        ambient.open = false;
      }
    });
  }

  /** Runs `body` in one transaction: committed when it returns, rolled back when it throws. */
  transaction<T>(body: (tx: Queries) => Promise<T>): Promise<T> {
    const ambient = this.current();
    if (ambient) return this.savepoint(ambient, body);
    return this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        const result = await body(new ClientQueries(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A broken connection cannot roll back: the server does it when the connection goes.
        if (!isUnavailable(error)) await client.query('ROLLBACK');
        throw error;
      }
    });
  }

  /** A transaction within an atomic section's: a savepoint, undone alone when `body` throws. */
  private async savepoint<T>(ambient: Ambient, body: (tx: Queries) => Promise<T>): Promise<T> {
    const name = `nested_${++ambient.savepoints}`;
    await ambient.queries.exec(`SAVEPOINT ${name}`);
    try {
      const result = await body(ambient.queries);
      await ambient.queries.exec(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      if (!isUnavailable(error)) await ambient.queries.exec(`ROLLBACK TO SAVEPOINT ${name}`);
      throw error;
    }
  }

  async close(): Promise<void> {
    if (!this.pool.ended) await this.pool.end();
  }
}

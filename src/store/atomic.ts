// Atomic sections: a change and the bus events it causes are written in one transaction, while
// the change itself is made of ordinary store calls that know nothing of it. The section's
// connection is carried by an AsyncLocalStorage (on only while a section is open); every query a store makes within the section
// runs on it, and a transaction a store opens there becomes a savepoint of the section's. Kysely
// sees all this as one driver wrapping the engine's.
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect as KyselyDialect,
  type DialectAdapter,
  type Driver,
  Kysely,
  type QueryCompiler,
  type TransactionSettings,
} from 'kysely';
import {ScopedStorage} from '../scoped-storage.js';
import type {StoreContext} from './context.js';
import type {Dialect} from './dialect.js';
import type {Tables} from './tables.js';

interface Section {
  readonly connection: DatabaseConnection;
  open: boolean;
  /** Savepoints opened and not yet released. */
  depth: number;
  /** The section's nested transactions, one after the other: savepoints must nest. */
  tail: Promise<void>;
  /** Resolves the wait of the next nested transaction when the current one ends. */
  next: Array<() => void>;
}

export class AtomicDriver implements Driver {
  private readonly sections = new ScopedStorage<Section>();
  private initialized: Promise<void> | undefined;

  constructor(
    private readonly inner: Driver,
    /** The statement that opens a section or a read-write transaction, when not the inner driver's (dialect.writeBegin). */
    private readonly writeBegin: string | undefined,
  ) {}

  init(): Promise<void> {
    this.initialized ??= this.inner.init();
    return this.initialized;
  }

  private section(connection?: DatabaseConnection): Section | undefined {
    const section = this.sections.getStore();
    if (!section) return undefined;
    if (connection) return section.connection === connection ? section : undefined;
    return section.open ? section : undefined;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.section()?.connection ?? this.inner.acquireConnection();
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (!this.section(connection)) await this.inner.releaseConnection(connection);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const section = this.section(connection);
    if (!section) return this.start(connection, settings);
    const previous = section.tail;
    section.tail = new Promise<void>((resolve) => section.next.push(resolve));
    await previous;
    section.depth += 1;
    try {
      await connection.executeQuery(CompiledQuery.raw(`SAVEPOINT nested_${section.depth}`));
    } catch (error) {
      // Kysely ends no transaction that failed to begin.
      this.ended(section);
      throw error;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const section = this.section(connection);
    if (!section) return this.inner.commitTransaction(connection);
    try {
      await connection.executeQuery(CompiledQuery.raw(`RELEASE SAVEPOINT nested_${section.depth}`));
    } finally {
      this.ended(section);
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const section = this.section(connection);
    if (!section) return this.inner.rollbackTransaction(connection);
    try {
      // Undoes the nested transaction alone; on a lost connection the section fails anyway.
      await connection.executeQuery(CompiledQuery.raw(`ROLLBACK TO SAVEPOINT nested_${section.depth}`));
      await connection.executeQuery(CompiledQuery.raw(`RELEASE SAVEPOINT nested_${section.depth}`));
    } catch {
      // The section's own end reports the failure.
    } finally {
      this.ended(section);
    }
  }

  private ended(section: Section): void {
    section.depth -= 1;
    section.next.shift()?.();
  }

  savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.savepoint!(connection, name, compile);
  }

  rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.rollbackToSavepoint!(connection, name, compile);
  }

  releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    return this.inner.releaseSavepoint!(connection, name, compile);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }

  private async start(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (this.writeBegin === undefined || settings.accessMode !== 'read write') return this.inner.beginTransaction(connection, settings);
    await connection.executeQuery(CompiledQuery.raw(this.writeBegin));
  }

  /**
   * Runs `body` in one transaction that every store call made within it joins: committed when it
   * returns, rolled back when it throws. A section opened within another joins it.
   */
  async atomically<T>(body: () => Promise<T>): Promise<T> {
    if (this.section()) return body();
    await this.init();
    const connection = await this.inner.acquireConnection();
    try {
      await this.start(connection, {accessMode: 'read write'});
      const section: Section = {connection, open: true, depth: 0, tail: Promise.resolve(), next: []};
      let result: T;
      try {
        result = await this.sections.run(section, body);
      } catch (error) {
        section.open = false;
        await this.inner.rollbackTransaction(connection).catch(() => undefined);
        throw error;
      }
      section.open = false;
      await this.inner.commitTransaction(connection);
      return result;
    } finally {
      await this.inner.releaseConnection(connection);
    }
  }
}

/** The context of the entity stores over the engine's Kysely dialect, its driver wrapped in an AtomicDriver. */
export function storeContext(engine: KyselyDialect, dialect: Dialect): StoreContext {
  const driver = new AtomicDriver(engine.createDriver(), dialect.writeBegin);
  const wrapped: KyselyDialect = {
    createAdapter: (): DialectAdapter => engine.createAdapter(),
    createDriver: (): Driver => driver,
    createQueryCompiler: (): QueryCompiler => engine.createQueryCompiler(),
    createIntrospector: (db: Kysely<any>): DatabaseIntrospector => engine.createIntrospector(db),
  };
  return {db: new Kysely<Tables>({dialect: wrapped}), dialect, atomically: (body) => driver.atomically(body)};
}

// AsyncLocalStorage, switched on only while one of its scopes is open. On Node 20 an enabled
// storage runs a hook for every promise of the process: about a tenth of the CPU of a token
// check (`npm run bench`), paid by every request although only logins and changes open scopes.
import {AsyncLocalStorage} from 'node:async_hooks';

export class ScopedStorage<T> {
  private readonly storage = new AsyncLocalStorage<T>();
  private open = 0;

  /** The value of the innermost scope the caller runs in; undefined outside of every scope. */
  getStore(): T | undefined {
    return this.open === 0 ? undefined : this.storage.getStore();
  }

  /** Runs `work` in a scope holding `value`; the storage is off again once no scope is open. */
  async run<R>(value: T, work: () => Promise<R>): Promise<R> {
    this.open += 1;
    try {
      return await this.storage.run(value, work);
    } finally {
      this.open -= 1;
      if (this.open === 0) this.storage.disable();
    }
  }
}

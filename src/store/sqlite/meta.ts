// Installation-wide named values (such as the installation uuid) kept in the `meta` table.
import type {MetaStore} from '../store.js';
import type {Db} from './database.js';

export function createMetaStore(db: Db): MetaStore {
  const read = db.prepare<[string], string>('SELECT value FROM meta WHERE key = ?').pluck();
  // ON CONFLICT DO NOTHING lets two daemons starting together agree on the first value written.
  const insert = db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING');
  const setIfAbsent = db.transaction((key: string, value: string): string => {
    insert.run(key, value);
    return read.get(key)!;
  });

  return {
    async get(key: string): Promise<string | undefined> {
      return read.get(key);
    },
    async setIfAbsent(key: string, value: string): Promise<string> {
      return setIfAbsent.immediate(key, value);
    },
  };
}

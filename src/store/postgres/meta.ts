// Installation-wide named values (such as the installation uuid) kept in the `meta` table.
import type {MetaStore} from '../store.js';
import {sql, type Database} from './database.js';

const read = sql('SELECT value FROM meta WHERE key = @key');
// ON CONFLICT DO NOTHING lets daemons starting together agree on the first value written: the
// read that follows sees the row of whichever insert committed.
const insert = sql('INSERT INTO meta (key, value) VALUES (@key, @value) ON CONFLICT DO NOTHING');

export function createMetaStore(db: Database): MetaStore {
  async function get(key: string): Promise<string | undefined> {
    return (await db.row<{value: string}>(read, {key}))?.value;
  }
  return {
    get,
    async setIfAbsent(key: string, value: string): Promise<string> {
      await db.run(insert, {key, value});
      return (await get(key))!;
    },
  };
}

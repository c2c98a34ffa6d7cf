// Installation-wide named values (such as the installation uuid) kept in the `meta` table.
import type {StoreContext} from './context.js';
import type {MetaStore} from './store.js';

export function createMetaStore({db}: StoreContext): MetaStore {
  async function get(key: string): Promise<string | undefined> {
    return (await db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst())?.value;
  }
  return {
    get,
    async setIfAbsent(key: string, value: string): Promise<string> {
      // ON CONFLICT DO NOTHING lets daemons starting together agree on the first value written:
      // the read that follows sees the row of whichever insert committed.
      await db
        .insertInto('meta')
        .values({key, value})
        .onConflict((conflict) => conflict.doNothing())
        .execute();
      return (await get(key))!;
    },
  };
}

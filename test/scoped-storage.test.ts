import assert from 'node:assert/strict';
import {test} from 'node:test';
import {setImmediate as nextTurn} from 'node:timers/promises';
import {ScopedStorage} from '../src/scoped-storage.js';

test('a scope sees its own value through its awaits, concurrent scopes theirs, nothing outside', async () => {
  const storage = new ScopedStorage<string>();
  assert.equal(storage.getStore(), undefined);
  const seen: string[] = [];
  const scope = (value: string) =>
    storage.run(value, async () => {
      await nextTurn();
      seen.push(`${value}:${storage.getStore()}`);
      await nextTurn();
      return storage.getStore();
    });
  assert.deepEqual(await Promise.all([scope('a'), scope('b')]), ['a', 'b']);
  assert.deepEqual(seen.sort(), ['a:a', 'b:b']);
  assert.equal(storage.getStore(), undefined);
});

test('an inner scope shadows the outer one until it ends', async () => {
  const storage = new ScopedStorage<number>();
  const values = await storage.run(1, async () => {
    const inner = await storage.run(2, async () => storage.getStore());
    return [inner, storage.getStore()];
  });
  assert.deepEqual(values, [2, 1]);
});

test('switched off once every scope has ended, a storage works again in the next scope, failed or not', async () => {
  const storage = new ScopedStorage<string>();
  await assert.rejects(
    storage.run('failing', async () => {
      await nextTurn();
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal(storage.getStore(), undefined);
  // A continuation created outside every scope does not see a later scope's value.
  const outside = nextTurn().then(() => storage.getStore());
  const inside = await storage.run('again', async () => {
    await nextTurn();
    return storage.getStore();
  });
  assert.equal(inside, 'again');
  assert.equal(await outside, undefined);
});

// What every store keeps of failed logins, whatever its engine: each test file calls
// loginFailuresContract() with a function that opens a fresh, empty store.
import assert from 'node:assert/strict';
import {describe, test} from 'node:test';
import type {LoginFailureCount, LoginFailureKey, Store} from '../../src/store/store.js';

const pair: LoginFailureKey = {loginDigest: 'a'.repeat(64), address: '192.0.2.1'};
const address: LoginFailureKey = {loginDigest: '', address: '192.0.2.1'};
const count = (key: LoginFailureKey, failures: number, at: number): LoginFailureCount => ({...key, failures, lastFailureAt: at, expiresAt: at + 1000});

export function loginFailuresContract(name: string, open: () => Promise<Store>): void {
  const withStore = (body: (store: Store) => Promise<void>) => async () => {
    const store = await open();
    try {
      await body(store);
    } finally {
      await store.close();
    }
  };

  describe(`${name}: login failures`, () => {
    test(
      'change stores what decide makes of the counts read, in the order of the keys, and returns its result',
      withStore(async (store) => {
        const seen: unknown[] = [];
        const result = await store.loginFailures.change([pair, address], (counts) => {
          seen.push(counts);
          return {counts: [count(pair, 1, 5000), count(address, 7, 5000)], result: 'done'};
        });
        assert.equal(result, 'done');
        assert.deepEqual(seen, [[undefined, undefined]]);
        assert.deepEqual(await store.loginFailures.find([address, pair]), [count(address, 7, 5000), count(pair, 1, 5000)]);
        await store.loginFailures.change([address, pair], (counts) => {
          assert.deepEqual(counts, [count(address, 7, 5000), count(pair, 1, 5000)]);
          return {counts: [null, undefined], result: undefined};
        });
        assert.deepEqual(await store.loginFailures.find([pair, address]), [count(pair, 1, 5000), undefined]);
      }),
    );

    test(
      'concurrent changes of one key are each applied once',
      withStore(async (store) => {
        const increment = () =>
          store.loginFailures.change([pair], ([current]) => ({counts: [count(pair, (current?.failures ?? 0) + 1, 5000)], result: undefined}));
        await Promise.all(Array.from({length: 20}, increment));
        assert.equal((await store.loginFailures.find([pair]))[0]?.failures, 20);
      }),
    );

    test(
      'listByLogins shows the live counts of these logins, every address, newest failure first',
      withStore(async (store) => {
        const other = {loginDigest: 'b'.repeat(64), address: '192.0.2.1'};
        const elsewhere = {...pair, address: '2001:db8::/64'};
        const counts = [count(pair, 2, 1000), count(elsewhere, 3, 3000), count(other, 4, 2000), count(address, 9, 2000)];
        await store.loginFailures.change([pair, elsewhere, other, address], () => ({counts, result: undefined}));
        assert.deepEqual(await store.loginFailures.listByLogins([pair.loginDigest], 0), [count(elsewhere, 3, 3000), count(pair, 2, 1000)]);
        // Expired at 2000: the count that expires at 2000 is gone from then on.
        assert.deepEqual(await store.loginFailures.listByLogins([pair.loginDigest, other.loginDigest], 2000), [
          count(elsewhere, 3, 3000),
          count(other, 4, 2000),
        ]);
        assert.deepEqual(await store.loginFailures.listByLogins([], 0), []);

        assert.equal(await store.loginFailures.deleteByLogins([pair.loginDigest]), 2);
        assert.deepEqual(await store.loginFailures.find([pair, elsewhere, other]), [undefined, undefined, count(other, 4, 2000)]);
      }),
    );

    test(
      'deleteExpired forgets up to `limit` counts expired at `now`',
      withStore(async (store) => {
        const keys = Array.from({length: 5}, (_, i) => ({loginDigest: String(i), address: '192.0.2.9'}));
        await store.loginFailures.change(keys, () => ({counts: keys.map((key, i) => count(key, 1, i * 1000)), result: undefined}));
        // Expiring at 1000, 2000, 3000, 4000, 5000.
        assert.equal(await store.loginFailures.deleteExpired(3000, 2), 2);
        assert.equal(await store.loginFailures.deleteExpired(3000, 2), 1);
        assert.equal(await store.loginFailures.deleteExpired(3000, 2), 0);
        assert.deepEqual(
          (await store.loginFailures.find(keys)).map((found) => found?.failures),
          [undefined, undefined, undefined, 1, 1],
        );
      }),
    );
  });
}

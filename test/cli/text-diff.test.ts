// The unified diff `policy edit` prints, checked against the system's own `diff -u`.

import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {unifiedDiff} from '../../src/cli/text-diff.js';

const dir = mkdtempSync(join(tmpdir(), 'wazo-auth-diff-'));
after(() => rmSync(dir, {recursive: true, force: true}));

/** `diff -u`'s hunks (after its two header lines, which carry file times). */
function systemDiff(before: string, after: string): string {
  writeFileSync(join(dir, 'a'), before);
  writeFileSync(join(dir, 'b'), after);
  const {stdout} = spawnSync('diff', ['-u', join(dir, 'a'), join(dir, 'b')], {encoding: 'utf8'});
  return stdout.split('\n').slice(2).join('\n');
}

const lines = (...items: string[]) => items.map((item) => `${item}\n`).join('');
const numbered = (count: number) => Array.from({length: count}, (_, i) => `line ${i + 1}`);

const cases: [string, string, string][] = [
  ['one line changed', lines('a', 'b', 'c'), lines('a', 'B', 'c')],
  ['a line added at the end', lines('a', 'b'), lines('a', 'b', 'c')],
  ['a line removed at the start', lines('a', 'b', 'c'), lines('b', 'c')],
  ['from nothing', '', lines('a', 'b')],
  ['to nothing', lines('a', 'b'), ''],
  ['two changes far apart: two hunks', lines(...numbered(30)), lines(...numbered(30).map((l, i) => (i === 2 || i === 25 ? `${l}!` : l)))],
  ['two changes 6 lines apart: one hunk', lines(...numbered(20)), lines(...numbered(20).map((l, i) => (i === 5 || i === 12 ? `${l}!` : l)))],
  ['two changes 7 lines apart: two hunks', lines(...numbered(20)), lines(...numbered(20).map((l, i) => (i === 5 || i === 13 ? `${l}!` : l)))],
  ['lines moved', lines('a', 'b', 'c', 'd', 'e'), lines('c', 'd', 'a', 'b', 'e')],
  ['an ACL reordered and extended', lines('acl:', '  - a.b', '  - c.#', 'shared: false'), lines('acl:', '  - c.#', '  - x.y', '  - a.b', 'shared: false')],
];

for (const [name, before, after] of cases) {
  test(`as diff -u: ${name}`, () => {
    const diff = unifiedDiff(before, after, ['before', 'after']);
    assert.equal(diff.split('\n').slice(0, 2).join('\n'), '--- before\n+++ after');
    assert.equal(diff.split('\n').slice(2).join('\n'), systemDiff(before, after));
  });
}

test('the same texts: no diff at all', () => {
  assert.equal(unifiedDiff(lines('a', 'b'), lines('a', 'b'), ['x', 'y']), '');
});

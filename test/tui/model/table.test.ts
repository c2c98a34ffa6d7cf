import assert from 'node:assert/strict';
import {test} from 'node:test';
import {filterRows, fit, fitWidths, layoutTable, nextSort, parseFilter, scrollOffset, sortRows, type Column} from '../../../src/tui/model/table.js';

type Row = {name: string; count: number};
const columns: Column<Row>[] = [
  {key: 'name', title: 'NAME', text: (r) => r.name},
  {key: 'count', title: 'COUNT', text: (r) => String(r.count), sortValue: (r) => r.count},
];
const rows: Row[] = [
  {name: 'bob', count: 10},
  {name: 'Alice', count: 9},
  {name: 'carol', count: 10},
];

test('the filter keeps rows containing the text in any cell, whatever the case; ! keeps the others', () => {
  assert.deepEqual(
    filterRows(rows, columns, parseFilter('AL')).map((r) => r.name),
    ['Alice'],
  );
  assert.deepEqual(
    filterRows(rows, columns, parseFilter('10')).map((r) => r.name),
    ['bob', 'carol'],
  );
  assert.deepEqual(
    filterRows(rows, columns, parseFilter('!10')).map((r) => r.name),
    ['Alice'],
  );
  assert.equal(filterRows(rows, columns, parseFilter('')).length, 3);
});

test('sorting compares sort values (numbers as numbers), keeps ties in order, and reverses', () => {
  assert.deepEqual(
    sortRows(rows, columns, {key: 'name', descending: false}).map((r) => r.name),
    ['Alice', 'bob', 'carol'],
  );
  assert.deepEqual(
    sortRows(rows, columns, {key: 'count', descending: false}).map((r) => r.name),
    ['Alice', 'bob', 'carol'],
  );
  assert.deepEqual(
    sortRows(rows, columns, {key: 'count', descending: true}).map((r) => r.name),
    ['bob', 'carol', 'Alice'],
  );
  assert.deepEqual(sortRows(rows, columns, {key: 'none', descending: false}), rows);
  assert.deepEqual(nextSort(columns, {key: 'count', descending: true}), {key: 'name', descending: false});
});

test('text sorts as text: hex identifiers in their order, not by the numbers in them', () => {
  const hex = ['9f3a01c2', '10be77d0', 'a0b1c2d3', '0b9e0000', '100a0000'].map((name) => ({name, count: 0}));
  assert.deepEqual(
    sortRows(hex, columns, {key: 'name', descending: false}).map((r) => r.name),
    ['0b9e0000', '100a0000', '10be77d0', '9f3a01c2', 'a0b1c2d3'],
  );
});

test('the window moves only when the selection leaves it', () => {
  assert.equal(scrollOffset(0, 0, 5, 3), 0);
  assert.equal(scrollOffset(4, 0, 5, 20), 0);
  assert.equal(scrollOffset(5, 0, 5, 20), 1);
  assert.equal(scrollOffset(7, 3, 5, 20), 3);
  assert.equal(scrollOffset(2, 3, 5, 20), 2);
  assert.equal(scrollOffset(19, 18, 5, 20), 15);
});

test('widths give each column its minimum, then the room left in column order', () => {
  const cols = [{title: 'A', min: 3}, {title: 'B'}, {title: 'C'}];
  assert.deepEqual(fitWidths(cols, [['aaaaaaaa', 'bbbb', 'cc']], 40), [8, 4, 2]);
  assert.deepEqual(fitWidths(cols, [['aaaaaaaa', 'bbbb', 'cc']], 12), [8, 1, 1]);
  assert.deepEqual(fitWidths([{title: 'A', max: 4}], [['aaaaaaaa']], 40), [4]);
  assert.equal(fit('abcdef', 4), 'abc…');
  assert.equal(fit('ab', 4), 'ab  ');
});

test('a laid-out table marks the sort, cuts to the width and shows the selected row', () => {
  const many = Array.from({length: 10}, (_, i) => ({name: `user${i}`, count: i}));
  const lines = layoutTable(columns, many, {width: 16, height: 4, selected: 5, offset: 0, sort: {key: 'count', descending: true}});
  assert.equal(lines.header, '  NAME  COUNT▼  ');
  assert.deepEqual(
    lines.rows.map((r) => [r.text, r.selected]),
    [
      ['  user3 3       ', false],
      ['  user4 4       ', false],
      ['› user5 5       ', true],
    ],
  );
  assert.equal(lines.offset, 3);
});

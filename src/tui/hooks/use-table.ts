// A table's state: selection (kept on the same row across refreshes), scrolling, sort and the
// `/` filter; and the keys that move them. The view adds its own keys in front of these. Sort,
// filter and selection outlive the view: switching away and back finds them as they were.

import {useEffect, useMemo, useRef, useState} from 'react';
import type {Key} from 'ink';
import {useDashboard} from '../context.js';
import {filterRows, layoutTable, nextSort, parseFilter, sortRows, type Column, type KeptTable, type Sort, type TableLines} from '../model/table.js';

export interface TableOptions<Row> {
  /** Names the table across view switches (`users`, `policy <uuid>`): its sort, filter and selection are kept under it. */
  name: string;
  rows: readonly Row[] | undefined;
  columns: readonly Column<Row>[];
  /** Identifies a row across refreshes. */
  id: (row: Row) => string;
  /** Lines, the header included. */
  height: number;
  width: number;
  initialSort: Sort;
}

export interface TableState<Row> {
  lines: TableLines;
  selected: Row | undefined;
  /** The rows passing the filter, in order. */
  shown: Row[];
  filter: string;
  sort: Sort;
  handleKey: (input: string, key: Key) => boolean;
}

export function useTable<Row>({name, rows, columns, id, height, width, initialSort}: TableOptions<Row>): TableState<Row> {
  const {prompts, keptTables, showRecord} = useDashboard();
  const kept = keptTables.get(name);
  const [sort, setSort] = useState(kept?.sort ?? initialSort);
  const [filter, setFilter] = useState(kept?.filter ?? '');
  const [cursor, setCursor] = useState<KeptTable['cursor']>(kept?.cursor ?? {id: undefined, index: 0});
  const offset = useRef(0);
  useEffect(() => {
    keptTables.set(name, {sort, filter, cursor});
  }, [keptTables, name, sort, filter, cursor]);

  const shown = useMemo(() => sortRows(filterRows(rows ?? [], columns, parseFilter(filter)), columns, sort), [rows, columns, filter, sort]);
  // The selected row stays selected wherever it moves; when it is gone, the cursor stays where it was.
  const found = cursor.id === undefined ? -1 : shown.findIndex((row) => id(row) === cursor.id);
  const index = shown.length === 0 ? 0 : Math.min(found >= 0 ? found : cursor.index, shown.length - 1);
  const selected = shown[index];
  const lines = layoutTable(columns, shown, {width, height, selected: index, offset: offset.current, sort});
  useEffect(() => {
    offset.current = lines.offset;
  });

  const moveTo = (target: number) => {
    const next = Math.max(0, Math.min(target, shown.length - 1));
    setCursor({id: shown[next] ? id(shown[next]) : undefined, index: next});
  };
  const page = Math.max(1, height - 2);

  const handleKey = (input: string, key: Key): boolean => {
    if (key.upArrow || input === 'k') moveTo(index - 1);
    else if (key.downArrow || input === 'j') moveTo(index + 1);
    else if (key.pageUp) moveTo(index - page);
    else if (key.pageDown) moveTo(index + page);
    else if (key.home || input === 'g') moveTo(0);
    else if (key.end || input === 'G') moveTo(shown.length - 1);
    else if (input === 's') setSort(nextSort(columns, sort));
    else if (input === 'S') setSort({...sort, descending: !sort.descending});
    else if (key.escape && filter) setFilter('');
    else if (input === 'y' && selected) showRecord(columns[0]!.text(selected), selected);
    else if (input === '/') {
      prompts.ask({
        label: '/',
        initial: filter,
        onChange: setFilter,
        onSubmit: setFilter,
        onCancel: () => setFilter(''),
      });
    } else return false;
    return true;
  };

  return {lines, selected, shown, filter, sort, handleKey};
}

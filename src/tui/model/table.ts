// The pure side of every table of the dashboard: which rows pass the filter, in which order,
// which of them fit on the screen, and how wide each column is.

export interface Column<Row> {
  /** Stable name, used for sorting. */
  key: string;
  title: string;
  /** The cell as shown. */
  text: (row: Row) => string;
  /** What sorting compares, when not the text (a time, a count). */
  sortValue?: (row: Row) => string | number | boolean;
  /** Narrowest width worth showing; wider cells are cut with `…`. Default: the title's width. */
  min?: number;
  /** Widest width it takes before spare room goes to the next column. */
  max?: number;
}

export interface Sort {
  key: string;
  descending: boolean;
}

/** The filter typed after `/`: case-insensitive words of a row; a leading `!` keeps the rows that do not match. */
export interface Filter {
  needle: string;
  inverted: boolean;
}

export function parseFilter(text: string): Filter {
  const inverted = text.startsWith('!');
  return {needle: (inverted ? text.slice(1) : text).toLowerCase(), inverted};
}

/** Rows whose cells contain the needle (or not, inverted); all rows for an empty needle. */
export function filterRows<Row>(rows: readonly Row[], columns: readonly Column<Row>[], filter: Filter): Row[] {
  if (!filter.needle) return [...rows];
  return rows.filter((row) => columns.some((column) => column.text(row).toLowerCase().includes(filter.needle)) !== filter.inverted);
}

/** A stable sort on one column; rows equal on it keep their order. */
export function sortRows<Row>(rows: readonly Row[], columns: readonly Column<Row>[], sort: Sort): Row[] {
  const column = columns.find((c) => c.key === sort.key);
  if (!column) return [...rows];
  const value = column.sortValue ?? column.text;
  const sign = sort.descending ? -1 : 1;
  return rows
    .map((row, index) => ({row, index, value: value(row)}))
    .sort((a, b) => sign * compare(a.value, b.value) || a.index - b.index)
    .map(({row}) => row);
}

/**
 * Text as text, letters of any case together: no numeric collation, which would put the hex
 * `9f3a…` before `10be…` (9 < 10). Columns holding numbers give a number as their sortValue.
 */
const TEXT = new Intl.Collator(undefined, {sensitivity: 'base'});

function compare(a: string | number | boolean, b: string | number | boolean): number {
  if (typeof a === 'string' && typeof b === 'string') return TEXT.compare(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What a table keeps across view switches: its sort, its filter, and the selected row (by id, and where it was). */
export interface KeptTable {
  sort: Sort;
  filter: string;
  cursor: {id: string | undefined; index: number};
}

/** The next column to sort on (`s`): wraps around, ascending. */
export function nextSort<Row>(columns: readonly Column<Row>[], sort: Sort): Sort {
  const index = columns.findIndex((c) => c.key === sort.key);
  return {key: columns[(index + 1) % columns.length]!.key, descending: false};
}

/**
 * The first row to show so that `selected` is on screen, moving the window as little as
 * possible from `offset`: the list scrolls under a still cursor only at its edges.
 */
export function scrollOffset(selected: number, offset: number, height: number, count: number): number {
  if (height <= 0 || count <= height) return 0;
  let first = Math.min(offset, count - height);
  if (selected < first) first = selected;
  else if (selected >= first + height) first = selected - height + 1;
  return Math.max(0, first);
}

/**
 * Widths that fit `width` characters with one space between columns: each column gets its
 * minimum, then the room left is shared in column order up to each column's widest cell (or max).
 */
export function fitWidths(columns: readonly {title: string; min?: number; max?: number}[], cells: readonly string[][], width: number): number[] {
  const gaps = Math.max(0, columns.length - 1);
  const wanted = columns.map((column, i) => {
    const widest = Math.max(column.title.length, ...cells.map((row) => (row[i] ?? '').length));
    return Math.min(widest, column.max ?? Infinity);
  });
  const widths = columns.map((column, i) => Math.min(column.min ?? column.title.length, wanted[i]!));
  let room = width - gaps - widths.reduce((a, b) => a + b, 0);
  for (let i = 0; i < widths.length && room > 0; i++) {
    const more = Math.min(room, wanted[i]! - widths[i]!);
    widths[i]! += more;
    room -= more;
  }
  return widths;
}

/** `text` in exactly `width` characters: padded, or cut with `…`. */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text.padEnd(width);
  return `${text.slice(0, width - 1)}…`;
}

/** The selected row's mark: it shows without colours too (NO_COLOR, a copied screen). */
const CURSOR = '› ';
const GUTTER = '  ';

/** A table ready to print: every line exactly `width` wide. */
export interface TableLines {
  header: string;
  rows: {text: string; selected: boolean}[];
  /** The first row shown, to keep for the next layout. */
  offset: number;
}

/**
 * Lays out `rows` in `height` lines (the header included) of `width` characters, scrolled so
 * that the selected row shows, marked with `›`; the sorted column's title carries ▲ or ▼.
 */
export function layoutTable<Row>(
  columns: readonly Column<Row>[],
  rows: readonly Row[],
  options: {width: number; height: number; selected: number; offset: number; sort: Sort},
): TableLines {
  const titles = columns.map((c) => (c.key === options.sort.key ? `${c.title}${options.sort.descending ? '▼' : '▲'}` : c.title));
  const bodyHeight = Math.max(0, options.height - 1);
  const offset = scrollOffset(options.selected, options.offset, bodyHeight, rows.length);
  const cells = rows.slice(offset, offset + bodyHeight).map((row) => columns.map((c) => c.text(row)));
  const widths = fitWidths(
    columns.map((c, i) => ({...c, title: titles[i]!, min: Math.max(c.min ?? 0, titles[i]!.length)})),
    cells,
    options.width - GUTTER.length,
  );
  const line = (gutter: string, texts: readonly string[]) => fit(gutter + texts.map((text, i) => fit(text, widths[i]!)).join(' '), options.width);
  return {
    header: line(GUTTER, titles),
    rows: cells.map((row, i) => {
      const selected = offset + i === options.selected;
      return {text: line(selected ? CURSOR : GUTTER, row), selected};
    }),
    offset,
  };
}

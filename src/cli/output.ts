// Turns a command's data into the text it prints in the operator's format, as gh and kubectl
// print theirs: a table of borderless aligned columns fitted to the terminal (tab-separated when
// piped), records as `key: value` lines, YAML, bare values or identifiers for shell pipelines.
// JSON is oclif's (enableJsonFlag), see BaseCommand. yaml is imported only when asked for.

import {currentFactory} from './factory.js';
import {usageError} from './failure.js';

export const FORMATS = ['table', 'wide', 'json', 'yaml', 'plain', 'name'] as const;
export type Format = (typeof FORMATS)[number];

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

/** The formats that print a table (or `key: value` lines for one object): those a command may reshape rows for. */
export const isTabular = (format: Format) => format === 'table' || format === 'wide';

/**
 * How a list of objects is shown: its table columns (`wide` adds more for `-o wide`), and its
 * identifier, the one field `plain` and `name` print per item.
 * @example {columns: ['name', 'slug', 'parent'], wide: ['uuid'], plain: 'uuid'}
 */
export interface ListView {
  columns: string[];
  wide?: string[];
  plain: string;
}

/**
 * How one object is shown: its `key: value` lines (every field when absent), the fields `plain`
 * prints, one value a line (each item of an array on its own line), and the field `name` prints
 * (its uuid when absent).
 * @example {fields: ['uuid', 'username', 'acl'], plain: ['uuid']}
 */
export interface RecordView {
  fields?: string[];
  plain: string[];
  name?: string;
}

/** How the output is laid out, beyond its format. */
export interface Layout {
  /** The terminal's width when stdout is one: tables are aligned and fitted to it; tab-separated otherwise. */
  width?: number;
  colour: boolean;
  /** false for `--no-headers`. */
  headers: boolean;
  /** `--columns`: the fields to show, in this order, instead of the view's. */
  columns?: string[];
}

type Row = Record<string, unknown>;

const GAP = 2;
/** A column is not cut narrower than its header, nor than this. */
const NARROWEST = 5;

/** The text of `data` in `format`, newline-terminated (empty when there is nothing to print). */
export async function formatData(data: Row | Row[], view: ListView | RecordView, format: Exclude<Format, 'json'>, layout: Layout): Promise<string> {
  if (format === 'yaml') {
    const {stringify} = await import('yaml');
    return stringify(data);
  }
  if (Array.isArray(data)) {
    const list = view as ListView;
    if (format === 'plain' || format === 'name') return lines(data.map((row) => row[list.plain]));
    const wide = format === 'wide';
    const columns = chosen(layout.columns, [...list.columns, ...(list.wide ?? [])]) ?? (wide ? [...list.columns, ...(list.wide ?? [])] : list.columns);
    return table(
      columns,
      data.map((row) => columns.map((column) => cell(row[column]))),
      {...layout, width: wide ? undefined : layout.width},
      layout.width !== undefined,
    );
  }
  const record = view as RecordView;
  if (format === 'name') return lines([data[record.name ?? 'uuid']]);
  if (format === 'plain') return lines(record.plain.flatMap((field) => (Array.isArray(data[field]) ? (data[field] as unknown[]) : [data[field]])));
  const fields = chosen(layout.columns, Object.keys(data)) ?? record.fields ?? Object.keys(data);
  const bold = boldIf(layout.colour);
  return fields.map((field) => keyValue(field, data[field], bold)).join('');
}

/** Colours only for a person: a terminal, and no NO_COLOR (https://no-color.org: any non-empty value). */
export function wantsColour(stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv = currentFactory().env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

/** The columns `--columns` names, each checked against those the data has; undefined without it. */
function chosen(wanted: string[] | undefined, known: string[]): string[] | undefined {
  if (!wanted) return undefined;
  const unknown = wanted.find((column) => !known.includes(column));
  if (unknown !== undefined) throw usageError(`no column ${unknown}: --columns takes ${known.join(', ')}`);
  return wanted;
}

function lines(values: unknown[]): string {
  return values.map((value) => `${scalar(value)}\n`).join('');
}

/**
 * Aligned columns two spaces apart, cut with … to fit `layout.width` when given; tab-separated
 * otherwise (`aligned` false: piped), where nothing is cut.
 */
function table(columns: string[], rows: string[][], layout: Layout, aligned: boolean): string {
  const head = columns.map((column) => column.toUpperCase());
  const all = layout.headers ? [head, ...rows] : rows;
  if (!aligned) return all.map((cells) => `${cells.join('\t')}\n`).join('');
  const natural = columns.map((_, i) => Math.max(...all.map((cells) => cells[i]!.length)));
  const widths = layout.width === undefined ? natural : fitted(natural, head, layout.width);
  const text = (cells: string[]) =>
    cells
      .map((value, i) => {
        const cut = value.length > widths[i]! ? `${value.slice(0, widths[i]! - 1)}…` : value;
        return i === cells.length - 1 ? cut : cut.padEnd(widths[i]!);
      })
      .join(' '.repeat(GAP))
      .trimEnd();
  const bold = boldIf(layout.colour);
  return all.map((cells, index) => `${layout.headers && index === 0 ? bold(text(cells)) : text(cells)}\n`).join('');
}

/**
 * Column widths whose sum fits `width`: the widest columns are cut to one common width, the
 * narrow ones keep theirs, and no column gets narrower than its header (then the line may wrap).
 */
function fitted(natural: number[], head: string[], width: number): number[] {
  const room = width - GAP * (natural.length - 1);
  const total = (cap: number) => natural.reduce((sum, w, i) => sum + Math.min(w, Math.max(cap, floor(head, i))), 0);
  if (total(Infinity) <= room) return natural;
  let cap = Math.max(...natural);
  while (cap > 1 && total(cap) > room) cap--;
  // What the common cut leaves unused goes to the columns it cut, left first.
  let spare = room - total(cap);
  return natural.map((w, i) => {
    const narrowed = Math.min(w, Math.max(cap, floor(head, i)));
    if (narrowed >= w || spare <= 0) return narrowed;
    const extra = Math.min(spare, w - narrowed);
    spare -= extra;
    return narrowed + extra;
  });
}

const floor = (head: string[], i: number) => Math.max(head[i]!.length, NARROWEST);

/** One field as `key: value` (the key in bold on a terminal); an array or object as `key:` and its items indented below. */
function keyValue(key: string, value: unknown, bold: (text: string) => string): string {
  if (Array.isArray(value)) return `${bold(`${key}:`)}\n${value.map((item) => `  ${scalar(item)}\n`).join('')}`;
  if (value !== null && typeof value === 'object') {
    return `${bold(`${key}:`)}\n${Object.entries(value)
      .map(([name, item]) => `  ${`${name}: ${scalar(item)}`.trimEnd()}\n`)
      .join('')}`;
  }
  return `${`${bold(`${key}:`)} ${oneLine(scalar(value))}`.trimEnd()}\n`;
}

const boldIf = (colour: boolean) => (colour ? (text: string) => `\x1b[1m${text}\x1b[22m` : (text: string) => text);

/** A value in a table cell, on one line: arrays and objects joined by commas. */
function cell(value: unknown): string {
  if (Array.isArray(value)) return oneLine(value.map(scalar).join(', '));
  if (value !== null && typeof value === 'object') {
    return oneLine(
      Object.entries(value)
        .map(([key, item]) => `${key}: ${scalar(item)}`)
        .join(', '),
    );
  }
  return oneLine(scalar(value));
}

/** Line breaks and tabs would break a line-per-row table: each becomes a space. */
const oneLine = (text: string) => text.replace(/[\t\r\n]+/g, ' ');

function scalar(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// Turns a command's data into the text it prints in the operator's format: a table, YAML, or bare
// values for shell pipelines. JSON is oclif's (enableJsonFlag), see BaseCommand. cli-table3 and
// yaml are imported only when their format is asked for, to keep start-up light.

import {currentFactory} from './factory.js';

export const FORMATS = ['table', 'json', 'yaml', 'plain'] as const;
export type Format = (typeof FORMATS)[number];

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

/**
 * How a list of objects is shown: its table columns, and the one field `plain` prints per item.
 * @example {columns: ['uuid', 'name', 'slug'], plain: 'uuid'}
 */
export interface ListView {
  columns: string[];
  plain: string;
}

/**
 * How one object is shown: the rows of its table (every field when absent), and the fields
 * `plain` prints, one value a line (each item of an array on its own line).
 * @example {fields: ['uuid', 'username', 'acl'], plain: ['uuid']}
 */
export interface RecordView {
  fields?: string[];
  plain: string[];
}

type Row = Record<string, unknown>;

/** The text of `data` in `format`, newline-terminated (empty when there is nothing to print). */
export async function formatData(data: Row | Row[], view: ListView | RecordView, format: Exclude<Format, 'json'>, colour: boolean): Promise<string> {
  if (format === 'yaml') {
    const {stringify} = await import('yaml');
    return stringify(data);
  }
  if (Array.isArray(data)) {
    const list = view as ListView;
    if (format === 'plain') return lines(data.map((row) => row[list.plain]));
    return table(
      list.columns,
      data.map((row) => list.columns.map((column) => cell(row[column]))),
      colour,
    );
  }
  const record = view as RecordView;
  if (format === 'plain') return lines(record.plain.flatMap((field) => (Array.isArray(data[field]) ? (data[field] as unknown[]) : [data[field]])));
  const fields = record.fields ?? Object.keys(data);
  return table(
    undefined,
    fields.map((field) => [field, cell(data[field])]),
    colour,
  );
}

/** Colours only for a person: a terminal, and no NO_COLOR (https://no-color.org: any non-empty value). */
export function wantsColour(stream: {isTTY?: boolean}, env: NodeJS.ProcessEnv = currentFactory().env): boolean {
  return Boolean(stream.isTTY) && !env.NO_COLOR;
}

function lines(values: unknown[]): string {
  return values.map((value) => `${scalar(value)}\n`).join('');
}

async function table(head: string[] | undefined, rows: string[][], colour: boolean): Promise<string> {
  const [{default: Table}, {default: colours}] = await Promise.all([import('cli-table3'), import('@colors/colors/safe.js')]);
  // The decision is ours (wantsColour): cli-table3's colour library would otherwise make its own,
  // e.g. none at all whenever CI is set, even on a terminal.
  if (colour) colours.enable();
  // cli-table3 colours the header and borders whatever the stream; empty styles turn that off.
  const style = colour ? {} : {head: [], border: []};
  const t = new Table({...(head ? {head} : {}), style});
  t.push(...rows);
  return `${t.toString()}\n`;
}

/** A value in a table cell: arrays one item a line, objects `key: value` a line. */
function cell(value: unknown): string {
  if (Array.isArray(value)) return value.map(scalar).join('\n');
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .map(([key, item]) => `${key}: ${scalar(item)}`)
      .join('\n');
  }
  return scalar(value);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

// The flags that shape a table beyond its format (--no-headers, --columns), and the layout of the
// output they and the standard output make: aligned to a terminal's width, or tab-separated.

import {Flags} from '@oclif/core';
import {wantsColour, type Layout} from './output.js';

export const layoutFlags = {
  headers: Flags.boolean({summary: 'Print the header line of a table (--no-headers: only the rows)', allowNo: true, default: true, helpGroup: 'GLOBAL'}),
  columns: Flags.string({summary: 'The columns or fields to show, in this order, e.g. name,slug', helpValue: 'A,B,C', helpGroup: 'GLOBAL'}),
};

/** A terminal too narrow to be believed (or one that does not say) counts as this wide. */
const DEFAULT_WIDTH = 80;

/** How the output is laid out on `stdout` for these flags. */
export function layoutOf(flags: {headers?: boolean; columns?: string}, stdout: {isTTY?: boolean; columns?: number}, env: NodeJS.ProcessEnv): Layout {
  const columns = flags.columns
    ?.split(',')
    .map((column) => column.trim())
    .filter(Boolean);
  return {
    width: stdout.isTTY ? (stdout.columns && stdout.columns > 20 ? stdout.columns : DEFAULT_WIDTH) : undefined,
    colour: wantsColour(stdout, env),
    headers: flags.headers !== false,
    ...(columns?.length ? {columns} : {}),
  };
}

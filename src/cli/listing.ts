// What every `... list` command shares: the paging flags, one page or every page (--all), and a
// note on stderr when the page shown is not the whole list.

import {Flags} from '@oclif/core';
import type {ListParams, ListResult} from '../client/index.js';

/** A page when the operator gives no --limit: enough for a screen, and a note says how to see more. */
export const DEFAULT_LIMIT = 100;
/** How many items --all fetches a request. */
const ALL_PAGE = 500;

export const listFlags = {
  limit: Flags.integer({summary: `At most this many items (default ${DEFAULT_LIMIT})`, min: 1, helpValue: 'N', exclusive: ['all']}),
  offset: Flags.integer({summary: 'Skip this many items first', min: 0, default: 0, helpValue: 'N', exclusive: ['all']}),
  search: Flags.string({summary: 'Only items whose searchable fields hold these words, in order', helpValue: 'WORDS'}),
  order: Flags.string({summary: 'The field to sort by', helpValue: 'FIELD'}),
  direction: Flags.option({options: ['asc', 'desc'] as const, summary: 'Sort direction'})(),
  all: Flags.boolean({summary: 'Every item, fetched a page at a time'}),
};

export interface ListFlags {
  limit?: number;
  offset?: number;
  search?: string;
  order?: string;
  direction?: 'asc' | 'desc';
  all?: boolean;
}

/**
 * One page, or with --all every page, of a list the API serves. The answer keeps the API's shape
 * ({total, filtered, items}), which is what --json prints.
 */
export async function fetchList<T>(flags: ListFlags, page: (params: ListParams) => Promise<ListResult<T>>): Promise<ListResult<T>> {
  const params: ListParams = {
    ...(flags.search === undefined ? {} : {search: flags.search}),
    ...(flags.order === undefined ? {} : {order: flags.order}),
    ...(flags.direction === undefined ? {} : {direction: flags.direction}),
  };
  if (!flags.all) return page({...params, limit: flags.limit ?? DEFAULT_LIMIT, offset: flags.offset ?? 0});
  const first = await page({...params, limit: ALL_PAGE, offset: 0});
  const items = [...first.items];
  let last = first;
  // Stops on a short page: an item added or removed meanwhile cannot make it loop.
  while (last.items.length === ALL_PAGE) {
    last = await page({...params, limit: ALL_PAGE, offset: items.length});
    items.push(...last.items);
  }
  return {...last, items};
}

/** What the operator is not shown, said on stderr: the items past this page, or none. */
export function moreNote(list: ListResult<unknown>, flags: ListFlags): string | undefined {
  if (flags.all) return undefined;
  // Without `filtered` (the policy list), `total` ignores the search and filters: a short page is
  // the last one, and a full one may be followed by fewer than the count says.
  const uncounted = list.filtered === undefined;
  if (uncounted && list.items.length < (flags.limit ?? DEFAULT_LIMIT)) return undefined;
  const shown = (flags.offset ?? 0) + list.items.length;
  const matching = list.filtered ?? list.total;
  if (shown >= matching) return undefined;
  return `${uncounted ? 'up to ' : ''}${matching - shown} more: --offset ${shown} for the next page, --all for every one`;
}

// What the commands on users, tenants and groups share beyond BaseCommand: printing an object or a
// page of a list. JSON and YAML get the API's own answer ({total, filtered, items} for a list); a
// table may reshape a field for reading (`tableRow`); plain prints uuids. A page that is not the
// whole list gets a note on stderr.

import type {Command} from '@oclif/core';
import type {ListResult} from '../client/index.js';
import {BaseCommand} from './base-command.js';
import {moreNote, type ListFlags} from './listing.js';
import {isTabular, type ListView, type RecordView} from './output.js';

type TableRow<I> = (item: I) => object;
const asIs = <I>(item: I) => item as object;

export abstract class ResourceCommand<T extends typeof Command> extends BaseCommand<T> {
  /** Whether the output is a table (or `key: value` lines): the only one worth fetching names for. */
  protected get tabular(): boolean {
    return isTabular(this.outputFormat);
  }

  protected async showRecord<I extends object>(record: I, view: RecordView, tableRow: TableRow<I> = asIs): Promise<I> {
    await this.show(isTabular(this.outputFormat) ? tableRow(record) : record, view);
    return record;
  }

  protected async showList<I extends object>(list: ListResult<I>, view: ListView, tableRow: TableRow<I> = asIs): Promise<ListResult<I>> {
    const format = this.outputFormat;
    await this.show(format === 'yaml' ? list : isTabular(format) ? list.items.map(tableRow) : list.items, view);
    const note = moreNote(list, this.flags as ListFlags);
    if (note) this.note(note);
    return list;
  }
}

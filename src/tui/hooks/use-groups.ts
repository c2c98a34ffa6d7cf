// The Groups view: the groups of the scope, with their member counts and policies.

import {useDashboard} from '../context.js';
import {groupColumns} from '../model/columns.js';
import {listGroups, type GroupRow} from '../operations.js';
import {Layer, useKeys} from './use-keys.js';
import {usePolling} from './use-polling.js';
import {useTable, type TableState} from './use-table.js';

export interface GroupsView {
  table: TableState<GroupRow>;
  total: number | undefined;
  error: Error | undefined;
}

export function useGroups({height, width, active}: {height: number; width: number; active: boolean}): GroupsView {
  const {connection, directory, refreshMs, tenant} = useDashboard();
  const polled = usePolling(() => listGroups(connection, directory), refreshMs, [tenant]);
  const table = useTable({
    name: 'groups',
    rows: polled.data,
    columns: groupColumns,
    id: (g) => g.uuid,
    height,
    width,
    initialSort: {key: 'name', descending: false},
  });
  useKeys(Layer.view, table.handleKey, active);
  return {table, total: polled.data?.length, error: polled.error};
}

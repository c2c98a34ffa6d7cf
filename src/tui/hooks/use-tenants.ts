// The Tenants view: the token's whole tree; enter scopes the other views to the selected tenant.

import {useMemo} from 'react';
import {useDashboard} from '../context.js';
import {tenantColumns} from '../model/columns.js';
import {listTenants, type TenantRow} from '../operations.js';
import {Layer, useKeys} from './use-keys.js';
import {usePolling} from './use-polling.js';
import {useTable, type TableState} from './use-table.js';

export interface TenantsView {
  table: TableState<TenantRow>;
  total: number | undefined;
  error: Error | undefined;
}

export function useTenants({height, width, active}: {height: number; width: number; active: boolean}): TenantsView {
  const {connection, directory, refreshMs, tenant, scopeTo} = useDashboard();
  const polled = usePolling(() => listTenants(connection, directory), refreshMs, []);
  const columns = useMemo(() => tenantColumns(tenant, (uuid) => directory.tenantName(uuid)), [tenant, directory]);
  const table = useTable({name: 'tenants', rows: polled.data, columns, id: (t) => t.uuid, height, width, initialSort: {key: 'name', descending: false}});

  useKeys(
    Layer.view,
    (input, key) => {
      if (key.return && table.selected) scopeTo(table.selected);
      else return table.handleKey(input, key);
      return true;
    },
    active,
  );

  return {table, total: polled.data?.length, error: polled.error};
}

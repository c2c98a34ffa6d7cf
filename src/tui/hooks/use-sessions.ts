// The Sessions view: live sessions polled every refresh (and reloaded on the bus's session events), their counts, and revoking them.

import {useEffect, useMemo} from 'react';
import {useDashboard} from '../context.js';
import {sessionColumns} from '../model/columns.js';
import {countBy, type Count} from '../model/counts.js';
import {listSessions, revokeSession, revokeUserSessions, type SessionRow} from '../operations.js';
import {Layer, useKeys} from './use-keys.js';
import {useNow} from './use-now.js';
import {usePolling} from './use-polling.js';
import {useTable, type TableState} from './use-table.js';

export interface SessionsView {
  table: TableState<SessionRow>;
  total: number | undefined;
  perUser: Count[];
  perTenant: Count[];
  error: Error | undefined;
}

export function useSessions({height, width, active}: {height: number; width: number; active: boolean}): SessionsView {
  const services = useDashboard();
  const {connection, directory, refreshMs, tenant, prompts, notify, change} = services;
  const polled = usePolling(() => listSessions(connection, directory), refreshMs, [tenant]);
  // A session event reloads at once; the polling goes on (events of other tenants, a lost bus).
  const {sessionEvents} = services;
  const {reload} = polled;
  useEffect(() => sessionEvents?.subscribe(reload), [sessionEvents, reload]);
  const now = useNow(1000);
  const columns = useMemo(() => sessionColumns(now), [now]);
  const table = useTable({name: 'sessions', rows: polled.data, columns, id: (s) => s.uuid, height, width, initialSort: {key: 'expires', descending: false}});
  const selected = table.selected;

  useKeys(
    Layer.view,
    (input, key) => {
      if ((input === 'd' || input === 'D') && selected && services.mayChange()) {
        if (input === 'd') {
          if (selected.own) notify("that is this dashboard's own session: quit to end it", 'error');
          else {
            const what = `session ${selected.uuid.slice(0, 8)} of ${selected.username}`;
            prompts.confirm(
              `Revoke ${what}?`,
              () =>
                void change(async () => {
                  await revokeSession(connection, selected);
                  polled.reload();
                  return `Revoked ${what}`;
                }),
            );
          }
        } else {
          prompts.confirm(
            `Revoke all sessions of ${selected.username}?`,
            () =>
              void change(async () => {
                const {revoked, keptOwn} = await revokeUserSessions(connection, selected.user_uuid);
                polled.reload();
                const kept = keptOwn ? " (this dashboard's own session kept)" : '';
                return `Revoked ${revoked} session${revoked === 1 ? '' : 's'} of ${selected.username}${kept}`;
              }),
          );
        }
        return true;
      }
      return table.handleKey(input, key);
    },
    active,
  );

  const perUser = useMemo(() => countBy(table.shown, (s) => s.username), [table.shown]);
  const perTenant = useMemo(() => countBy(table.shown, (s) => s.tenantName), [table.shown]);
  return {table, total: polled.data?.length, perUser, perTenant, error: polled.error};
}

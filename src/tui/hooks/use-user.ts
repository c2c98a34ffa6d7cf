// One user opened: the policies it holds (detached with d, attached with a) and its groups.

import type {Policy} from '../../client/index.js';
import {useDashboard} from '../context.js';
import {heldPolicyColumns} from '../model/columns.js';
import {detachPolicy, getUser, type PolicyRow, type UserRow} from '../operations.js';
import {Layer, useKeys} from './use-keys.js';
import {usePolling} from './use-polling.js';
import {useTable, type TableState} from './use-table.js';
import {askAttach, askUnlock} from './use-users.js';

export interface UserView {
  user: UserRow | undefined;
  error: Error | undefined;
  table: TableState<Policy>;
}

export function useUser(props: {uuid: string; policies: readonly PolicyRow[]; height: number; width: number; active: boolean; onClose: () => void}): UserView {
  const services = useDashboard();
  const {connection, directory, refreshMs, prompts, change} = services;
  const polled = usePolling(() => getUser(connection, directory, props.uuid), refreshMs, [props.uuid]);
  const user = polled.data;
  const table = useTable({
    name: `user ${props.uuid}`,
    rows: user?.policies,
    columns: heldPolicyColumns,
    id: (p) => p.uuid,
    height: props.height,
    width: props.width,
    initialSort: {key: 'name', descending: false},
  });

  useKeys(
    Layer.detail,
    (input, key) => {
      if (key.escape && !table.filter) props.onClose();
      else if (input === 'a' && user) {
        if (services.mayChange()) askAttach(services, user, props.policies, polled.reload);
      } else if (input === 'u' && user?.throttle?.length) {
        if (services.mayChange()) askUnlock(services, user, polled.reload);
      } else if (input === 'd' && user && table.selected) {
        if (!services.mayChange()) return true;
        const policy = table.selected;
        const who = user.username ?? user.uuid.slice(0, 8);
        prompts.confirm(
          `Detach policy ${policy.name} from ${who}?`,
          () =>
            void change(async () => {
              await detachPolicy(connection, user.uuid, policy.uuid);
              polled.reload();
              return `Detached policy ${policy.name} from ${who}`;
            }),
        );
      } else return table.handleKey(input, key);
      return true;
    },
    props.active,
  );

  return {user, error: polled.error, table};
}

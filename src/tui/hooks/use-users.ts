// The Users view's list: users with their policies and groups; attaching a policy.

import {useState} from 'react';
import type {Policy} from '../../client/index.js';
import {useDashboard, type DashboardServices} from '../context.js';
import {userColumns} from '../model/columns.js';
import {matchPolicy} from '../model/policy-match.js';
import {attachPolicy, listPolicies, listUsers, unlockUser, type PolicyRow, type UserRow} from '../operations.js';
import {Layer, useKeys} from './use-keys.js';
import {usePolling} from './use-polling.js';
import {useTable, type TableState} from './use-table.js';

export interface UsersView {
  table: TableState<UserRow>;
  total: number | undefined;
  error: Error | undefined;
  /** The policies one may attach. */
  policies: PolicyRow[];
  opened: string | undefined;
  close: () => void;
}

/** Asks which policy to attach to the user (by name or slug, checked as it is typed) and attaches it. */
export function askAttach(
  services: DashboardServices,
  user: {uuid: string; username: string | null; policies: readonly Policy[]},
  policies: readonly PolicyRow[],
  done: () => void,
): void {
  const candidates = policies.filter((p) => !user.policies.some((held) => held.uuid === p.uuid));
  const who = user.username ?? user.uuid.slice(0, 8);
  services.prompts.ask({
    label: `attach to ${who}: `,
    problem: (text) => {
      const match = matchPolicy(candidates, text);
      return 'problem' in match ? match.problem : null;
    },
    hint: (text) => {
      const match = matchPolicy(candidates, text);
      return 'policy' in match ? `→ ${match.policy.name} (${match.policy.slug})` : '';
    },
    onSubmit: (text) => {
      const match = matchPolicy(candidates, text);
      if (!('policy' in match)) return;
      void services.change(async () => {
        await attachPolicy(services.connection, user.uuid, match.policy.uuid);
        done();
        return `Attached policy ${match.policy.name} to ${who}`;
      });
    },
  });
}

/** Asks, then forgets the failed logins counted against the user: it logs in again at once from anywhere. */
export function askUnlock(services: DashboardServices, user: {uuid: string; username: string | null}, done: () => void): void {
  const who = user.username ?? user.uuid.slice(0, 8);
  services.prompts.confirm(
    `Clear the failed logins counted against ${who}?`,
    () =>
      void services.change(async () => {
        await unlockUser(services.connection, user.uuid);
        done();
        return `Cleared the failed logins of ${who}`;
      }),
  );
}

export function useUsers({height, width, active}: {height: number; width: number; active: boolean}): UsersView {
  const services = useDashboard();
  const {connection, directory, refreshMs, tenant} = services;
  const polled = usePolling(() => listUsers(connection, directory), refreshMs, [tenant]);
  const policies = usePolling(() => listPolicies(connection, directory), refreshMs, [tenant]);
  const table = useTable({
    name: 'users',
    rows: polled.data,
    columns: userColumns,
    id: (u) => u.uuid,
    height,
    width,
    initialSort: {key: 'username', descending: false},
  });
  const [opened, setOpened] = useState<string>();
  const selected = table.selected;

  useKeys(
    Layer.view,
    (input, key) => {
      if (key.return && selected) setOpened(selected.uuid);
      else if (input === 'a' && selected) {
        if (services.mayChange()) askAttach(services, selected, policies.data ?? [], polled.reload);
      } else if (input === 'u' && selected?.throttle?.length) {
        if (services.mayChange()) askUnlock(services, selected, polled.reload);
      } else return table.handleKey(input, key);
      return true;
    },
    active && !opened,
  );

  return {table, total: polled.data?.length, error: polled.error ?? policies.error, policies: policies.data ?? [], opened, close: () => setOpened(undefined)};
}

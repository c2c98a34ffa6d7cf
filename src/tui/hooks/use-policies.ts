// The Policies view's list: polled, opened with enter, created with n, renamed with r.

import {useState} from 'react';
import {useDashboard} from '../context.js';
import {policyColumns} from '../model/columns.js';
import {createPolicy, listPolicies, renamePolicy, type PolicyRow} from '../operations.js';
import {Layer, useKeys} from './use-keys.js';
import {usePolling} from './use-polling.js';
import {useTable, type TableState} from './use-table.js';

export interface PoliciesView {
  table: TableState<PolicyRow>;
  total: number | undefined;
  error: Error | undefined;
  /** The policy shown in detail, if any. */
  opened: string | undefined;
  close: () => void;
}

const named = (value: string) => (value.trim() ? null : 'a name');

/** Asks a new name for the policy and renames it. */
export function askRename(services: ReturnType<typeof useDashboard>, policy: {uuid: string; name: string}, done: () => void): void {
  services.prompts.ask({
    label: `rename ${policy.name} to: `,
    initial: policy.name,
    problem: named,
    onSubmit: (name) =>
      void services.change(async () => {
        await renamePolicy(services.connection, policy.uuid, name.trim());
        done();
        return `Renamed policy ${policy.name} to ${name.trim()}`;
      }),
  });
}

export function usePolicies({height, width, active}: {height: number; width: number; active: boolean}): PoliciesView {
  const services = useDashboard();
  const {connection, directory, refreshMs, tenant, prompts, change} = services;
  const polled = usePolling(() => listPolicies(connection, directory), refreshMs, [tenant]);
  const table = useTable({
    name: 'policies',
    rows: polled.data,
    columns: policyColumns,
    id: (p) => p.uuid,
    height,
    width,
    initialSort: {key: 'name', descending: false},
  });
  const [opened, setOpened] = useState<string>();
  const selected = table.selected;

  useKeys(
    Layer.view,
    (input, key) => {
      if (key.return && selected) setOpened(selected.uuid);
      else if (input === 'n') {
        if (!services.mayChange()) return true;
        prompts.ask({
          label: 'new policy name: ',
          problem: named,
          onSubmit: (name) =>
            void change(async () => {
              const policy = await createPolicy(connection, name.trim());
              polled.reload();
              setOpened(policy.uuid);
              return `Created policy ${policy.name}`;
            }),
        });
      } else if (input === 'e' && selected) services.editPolicy(selected, polled.reload);
      else if (input === 'r' && selected) {
        if (!services.mayChange()) return true;
        if (selected.read_only) services.notify(`policy ${selected.name} is read-only`, 'error');
        else askRename(services, selected, polled.reload);
      } else return table.handleKey(input, key);
      return true;
    },
    active && !opened,
  );

  return {table, total: polled.data?.length, error: polled.error, opened, close: () => setOpened(undefined)};
}

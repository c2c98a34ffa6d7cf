// One policy opened: its ACL, adding and removing accesses, renaming, and the "try" box.

import {useMemo, useState} from 'react';
import type {Policy} from '../../client/index.js';
import {useDashboard} from '../context.js';
import {accessProblem} from '../../acl/index.js';
import type {Column} from '../model/table.js';
import {tryAccess, type TryResult} from '../model/try-access.js';
import {addAccess, getPolicy, removeAccess} from '../operations.js';
import {Layer, useKeys} from './use-keys.js';
import {usePolling} from './use-polling.js';
import {useTable, type TableState} from './use-table.js';
import {askRename} from './use-policies.js';

export interface AccessRow {
  access: string;
  /** Its part in the try box's verdict. */
  verdict: string;
}

export interface PolicyView {
  policy: Policy | undefined;
  error: Error | undefined;
  table: TableState<AccessRow>;
  tried: string;
  verdict: TryResult | null;
}

const aclColumns: Column<AccessRow>[] = [
  {key: 'access', title: 'ACCESS', text: (a) => a.access, min: 10, max: 60},
  {key: 'verdict', title: 'TRY', text: (a) => a.verdict},
];

export function usePolicy({
  uuid,
  height,
  width,
  active,
  onClose,
}: {
  uuid: string;
  height: number;
  width: number;
  active: boolean;
  onClose: () => void;
}): PolicyView {
  const services = useDashboard();
  const {connection, refreshMs, prompts, notify, change} = services;
  const polled = usePolling(() => getPolicy(connection, uuid), refreshMs, [uuid]);
  const policy = polled.data;
  const [tried, setTried] = useState('');
  const verdict = useMemo(() => (policy ? tryAccess(policy.acl, tried) : null), [policy, tried]);
  const rows = useMemo(
    () =>
      policy?.acl.map((access) => ({
        access,
        verdict: verdict?.pattern === access ? (verdict.granted ? '✓ grants' : '✗ denies') : '',
      })),
    [policy, verdict],
  );
  // ACL order matters to the try box (the first matching pattern decides), so no sort by default.
  const table = useTable({name: `policy ${uuid}`, rows, columns: aclColumns, id: (a) => a.access, height, width, initialSort: {key: '', descending: false}});

  /** Read-only policies say so instead of changing. */
  const editable = () => {
    if (!services.mayChange() || !policy) return false;
    if (policy.read_only) notify(`policy ${policy.name} is read-only: it cannot be changed here`, 'error');
    return !policy.read_only;
  };

  useKeys(
    Layer.detail,
    (input, key) => {
      if (key.escape && !table.filter) onClose();
      else if (input === 't') {
        prompts.ask({
          label: 'try access: ',
          initial: tried,
          onChange: setTried,
          onSubmit: setTried,
          hint: (value) => (policy ? (tryAccess(policy.acl, value)?.text ?? '') : ''),
        });
      } else if (input === 'a') {
        if (!editable()) return true;
        prompts.ask({
          label: `add to ${policy!.name}: `,
          problem: (value) => accessProblem(value) ?? (policy!.acl.includes(value) ? 'already in the ACL' : null),
          onSubmit: (access) =>
            void change(async () => {
              await addAccess(connection, policy!.uuid, access);
              polled.reload();
              return `Added ${access} to ${policy!.name}`;
            }),
        });
      } else if (input === 'd' && table.selected) {
        if (!editable()) return true;
        const {access} = table.selected;
        prompts.confirm(
          `Remove ${access} from ${policy!.name}?`,
          () =>
            void change(async () => {
              await removeAccess(connection, policy!.uuid, access);
              polled.reload();
              return `Removed ${access} from ${policy!.name}`;
            }),
        );
      } else if (input === 'e' && policy) services.editPolicy(policy, polled.reload);
      else if (input === 'r') {
        if (editable()) askRename(services, policy!, polled.reload);
      } else return table.handleKey(input, key);
      return true;
    },
    active,
  );

  return {policy, error: polled.error, table, tried, verdict};
}

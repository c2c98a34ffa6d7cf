// Policies: the list, and one policy opened over it.

import {Box} from 'ink';
import {Hints} from '../components/hints.js';
import {Table} from '../components/table.js';
import {Title} from '../components/title.js';
import {errorText} from '../error-text.js';
import {usePolicies} from '../hooks/use-policies.js';
import {PolicyScreen} from './policy.js';

/** Lines around the table: title, hints. */
const CHROME = 2;

export function PoliciesScreen({height, width, active}: {height: number; width: number; active: boolean}) {
  const view = usePolicies({height: height - CHROME, width, active});
  if (view.opened) return <PolicyScreen uuid={view.opened} height={height} width={width} active={active} onClose={view.close} />;
  const {table} = view;
  return (
    <Box flexDirection="column" height={height}>
      <Title
        name="Policies"
        details={[
          view.total === undefined ? 'loading…' : `${table.shown.length} of ${view.total}`,
          table.filter && `filter ${table.filter}`,
          view.error && errorText(view.error),
        ]}
      />
      <Box flexDirection="column" flexGrow={1}>
        <Table lines={table.lines} empty={view.total === undefined ? '' : 'no policy'} />
      </Box>
      <Hints hints={['enter open', {change: 'n new'}, {change: 'r rename'}, {change: 'e edit'}, '/ filter', 's sort', 'S reverse', 'y yaml']} />
    </Box>
  );
}

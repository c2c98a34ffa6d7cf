// Groups: who is in each (a count) and the policies each gives its members.

import {Box} from 'ink';
import {Hints} from '../components/hints.js';
import {Table} from '../components/table.js';
import {Title} from '../components/title.js';
import {errorText} from '../error-text.js';
import {useGroups} from '../hooks/use-groups.js';

/** Lines around the table: title, hints. */
const CHROME = 2;

export function GroupsScreen({height, width, active}: {height: number; width: number; active: boolean}) {
  const view = useGroups({height: height - CHROME, width, active});
  const {table} = view;
  return (
    <Box flexDirection="column" height={height}>
      <Title
        name="Groups"
        details={[
          view.total === undefined ? 'loading…' : `${table.shown.length} of ${view.total}`,
          table.filter && `filter ${table.filter}`,
          view.error && errorText(view.error),
        ]}
      />
      <Box flexDirection="column" flexGrow={1}>
        <Table lines={table.lines} empty={view.total === undefined ? '' : 'no group'} />
      </Box>
      <Hints hints={['y yaml', '/ filter', 's sort', 'S reverse']} />
    </Box>
  );
}

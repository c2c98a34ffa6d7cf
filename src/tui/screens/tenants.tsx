// Tenants: the tree the dashboard's token sees; the scope of the other views is marked.

import {Box} from 'ink';
import {Hints} from '../components/hints.js';
import {Table} from '../components/table.js';
import {Title} from '../components/title.js';
import {errorText} from '../error-text.js';
import {useTenants} from '../hooks/use-tenants.js';

/** Lines around the table: title, hints. */
const CHROME = 2;

export function TenantsScreen({height, width, active}: {height: number; width: number; active: boolean}) {
  const view = useTenants({height: height - CHROME, width, active});
  const {table} = view;
  return (
    <Box flexDirection="column" height={height}>
      <Title
        name="Tenants"
        details={[
          view.total === undefined ? 'loading…' : `${table.shown.length} of ${view.total}`,
          table.filter && `filter ${table.filter}`,
          view.error && errorText(view.error),
        ]}
      />
      <Box flexDirection="column" flexGrow={1}>
        <Table lines={table.lines} />
      </Box>
      <Hints hints={['enter scope the views to this tenant (and below)', '/ filter', 's sort', 'S reverse', 'y yaml']} />
    </Box>
  );
}

// Who is logged in: live sessions, counted per user and per tenant.

import {Box, Text} from 'ink';
import {Hints} from '../components/hints.js';
import {Table} from '../components/table.js';
import {Title} from '../components/title.js';
import {useSessions} from '../hooks/use-sessions.js';
import {countsLine} from '../model/counts.js';
import {errorText} from '../error-text.js';

/** Lines around the table: title, two count lines, hints. */
const CHROME = 4;

export function SessionsScreen({height, width, active}: {height: number; width: number; active: boolean}) {
  const view = useSessions({height: height - CHROME, width, active});
  const {table} = view;
  return (
    <Box flexDirection="column" height={height}>
      <Title
        name="Sessions"
        details={[
          view.total === undefined ? 'loading…' : `${table.shown.length} of ${view.total}`,
          table.filter && `filter ${table.filter}`,
          view.error && errorText(view.error),
        ]}
      />
      <Box flexDirection="column" flexGrow={1}>
        <Table lines={table.lines} empty={view.total === undefined ? '' : 'no session'} />
      </Box>
      <Text wrap="truncate">
        <Text dimColor>per user </Text>
        {countsLine(view.perUser, width - 9)}
      </Text>
      <Text wrap="truncate">
        <Text dimColor>per tenant </Text>
        {countsLine(view.perTenant, width - 11)}
      </Text>
      <Hints hints={[{change: 'd revoke'}, {change: 'D revoke all of user'}, '/ filter', 's sort', 'S reverse', 'y yaml']} />
    </Box>
  );
}

// Users with their policies and groups, and one user opened over the list.

import {Box} from 'ink';
import {Hints} from '../components/hints.js';
import {Table} from '../components/table.js';
import {Title} from '../components/title.js';
import {errorText} from '../error-text.js';
import {useUsers} from '../hooks/use-users.js';
import {UserScreen} from './user.js';

/** Lines around the table: title, hints. */
const CHROME = 2;

export function UsersScreen({height, width, active}: {height: number; width: number; active: boolean}) {
  const view = useUsers({height: height - CHROME, width, active});
  if (view.opened) {
    return <UserScreen uuid={view.opened} policies={view.policies} height={height} width={width} active={active} onClose={view.close} />;
  }
  const {table} = view;
  return (
    <Box flexDirection="column" height={height}>
      <Title
        name="Users"
        details={[
          view.total === undefined ? 'loading…' : `${table.shown.length} of ${view.total}`,
          table.filter && `filter ${table.filter}`,
          view.error && errorText(view.error),
        ]}
      />
      <Box flexDirection="column" flexGrow={1}>
        <Table lines={table.lines} empty={view.total === undefined ? '' : 'no user'} />
      </Box>
      <Hints hints={['enter open', {change: 'a attach policy'}, {change: 'u unlock logins'}, '/ filter', 's sort', 'S reverse', 'y yaml']} />
    </Box>
  );
}

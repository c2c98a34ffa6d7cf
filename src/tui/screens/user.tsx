// One user: who it is, the policies it holds itself, the groups it is in, its failed logins.

import {Box, Text} from 'ink';
import {Hints} from '../components/hints.js';
import {Table} from '../components/table.js';
import {Title} from '../components/title.js';
import {errorText} from '../error-text.js';
import {useUser} from '../hooks/use-user.js';
import {throttleLine} from '../model/columns.js';
import type {PolicyRow} from '../operations.js';

/** Lines around the table: title, groups, logins, hints. */
const CHROME = 4;

export function UserScreen(props: {uuid: string; policies: readonly PolicyRow[]; height: number; width: number; active: boolean; onClose: () => void}) {
  const view = useUser({...props, height: props.height - CHROME});
  const {user} = view;
  const name = user ? [user.firstname, user.lastname].filter(Boolean).join(' ') : '';
  return (
    <Box flexDirection="column" height={props.height}>
      <Title
        name={user ? `User ${user.username ?? user.uuid}` : 'User'}
        details={
          user
            ? [name, `tenant ${user.tenantName}`, user.purpose, user.enabled ? 'enabled' : 'disabled', view.error && errorText(view.error)]
            : [view.error ? errorText(view.error) : 'loading…']
        }
      />
      <Box flexDirection="column" flexGrow={1}>
        <Table lines={view.table.lines} empty={user ? 'no policy of its own' : ''} />
      </Box>
      <Text wrap="truncate">
        <Text dimColor>groups </Text>
        {user ? user.groups.map((g) => g.name).join(', ') || '(none)' : ''}
      </Text>
      <Text wrap="truncate">
        <Text dimColor>failed logins </Text>
        {user ? throttleLine(user.throttle) : ''}
      </Text>
      <Hints hints={['esc back', {change: 'a attach policy'}, {change: 'd detach'}, {change: 'u unlock logins'}, '/ filter', 's sort']} />
    </Box>
  );
}

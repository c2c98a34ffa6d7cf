// One policy: what it is, its ACL as a list, and the try box.

import {Box, Text} from 'ink';
import {Hints} from '../components/hints.js';
import {Table} from '../components/table.js';
import {Title} from '../components/title.js';
import {errorText} from '../error-text.js';
import {usePolicy} from '../hooks/use-policy.js';

/** Lines around the table: title, read-only note, try line, hints. */
const CHROME = 4;

export function PolicyScreen(props: {uuid: string; height: number; width: number; active: boolean; onClose: () => void}) {
  const view = usePolicy({...props, height: props.height - CHROME});
  const {policy, table, verdict} = view;
  return (
    <Box flexDirection="column" height={props.height}>
      <Title
        name={policy ? `Policy ${policy.name}` : 'Policy'}
        details={
          policy
            ? [
                `slug ${policy.slug}`,
                policy.shared && 'shared',
                `${policy.acl.length} accesses`,
                policy.description ?? undefined,
                view.error && errorText(view.error),
              ]
            : [view.error ? errorText(view.error) : 'loading…']
        }
      />
      <Text color="yellow" wrap="truncate">
        {policy?.read_only ? "read-only: managed by the daemon's configuration, or shared by a parent tenant; it cannot be changed here" : ' '}
      </Text>
      <Box flexDirection="column" flexGrow={1}>
        <Table lines={table.lines} empty={policy ? 'empty ACL: grants nothing' : ''} />
      </Box>
      <Text wrap="truncate">
        <Text dimColor>try </Text>
        {view.tried ? (
          <>
            {view.tried} <Text color={verdict?.granted ? 'green' : 'red'}>→ {verdict?.text}</Text>
          </>
        ) : (
          <Text dimColor>(t: type an access to see whether this policy grants it)</Text>
        )}
      </Text>
      <Hints hints={['esc back', {change: 'a add access'}, {change: 'd remove'}, {change: 'r rename'}, {change: 'e edit'}, 't try', '/ filter']} />
    </Box>
  );
}

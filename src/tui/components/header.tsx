// The top line: which daemon, as whom, in which tenant, and the views with the current one marked.

import {Box, Text} from 'ink';
import {VIEWS, type ViewName} from '../model/views.js';

export interface HeaderProps {
  url: string;
  tenantName: string;
  view: ViewName;
  readOnly: boolean;
}

export function Header({url, tenantName, view, readOnly}: HeaderProps) {
  return (
    <Box>
      <Text bold color="cyan">
        wazo-auth
      </Text>
      <Text> {url} </Text>
      <Text dimColor>tenant </Text>
      <Text>{tenantName}</Text>
      {readOnly ? <Text color="yellow"> read-only</Text> : null}
      <Text> </Text>
      {VIEWS.map((name, i) => (
        <Text key={name} inverse={name === view}>
          {` ${i + 1} ${name} `}
        </Text>
      ))}
      <Text dimColor> ? help</Text>
    </Box>
  );
}

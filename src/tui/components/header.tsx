// The top line: which daemon, in which tenant, and the views with the current one marked; cut at
// the terminal's width.

import {Text} from 'ink';
import {VIEWS, type ViewName} from '../model/views.js';

export interface HeaderProps {
  url: string;
  tenantName: string;
  view: ViewName;
  readOnly: boolean;
}

export function Header({url, tenantName, view, readOnly}: HeaderProps) {
  return (
    <Text wrap="truncate">
      <Text bold color="cyan">
        wazo-auth
      </Text>
      {` ${url} `}
      <Text dimColor>tenant </Text>
      {tenantName}
      {readOnly ? <Text color="yellow"> read-only</Text> : null}{' '}
      {VIEWS.map((name, i) => (
        <Text key={name} inverse={name === view}>
          {` ${i + 1} ${name} `}
        </Text>
      ))}
      <Text dimColor> ? help</Text>
    </Text>
  );
}

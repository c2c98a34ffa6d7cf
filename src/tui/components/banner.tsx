// The line that says the daemon is gone or refuses the dashboard's credentials; nothing otherwise.

import {Text} from 'ink';
import type {LinkState} from '../connection.js';

export function Banner({link, width}: {link: LinkState; width: number}) {
  if (link.kind === 'up') return null;
  const text = link.kind === 'away' ? ` daemon unreachable, retrying: ${link.message} ` : ` credentials refused, retrying: ${link.message} `;
  return (
    <Text backgroundColor="red" color="white" bold wrap="truncate">
      {text.padEnd(width)}
    </Text>
  );
}

// The bottom line: the keys of what is on screen.

import {Text} from 'ink';

export function Hints({hints}: {hints: readonly string[]}) {
  return (
    <Text dimColor wrap="truncate">
      {hints.join('  ')}
    </Text>
  );
}

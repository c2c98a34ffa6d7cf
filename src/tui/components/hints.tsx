// The bottom line: the keys of what is on screen. Under --read-only, the keys that would change
// something are left out: the dashboard does not offer what it refuses.

import {Text} from 'ink';
import {useDashboard} from '../context.js';

/** A key and what it does (`d revoke`); `change` when it changes the daemon's data. */
export type Hint = string | {change: string};

export function Hints({hints}: {hints: readonly Hint[]}) {
  const {readOnly} = useDashboard();
  const shown = hints.flatMap((hint) => (typeof hint === 'string' ? [hint] : readOnly ? [] : [hint.change]));
  return (
    <Text dimColor wrap="truncate">
      {shown.join('  ')}
    </Text>
  );
}

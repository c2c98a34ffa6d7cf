// A view's first line: its name and what it shows.

import {Text} from 'ink';

export function Title({name, details}: {name: string; details: readonly (string | false | undefined)[]}) {
  const parts = details.filter(Boolean);
  return (
    <Text wrap="truncate">
      <Text bold>{name}</Text>
      {parts.length ? <Text dimColor> · {parts.join(' · ')}</Text> : null}
    </Text>
  );
}

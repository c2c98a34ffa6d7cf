// One row of a table as YAML (`y`), over the view: every field, as the API gives it and as the
// dashboard adds to it (names of users and tenants).

import {Box, Text} from 'ink';
import {stringify} from 'yaml';
import {Hints} from '../components/hints.js';
import {useScrolling} from '../hooks/use-help.js';

export function RecordScreen({title, value, height, onClose}: {title: string; value: unknown; height: number; onClose: () => void}) {
  const yaml = stringify(value, {lineWidth: 0}).replace(/\n$/, '').split('\n');
  const {lines, scrolls} = useScrolling({lines: yaml, bodyHeight: height - 2, onClose, closeKey: 'y'});
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate">
        {title} <Text dimColor>· YAML</Text>
      </Text>
      <Box flexDirection="column" flexGrow={1}>
        {lines.map((line, i) => (
          <Text key={i} wrap="truncate">
            {line}
          </Text>
        ))}
      </Box>
      <Hints hints={scrolls ? ['↑ ↓ scroll', 'esc or y close'] : ['esc or y close']} />
    </Box>
  );
}

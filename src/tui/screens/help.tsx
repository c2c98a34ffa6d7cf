// Every key binding, by where it works; changes are marked when the dashboard is read-only.

import {Box, Text} from 'ink';
import {Hints} from '../components/hints.js';
import {useScrolling} from '../hooks/use-help.js';
import {helpLines} from '../model/views.js';

export function HelpScreen({height, readOnly, onClose}: {height: number; readOnly: boolean; onClose: () => void}) {
  const {lines, scrolls} = useScrolling({lines: helpLines(readOnly), bodyHeight: height - 2, onClose, closeKey: '?'});
  return (
    <Box flexDirection="column" height={height}>
      <Text bold>Keys{readOnly ? <Text color="yellow"> (read-only: the keys that change something are off, and left out)</Text> : null}</Text>
      <Box flexDirection="column" flexGrow={1}>
        {lines.map((line, i) => (
          <Text key={i} wrap="truncate" bold={line.title}>
            {line.text}
          </Text>
        ))}
      </Box>
      <Hints hints={scrolls ? ['↑ ↓ scroll', 'esc or ? close'] : ['esc or ? close']} />
    </Box>
  );
}

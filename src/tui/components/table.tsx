// A table laid out by model/table.ts: a bold header, rows, the selected one in reverse video.

import {Box, Text} from 'ink';
import type {TableLines} from '../model/table.js';

export function Table({lines, empty, focused = true}: {lines: TableLines; empty?: string; focused?: boolean}) {
  return (
    <Box flexDirection="column">
      <Text bold>{lines.header}</Text>
      {lines.rows.length === 0 && empty ? <Text dimColor>{empty}</Text> : null}
      {lines.rows.map((row, i) => (
        <Text key={i} inverse={row.selected && focused}>
          {row.text}
        </Text>
      ))}
    </Box>
  );
}

// The line above the key hints: a text being typed (with its problem or hint), a y/N question,
// or the last status message.

import {Text} from 'ink';
import type {PromptState} from '../hooks/use-prompt.js';
import type {Tone} from '../context.js';

export function PromptLine({prompt, status}: {prompt: PromptState | undefined; status: {message: string; tone: Tone} | undefined}) {
  if (prompt?.kind === 'confirm') {
    return (
      <Text color="yellow" bold wrap="truncate">
        {prompt.question} (y/N)
      </Text>
    );
  }
  if (prompt?.kind === 'text') {
    const {value, cursor} = prompt.line;
    const note = prompt.problem ?? prompt.prompt.hint?.(value) ?? '';
    return (
      <Text wrap="truncate">
        <Text bold>{prompt.prompt.label}</Text>
        {value.slice(0, cursor)}
        <Text inverse>{value[cursor] ?? ' '}</Text>
        {value.slice(cursor + 1)}
        {note ? <Text color={prompt.problem ? 'red' : 'gray'}> {prompt.problem ? `✗ ${note}` : note}</Text> : null}
      </Text>
    );
  }
  if (!status) return <Text> </Text>;
  return (
    <Text color={status.tone === 'error' ? 'red' : 'green'} wrap="truncate">
      {status.message}
    </Text>
  );
}

// Scrolling a text shown over the view (the help, a row as YAML), and its closing keys.

import {useState} from 'react';
import {Layer, useKeys} from './use-keys.js';

/** The lines of `lines` that fit `bodyHeight`, scrolled with ↑ ↓ j k and the page keys; esc (or `closeKey`) calls onClose. */
export function useScrolling<Line>({
  lines,
  bodyHeight,
  onClose,
  closeKey,
}: {
  lines: readonly Line[];
  bodyHeight: number;
  onClose: () => void;
  closeKey: string;
}) {
  const last = Math.max(0, lines.length - bodyHeight);
  const [top, setTop] = useState(0);
  useKeys(Layer.detail, (input, key) => {
    if (key.escape || input === closeKey) onClose();
    else if (key.upArrow || input === 'k') setTop((t) => Math.max(0, Math.min(t, last) - 1));
    else if (key.downArrow || input === 'j') setTop((t) => Math.min(last, t + 1));
    else if (key.pageUp) setTop((t) => Math.max(0, Math.min(t, last) - bodyHeight));
    else if (key.pageDown) setTop((t) => Math.min(last, t + bodyHeight));
    else return false;
    return true;
  });
  const first = Math.min(top, last);
  return {lines: lines.slice(first, first + bodyHeight), scrolls: lines.length > bodyHeight};
}

// The help screen's scrolling, and its closing keys.

import {useState} from 'react';
import {helpLines} from '../model/views.js';
import {Layer, useKeys} from './use-keys.js';

export function useHelp({bodyHeight, readOnly, onClose}: {bodyHeight: number; readOnly: boolean; onClose: () => void}) {
  const lines = helpLines(readOnly);
  const last = Math.max(0, lines.length - bodyHeight);
  const [top, setTop] = useState(0);
  useKeys(Layer.detail, (input, key) => {
    if (key.escape || input === '?') onClose();
    else if (key.upArrow || input === 'k') setTop((t) => Math.max(0, t - 1));
    else if (key.downArrow || input === 'j') setTop((t) => t + 1);
    else if (key.pageUp) setTop((t) => Math.max(0, t - bodyHeight));
    else if (key.pageDown) setTop((t) => t + bodyHeight);
    else return false;
    return true;
  });
  const first = Math.min(top, last);
  return {lines: lines.slice(first, first + bodyHeight), scrolls: lines.length > bodyHeight};
}

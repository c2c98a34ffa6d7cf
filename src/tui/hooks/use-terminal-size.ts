// The terminal's size, following its resizes, so that the screen is laid out again.

import {useEffect, useState} from 'react';
import {useStdout} from 'ink';

export interface Size {
  columns: number;
  rows: number;
}

/** 80×24 where the output is not a terminal (tests, pipes). */
export function useTerminalSize(): Size {
  const {stdout} = useStdout();
  const read = (): Size => ({columns: stdout.columns || 80, rows: stdout.rows || 24});
  const [size, setSize] = useState(read);
  useEffect(() => {
    const resized = () => setSize(read());
    stdout.on('resize', resized);
    return () => {
      stdout.off('resize', resized);
    };
  }, [stdout]);
  return size;
}

// Draws Ink's frames on the alternate screen, rewriting only the lines that changed. Ink's own
// incremental mode is off by one line on a screen that is not full (6.8), and its full-screen
// mode clears the terminal at every frame: so Ink runs in debug mode, handing over each whole
// frame, and this stream places the changed lines itself.

import {EventEmitter} from 'node:events';

const ESC = '\x1b[';
export const ENTER = `${ESC}?1049h${ESC}?25l${ESC}2J`;
export const LEAVE = `${ESC}?25h${ESC}?1049l`;
/** Synchronized output: terminals that know it show the frame at once; the others ignore it. */
const BEGIN_UPDATE = `${ESC}?2026h`;
const END_UPDATE = `${ESC}?2026l`;

/**
 * What to write to turn the screen showing `previous` into `next`: for each changed line, the
 * cursor to its start, the line, and the rest of it erased; lines no longer used are erased.
 * Empty when nothing changed.
 */
export function frameUpdate(previous: readonly string[], next: readonly string[]): string {
  let out = '';
  for (let i = 0; i < Math.max(previous.length, next.length); i++) {
    if (next[i] === previous[i]) continue;
    out += `${ESC}${i + 1};1H${next[i] ?? ''}${ESC}0m${ESC}K`;
  }
  return out ? BEGIN_UPDATE + out + END_UPDATE : '';
}

/** The stdout Ink renders to: the terminal's size and resizes, and frames turned into line updates. */
export class TerminalScreen extends EventEmitter {
  readonly isTTY = true;
  private lines: string[] = [];

  constructor(private readonly terminal: NodeJS.WriteStream) {
    super();
    terminal.on('resize', this.resized);
  }

  get columns(): number {
    return this.terminal.columns;
  }

  get rows(): number {
    return this.terminal.rows;
  }

  /** One whole frame from Ink. */
  write(frame: string): boolean {
    const next = frame.replace(/\n$/, '').split('\n');
    const update = frameUpdate(this.lines, next);
    this.lines = next;
    return update ? this.terminal.write(update) : true;
  }

  /** After the screen was someone else's (an editor): the next frame is drawn whole. */
  redrawAll(): void {
    this.lines = [];
    this.terminal.write(`${ESC}2J`);
  }

  close(): void {
    this.terminal.off('resize', this.resized);
  }

  /** Lines wrap differently at another width: start from a clear screen, then let Ink lay out again. */
  private resized = () => {
    this.redrawAll();
    this.emit('resize');
  };
}

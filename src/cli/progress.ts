// Progress of a long command on stderr: a bar redrawn in place on a terminal, a line per finished
// step elsewhere (a log, a pipe), so that what is kept reads well.

export interface ProgressStep {
  /** What is being done, e.g. "writing users". */
  label: string;
  /** Items done of `total`; a step without a total is shown as begun. */
  done?: number;
  total?: number;
}

export interface Progress {
  update(step: ProgressStep): void;
  /** Clears the bar, so that what follows starts on a clean line. */
  end(): void;
}

const WIDTH = 30;

export function progressOn(stream: NodeJS.WritableStream & {isTTY?: boolean}): Progress {
  if (!stream.isTTY) {
    return {
      update: ({label, done, total}) => {
        if (total === undefined) stream.write(`${label}\n`);
        else if (done === total) stream.write(`${label}: ${total} done\n`);
      },
      end: () => undefined,
    };
  }
  let drawn = false;
  return {
    update: ({label, done, total}) => {
      const share = total === undefined ? 0 : total === 0 ? 1 : (done ?? 0) / total;
      const filled = Math.round(share * WIDTH);
      const count = total === undefined ? '' : ` ${done ?? 0}/${total}`;
      stream.write(`\r\x1b[2K[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${label}${count}`);
      drawn = true;
    },
    end: () => {
      if (drawn) stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}

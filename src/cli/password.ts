// Reads a password without it ever touching argv: from stdin, or from a hidden prompt.

import {createInterface} from 'node:readline';
import {currentFactory} from './factory.js';

/** All of stdin, less one trailing newline. */
export async function passwordFromStdin(stdin: NodeJS.ReadableStream = currentFactory().io.stdin): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** Asks on stderr, echoing nothing of what is typed. */
export function promptHidden(question: string): Promise<string> {
  const {stdin, stderr} = currentFactory().io;
  return new Promise((resolve, reject) => {
    const rl = createInterface({input: stdin, output: stderr, terminal: true});
    const output = rl as unknown as {_writeToOutput: (s: string) => void};
    let asked = false;
    output._writeToOutput = (s: string) => {
      if (!asked) stderr.write(s);
    };
    rl.question(question, (answer) => {
      stderr.write('\n');
      rl.close();
      resolve(answer);
    });
    asked = true;
    rl.on('SIGINT', () => {
      rl.close();
      reject(new Error('cancelled'));
    });
  });
}

/** `--password-stdin`, else a hidden prompt on a terminal; undefined when neither is possible. */
export async function readPassword(fromStdin: boolean, question = 'Password: '): Promise<string | undefined> {
  if (fromStdin) return passwordFromStdin();
  if (currentFactory().io.stdin.isTTY) return promptHidden(question);
  return undefined;
}

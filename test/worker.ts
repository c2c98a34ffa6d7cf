// One test process running many test files, each inside a suite of its own (its hooks stay its
// own): test/run.sh starts a few of these through node's runner instead of a process per file.
// The files come from the queue WAZO_TEST_QUEUE names; a worker takes the next file left, so the
// processes stay busy until the queue is empty.
import {mkdirSync, readFileSync, appendFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {pathToFileURL} from 'node:url';
import {describe} from 'node:test';

const queue = process.env.WAZO_TEST_QUEUE ?? '';
if (!queue) throw new Error('test/worker.ts runs from test/run.sh, which sets WAZO_TEST_QUEUE');
const files = readFileSync(join(queue, 'files'), 'utf8').split('\n').filter(Boolean);

/** Whether this worker took the file at `index`: the first to make its directory does. */
function take(index: number): boolean {
  try {
    mkdirSync(join(queue, 'taken', String(index)));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

mkdirSync(join(queue, 'taken'), {recursive: true});
for (const [index, file] of files.entries()) {
  if (!take(index)) continue;
  const started = performance.now();
  await describe(relative(process.cwd(), file), () => import(pathToFileURL(file).href));
  appendFileSync(join(queue, 'times'), `${Math.round(performance.now() - started)}\t${file}\n`);
}

// One test process running many test files, each inside a suite of its own (its hooks stay its
// own): test/run.sh starts a few of these through node's runner instead of a process per file.
// The queue WAZO_TEST_QUEUE names lists the files, each with the store its test daemons take; a
// worker takes the next entry left, so the processes stay busy until the queue is empty.
import {appendFileSync, mkdirSync, readFileSync} from 'node:fs';
import {join, relative} from 'node:path';
import {pathToFileURL} from 'node:url';
import {describe} from 'node:test';

const queue = process.env.WAZO_TEST_QUEUE ?? '';
if (!queue) throw new Error('test/worker.ts runs from test/run.sh, which sets WAZO_TEST_QUEUE');
/** Lines of `<store>\t<file>`. */
const entries = readFileSync(join(queue, 'files'), 'utf8').split('\n').filter(Boolean);

/** Whether this worker took the entry at `index`: the first to make its directory does. */
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
for (const [index, entry] of entries.entries()) {
  if (!take(index)) continue;
  const [store, file] = entry.split('\t') as [string, string];
  // Read by test/helpers/daemon.ts when a test starts a daemon; the files run one after another.
  process.env.WAZO_AUTH_TEST_STORE = store;
  const name = relative(process.cwd(), file);
  // A file run on both stores is two modules: the query keeps its PostgreSQL run apart.
  const url = pathToFileURL(file).href + (store === 'postgresql' ? '?store=postgresql' : '');
  const started = performance.now();
  await describe(store === 'postgresql' ? `${name} (PostgreSQL)` : name, () => import(url));
  appendFileSync(join(queue, 'times'), `${Math.round(performance.now() - started)}\t${entry}\n`);
}

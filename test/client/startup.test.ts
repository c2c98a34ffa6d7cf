// What the client costs a short-lived process: every command pays it, at start and at exit.

import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {promisify} from 'node:util';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

const CLIENT = join(import.meta.dirname, '..', '..', 'src', 'client', 'index.ts');
let td: TestDaemon;

before(async () => {
  td = await startTestDaemon();
});
after(() => td.stop());

/** Runs `after` in a new process once a client made one call to the daemon and was closed; answers its stdout. */
async function afterOneCall(after: string): Promise<string> {
  const script = `
    import {createRequire} from 'node:module';
    const {AuthClient} = await import(${JSON.stringify(CLIENT)});
    const client = new AuthClient({url: process.env.DAEMON_URL});
    await client.status.check();
    await client.close();
    const require = createRequire(import.meta.url);
    ${after}
  `;
  const {stdout} = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: {...process.env, DAEMON_URL: td.url},
    timeout: 30_000,
  });
  return stdout;
}

test('a call loads no HTTP library: node:http is all the client uses', async () => {
  const stdout = await afterOneCall(`
    // tsx and esbuild run this TypeScript test script itself.
    const own = (path) => path.includes('/node_modules/') && !path.includes('/node_modules/tsx/') && !path.includes('/node_modules/esbuild/');
    console.log(JSON.stringify(Object.keys(require.cache).filter(own)));
  `);
  assert.deepEqual(JSON.parse(stdout), []);
});

test('a process that made a call ends at once (no kept-alive socket holds it)', async () => {
  const waits: number[] = [];
  // The least of three: a loaded machine may slow one run, not all three to the ~100 ms of that wait.
  for (let i = 0; i < 3; i++) {
    const stdout = await afterOneCall(`
      const done = performance.now();
      process.on('exit', () => process.stdout.write(String(performance.now() - done)));
    `);
    waits.push(Number(stdout));
  }
  assert.ok(Math.min(...waits) < 50, `ms between the last call and the exit: ${waits.join(', ')}`);
});

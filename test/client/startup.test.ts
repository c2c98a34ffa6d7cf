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

test("a call loads undici's Agent, not its entry point (fetch, WebSocket, cache, mocks)", async () => {
  const stdout = await afterOneCall(`
    const loaded = Object.keys(require.cache).filter((path) => path.includes('/node_modules/undici/'));
    console.log(JSON.stringify({
      agent: loaded.some((path) => path.endsWith('/lib/dispatcher/agent.js')),
      entry: loaded.some((path) => path.endsWith('/undici/index.js')),
      fetch: loaded.some((path) => path.includes('/lib/web/')),
    }));
  `);
  assert.deepEqual(JSON.parse(stdout), {agent: true, entry: false, fetch: false});
});

test('a process that made a call ends at once (no wait for background WebAssembly compilation)', async () => {
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

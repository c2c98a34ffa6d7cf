// `wazo-auth dashboard` through the built binary, without a terminal: it refuses in one line
// with exit 2; and the other commands start without loading Ink.

import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {pathToFileURL} from 'node:url';
import {after, before, test} from 'node:test';
import {startTestDaemon, type TestDaemon} from '../helpers/daemon.js';
import {capture, loggedInOperator, type Operator} from '../cli/binary.js';

let td: TestDaemon;
let op: Operator;

before(async () => {
  td = await startTestDaemon();
  op = await loggedInOperator(td);
});
after(async () => {
  op.remove();
  await td.stop();
});

test('without a terminal it refuses with one line on stderr and exit 2, before any login', async () => {
  const sessions = async () => (await td.call('GET', `/0.1/users/${td.admin.uuid}/sessions`, {token: td.admin.token})).json.total as number;
  const before = await sessions();
  const r = await op.run(['dashboard']);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, 'Error: the dashboard needs a terminal; in scripts, use the other commands (wazo-auth --help)\n');
  assert.equal(await sessions(), before);
});

test('--refresh takes a duration from 0.1 s to 1 h', async () => {
  const r = await op.run(['dashboard', '--refresh', '0']);
  assert.equal(r.status, 2);
  assert.equal(r.stderr, 'Error: --refresh: 0 is shorter than the least allowed, 0.1 s\n');
  const long = await op.run(['dashboard', '--refresh', '2h']);
  assert.equal(long.status, 2);
  assert.equal(long.stderr, 'Error: --refresh: 2h is longer than the most allowed, 3600 s\n');
  // A duration it takes reaches the terminal check.
  assert.match((await op.run(['dashboard', '--refresh', '1m'])).stderr, /needs a terminal/);
  const help = await op.run(['dashboard', '--help']);
  assert.match(help.stdout, /--refresh=DURATION +\[default: 2\] Time between two reloads of the view/);
  assert.match(help.stdout, /--read-only +Disable every change: watch only/);
});

test('other commands load neither Ink nor React (the manifest spares loading every command)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wazo-auth-loads-'));
  try {
    const log = join(dir, 'loaded.txt');
    const hooks = join(dir, 'hooks.mjs');
    // A module hook that notes every module resolved under node_modules/ink or node_modules/react.
    writeFileSync(
      hooks,
      `import {appendFileSync} from 'node:fs';
export async function resolve(specifier, context, next) {
  const found = await next(specifier, context);
  if (/node_modules\\/(ink|react)\\//.test(found.url)) appendFileSync(${JSON.stringify(log)}, found.url + '\\n');
  return found;
}`,
    );
    const register = join(dir, 'register.mjs');
    writeFileSync(register, `import {register} from 'node:module'; register(${JSON.stringify(pathToFileURL(hooks).href)});`);
    writeFileSync(log, '');
    const r = await op.runBinary(['status'], {env: {NODE_OPTIONS: `--import ${pathToFileURL(register).href}`}});
    assert.equal(r.status, 0, r.stderr);
    assert.equal(readFileSync(log, 'utf8'), '');
    // The hook does see Ink where it is loaded.
    const loads = await capture(process.execPath, ['--import', pathToFileURL(register).href, '--input-type=module', '-e', "await import('ink')"], process.env);
    assert.equal(loads.status, 0, loads.stderr);
    assert.match(readFileSync(log, 'utf8'), /node_modules\/ink\/build\/index\.js/);
  } finally {
    rmSync(dir, {recursive: true, force: true});
  }
});

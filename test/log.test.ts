// The daemon's log: upstream's text line or JSON, client values cut and escaped, the log file
// followed through rotations, and logging that never throws into its caller.

import assert from 'node:assert/strict';
import {execFile} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync, chmodSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {promisify} from 'node:util';
import {clientValue, createLogger, type LogLevel} from '../src/log.js';

const LOG_MODULE = join(import.meta.dirname, '..', 'src', 'log.ts');
let dir: string;
let n = 0;
const freshPath = () => join(dir, `log-${++n}.log`);
const read = (path: string) => readFileSync(path, 'utf8');
const modeOf = (path: string) => statSync(path).mode & 0o777;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wazo-auth-log-test-'));
});
after(() => rmSync(dir, {recursive: true, force: true}));

/** Runs `body` (ES module code, `createLogger` in scope) in a new process: its exit code, stdout and stderr. */
async function inProcess(body: string): Promise<{stdout: string; stderr: string}> {
  const script = `const {createLogger} = await import(${JSON.stringify(LOG_MODULE)});\n${body}`;
  return promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {timeout: 30_000});
}

describe("upstream's text line", () => {
  test('time in UTC to the millisecond, process id, level, name, then the message', () => {
    const path = freshPath();
    const log = createLogger({level: 'info', file: path});
    const before = Date.now();
    log.info('wazo-auth listening');
    const after = Date.now();
    log.close();
    const m = /^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) \[(\d+)\] \(INFO\) \(wazo-auth\): wazo-auth listening\n$/.exec(read(path));
    assert.ok(m, read(path));
    assert.equal(Number(m[2]), process.pid);
    const at = Date.parse(`${m[1]!.replace(' ', 'T')}Z`);
    assert.ok(before <= at && at <= after, `${m[1]} is not between ${new Date(before).toISOString()} and ${new Date(after).toISOString()}`);
  });

  test("each level under upstream's name; below the threshold nothing; setLevel moves the threshold", () => {
    const path = freshPath();
    const log = createLogger({level: 'warning', file: path, name: 'wazo_auth.tests'});
    const levels: LogLevel[] = ['debug', 'info', 'warning', 'error', 'critical'];
    assert.deepEqual(
      levels.map((level) => log.enabled(level)),
      [false, false, true, true, true],
    );
    for (const level of levels) log[level](`at ${level}`);
    log.setLevel('debug');
    log.debug('now debug');
    log.close();
    const shown = read(path)
      .trimEnd()
      .split('\n')
      .map((line) => line.replace(/^\S+ \S+ \[\d+\] /, ''));
    assert.deepEqual(shown, [
      '(WARNING) (wazo_auth.tests): at warning',
      '(ERROR) (wazo_auth.tests): at error',
      '(CRITICAL) (wazo_auth.tests): at critical',
      '(DEBUG) (wazo_auth.tests): now debug',
    ]);
  });

  test('the message is written as given: no printf interpolation, a stack keeps its lines', () => {
    const path = freshPath();
    const log = createLogger({level: 'info', file: path});
    log.error('unexpected error: 100%s %d %% done\n    at somewhere (file.ts:1:2)');
    log.close();
    assert.match(read(path), /\(ERROR\) \(wazo-auth\): unexpected error: 100%s %d %% done\n {4}at somewhere \(file\.ts:1:2\)\n$/);
  });

  test('without a file, lines go to stderr', async () => {
    const {stdout, stderr} = await inProcess(`createLogger({level: 'info'}).warning('to stderr');`);
    assert.equal(stdout, '');
    assert.match(stderr, /^\S+ \S+ \[\d+\] \(WARNING\) \(wazo-auth\): to stderr\n$/);
  });
});

describe('log_format: json', () => {
  test('one JSON object a line: level name, ISO time, pid, hostname, name, message', () => {
    const path = freshPath();
    const log = createLogger({level: 'info', file: path, format: 'json'});
    log.warning('a "quoted"\nline\u001b[31m');
    log.debug('left out');
    log.close();
    const lines = read(path).trimEnd().split('\n');
    assert.equal(lines.length, 1);
    const record = JSON.parse(lines[0]!);
    assert.deepEqual(Object.keys(record), ['level', 'time', 'pid', 'hostname', 'name', 'msg']);
    assert.equal(record.level, 'warning');
    assert.match(record.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(record.pid, process.pid);
    assert.equal(record.name, 'wazo-auth');
    assert.equal(record.msg, 'a "quoted"\nline\u001b[31m');
  });
});

describe('clientValue: what a client sent, fit for a log line', () => {
  test('an ordinary value is unchanged', () => {
    assert.equal(clientValue('alice@example.com'), 'alice@example.com');
    assert.equal(clientValue('Mozilla/5.0 (X11; Linux x86_64) é 日本'), 'Mozilla/5.0 (X11; Linux x86_64) é 日本');
  });

  test('control characters, quotes and backslashes are escaped: no forged line, no terminal escape, no unquoting', () => {
    assert.equal(clientValue('a\nb\rc\td'), 'a\\nb\\rc\\td');
    assert.equal(clientValue('x" from 10.0.0.1 using agent "y'), 'x\\" from 10.0.0.1 using agent \\"y');
    assert.equal(clientValue('\\n'), '\\\\n');
    assert.equal(clientValue('\u001b[2J\u0000\u007f\u0085'), '\\u001b[2J\\u0000\\u007f\\u0085');
    assert.equal(clientValue('a\u2028b\u202eevil'), 'a\\u2028b\\u202eevil');
  });

  test('cut at 256 characters, saying how long it was', () => {
    const long = 'x'.repeat(12_000);
    assert.equal(clientValue(long), `${'x'.repeat(256)}… (12000 characters)`);
    assert.equal(clientValue('y'.repeat(256)), 'y'.repeat(256));
  });

  test('the cut never splits a character, and escapes come after the cut', () => {
    const shown = clientValue(`${'a'.repeat(255)}😀 and more`);
    assert.equal(shown, `${'a'.repeat(255)}… (266 characters)`);
    assert.equal(clientValue('\n'.repeat(300)), `${'\\n'.repeat(256)}… (300 characters)`);
  });
});

describe('the log file', () => {
  test('created 0640 whatever the umask; an existing file keeps its mode', () => {
    const saved = process.umask();
    try {
      for (const umask of [0o000, 0o077, 0o022]) {
        process.umask(umask);
        const path = freshPath();
        createLogger({level: 'info', file: path}).close();
        assert.equal(modeOf(path), 0o640, `umask ${umask.toString(8)}`);
      }
    } finally {
      process.umask(saved);
    }
    const existing = freshPath();
    writeFileSync(existing, 'kept\n');
    chmodSync(existing, 0o604);
    const log = createLogger({level: 'info', file: existing});
    log.info('appended');
    log.close();
    assert.equal(modeOf(existing), 0o604);
    assert.match(read(existing), /^kept\n.*appended\n$/);
  });

  test('reopen (SIGHUP): once the file is renamed, new lines go to a new file by the same name', () => {
    const path = freshPath();
    const log = createLogger({level: 'info', file: path});
    log.info('before the rotation');
    renameSync(path, `${path}.1`);
    log.info('moved, not yet reopened');
    log.reopen();
    log.info('after the rotation');
    log.close();
    assert.match(read(`${path}.1`), /before the rotation\n.*moved, not yet reopened\n$/);
    assert.match(read(path), /^[^\n]*after the rotation\n$/);
    assert.equal(modeOf(path), 0o640);
  });

  test('a moved or removed file is followed without a signal', async () => {
    const path = freshPath();
    const log = createLogger({level: 'info', file: path});
    log.info('one');
    await log.reopenIfMoved();
    log.info('two');
    assert.equal(existsSync(`${path}.1`), false);
    renameSync(path, `${path}.1`);
    await log.reopenIfMoved();
    log.info('three');
    unlinkSync(path);
    await log.reopenIfMoved();
    log.info('four');
    log.close();
    assert.match(read(`${path}.1`), /one\n.*two\n$/);
    assert.match(read(path), /^[^\n]*four\n$/);
  });

  test('the check runs by itself, every second', async () => {
    const path = freshPath();
    const log = createLogger({level: 'info', file: path});
    try {
      log.info('first');
      renameSync(path, `${path}.1`);
      // Waits for the condition, not for a time: the deadline only ends a failing test.
      const deadline = Date.now() + 10_000;
      while (!(existsSync(path) && read(path).includes('found'))) {
        assert.ok(Date.now() < deadline, 'the moved file was not noticed within 10 s');
        log.info('found');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    } finally {
      log.close();
    }
    assert.match(read(`${path}.1`), /first\n/);
  });
});

describe('logging never throws into its caller', () => {
  test('a full disk: lines are lost, the caller goes on, stderr hears of it once', async () => {
    const {stdout, stderr} = await inProcess(`
      const log = createLogger({level: 'info', file: '/dev/full'});
      for (let i = 0; i < 200; i++) log.info('line ' + i + ' ' + 'x'.repeat(1000));
      log.reopen();
      log.error('after a reopen');
      console.log('went on');
    `);
    assert.equal(stdout, 'went on\n');
    assert.equal(stderr, 'wazo-auth: cannot write the log file /dev/full (ENOSPC): log lines wait for a later attempt, then are lost\n');
  });

  test('the folder removed: reopening fails and says so once, lines go on; the folder back, a new file', async () => {
    const folder = join(dir, 'removed');
    const {stdout, stderr} = await inProcess(`
      const {mkdirSync, rmSync, readFileSync} = await import('node:fs');
      const folder = ${JSON.stringify(folder)};
      mkdirSync(folder);
      const log = createLogger({level: 'info', file: folder + '/auth.log'});
      rmSync(folder, {recursive: true});
      for (let i = 0; i < 3; i++) {
        log.reopen();
        await log.reopenIfMoved();
        log.info('into the removed file');
      }
      mkdirSync(folder);
      await log.reopenIfMoved();
      log.info('back');
      log.close();
      process.stdout.write(readFileSync(folder + '/auth.log', 'utf8'));
    `);
    assert.match(stdout, /^[^\n]*\(INFO\) \(wazo-auth\): back\n$/);
    assert.equal(stderr, `wazo-auth: cannot reopen the log file ${folder}/auth.log (ENOENT): log lines go on to the file opened before\n`);
  });

  test('a closed logger drops lines quietly', async () => {
    const {stdout, stderr} = await inProcess(`
      const log = createLogger({level: 'info', file: ${JSON.stringify(freshPath())}});
      log.close();
      log.info('after close');
      log.reopen();
      console.log('went on');
    `);
    assert.equal(stdout, 'went on\n');
    assert.equal(stderr, '');
  });

  test('a file that cannot be opened at start is an error of the start', () => {
    assert.throws(() => createLogger({level: 'info', file: join(dir, 'missing', 'auth.log')}), {code: 'ENOENT'});
  });
});

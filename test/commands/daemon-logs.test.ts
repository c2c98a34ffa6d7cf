// The log and data files of a daemon run as an operator runs it (the built binary): their modes
// under any umask, the log reopened on SIGHUP and after logrotate moved it, and a daemon that
// keeps running when it runs out of file descriptors.

import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync} from 'node:fs';
import {request} from 'node:http';
import {connect, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {basic, call} from '../helpers/daemon.js';
import {BIN, bootstrap, spawnDaemon, writeDaemonConfig} from '../helpers/daemon-process.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wazo-auth-daemon-logs-'));
});
after(() => rmSync(dir, {recursive: true, force: true}));

const modeOf = (path: string) => (statSync(path).mode & 0o777).toString(8);
const failedLogin = (url: string, login: string) => call(url, 'POST', '/0.1/token', {body: {}, headers: {authorization: basic(login, 'wrong')}});

describe('files', () => {
  test('under umask 000 the database, its -wal, -shm and lock files, and the key are 0600, the log 0640', async () => {
    const data = join(dir, 'modes');
    const log = join(dir, 'modes.log');
    const {path, url} = await writeDaemonConfig(join(dir, 'modes.yml'), data, [`log_filename: ${log}`, 'log_format: json']);
    const d = await spawnDaemon(path, url, {umask: '000'});
    try {
      assert.equal((await failedLogin(url, 'someone')).status, 401);
      assert.deepEqual(readdirSync(data).sort(), [
        'refresh-token.key',
        'secrets.key',
        'wazo-auth.db',
        'wazo-auth.db-shm',
        'wazo-auth.db-wal',
        'wazo-auth.db.lock',
      ]);
      for (const name of readdirSync(data)) assert.equal(modeOf(join(data, name)), '600', name);
      assert.equal(modeOf(log), '640');
      const lines = readFileSync(log, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line));
      assert.ok(
        lines.some((line) => line.level === 'info' && /^wazo-auth listening on http/.test(line.msg)),
        JSON.stringify(lines),
      );
      assert.ok(
        lines.some((line) => line.msg === 'Failed login: "someone" from 127.0.0.1 using agent ""'),
        JSON.stringify(lines),
      );
    } finally {
      assert.equal(await d.stop(), 0);
    }
  });

  test('a log file that cannot be opened stops the start with exit code 2, naming log_filename', async () => {
    const {path} = await writeDaemonConfig(join(dir, 'nolog.yml'), join(dir, 'nolog'), [`log_filename: ${join(dir, 'missing', 'auth.log')}`]);
    const r = spawnSync(process.execPath, [BIN, 'daemon', '-c', path], {encoding: 'utf8', timeout: 30_000});
    assert.equal(r.status, 2);
    assert.match(r.stderr.replace(/\s*›\s*/g, ' '), /log_filename: cannot open \S*missing\/auth\.log \(ENOENT\)/);
  });
});

describe('rotation', () => {
  test('SIGHUP opens the log again by its name; a moved file is noticed without a signal', async () => {
    const log = join(dir, 'rotated.log');
    const {path, url} = await writeDaemonConfig(join(dir, 'rotated.yml'), join(dir, 'rotated'), [`log_filename: ${log}`]);
    const d = await spawnDaemon(path, url);
    try {
      await failedLogin(url, 'before-rotation');
      renameSync(log, `${log}.1`);
      d.child.kill('SIGHUP');
      // The signal is handled between requests: wait for the new file, not for a time.
      for (let i = 0; i < 100 && !existsSync(log); i++) await new Promise((r) => setTimeout(r, 20));
      await failedLogin(url, 'after-sighup');
      assert.match(readFileSync(`${log}.1`, 'utf8'), /Failed login: "before-rotation"/);
      assert.doesNotMatch(readFileSync(`${log}.1`, 'utf8'), /after-sighup/);
      assert.match(readFileSync(log, 'utf8'), /^[^\n]*\(INFO\) \(wazo-auth\): Failed login: "after-sighup"/);
      assert.equal(modeOf(log), '640');

      renameSync(log, `${log}.2`);
      const deadline = Date.now() + 10_000;
      let attempt = 0;
      while (!(existsSync(log) && readFileSync(log, 'utf8').includes('moved-'))) {
        assert.ok(Date.now() < deadline, 'the moved log file was not noticed within 10 s');
        await failedLogin(url, `moved-${++attempt}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.match(readFileSync(`${log}.2`, 'utf8'), /after-sighup/);
    } finally {
      assert.equal(await d.stop(), 0, d.stderr());
    }
    assert.match(readFileSync(log, 'utf8'), /\(INFO\) \(wazo-auth\): wazo-auth stopped\n$/);
  });
});

/** A failed login on a connection of its own; the status, or the error that ended it. */
function lonelyFailedLogin(url: string): Promise<number | string> {
  const {hostname, port} = new URL(url);
  return new Promise((resolve) => {
    const req = request(
      {
        host: hostname,
        port,
        method: 'POST',
        path: '/0.1/token',
        agent: false,
        timeout: 20_000,
        headers: {
          authorization: basic('intruder', 'wrong'),
          'content-type': 'application/json',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
        res.on('error', (error) => resolve((error as NodeJS.ErrnoException).code ?? 'error'));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) => resolve((error as NodeJS.ErrnoException).code ?? error.message));
    req.end('{}');
  });
}

describe('out of file descriptors', () => {
  test('idle connections past the open-file limit, then failed logins: the daemon lives and answers afterwards', async () => {
    const log = join(dir, 'emfile.log');
    const {path, url, port} = await writeDaemonConfig(join(dir, 'emfile.yml'), join(dir, 'emfile'), [
      `log_filename: ${log}`,
      // Every login is judged (none throttled, none turned away by the hash queue's bound): the
      // descriptors run out, not the daemon's patience.
      'login_throttle: {enabled: false}',
      'max_pending_password_hashes: 1000',
    ]);
    bootstrap(path, 'admin', 'admin-pass');
    const d = await spawnDaemon(path, url);
    const idle: Socket[] = [];
    try {
      const limit = spawnSync('prlimit', ['--pid', String(d.child.pid), '--nofile=64:64'], {encoding: 'utf8'});
      assert.equal(limit.status, 0, limit.stderr);
      assert.equal((await failedLogin(url, 'warm-up')).status, 401);

      // More idle connections than the limit: the daemon takes what it can, then accept fails.
      await Promise.all(
        Array.from(
          {length: 100},
          () =>
            new Promise<void>((resolve) => {
              const socket = connect(port, '127.0.0.1', () => resolve());
              socket.on('error', () => resolve());
              socket.on('close', () => resolve());
              idle.push(socket);
            }),
        ),
      );
      const fds = () => readdirSync(`/proc/${d.child.pid}/fd`).length;
      for (let i = 0; i < 100 && fds() < 60; i++) await new Promise((r) => setTimeout(r, 20));

      // Each idle connection closed lets one login in, which then has no descriptor to spare.
      const logins: Array<Promise<number | string>> = [];
      for (const socket of idle) {
        socket.destroy();
        logins.push(lonelyFailedLogin(url));
        await new Promise((r) => setTimeout(r, 5));
      }
      const outcomes = await Promise.all(logins);
      assert.ok(outcomes.includes(401), `no login was answered: ${outcomes.join(' ')}`);
      assert.ok(
        outcomes.every((o) => o === 401 || typeof o === 'string'),
        outcomes.join(' '),
      );

      const exitedEarly = await Promise.race([d.exited, new Promise((r) => setTimeout(() => r('running'), 200))]);
      assert.equal(exitedEarly, 'running', `the daemon exited: ${d.stderr()}`);
      assert.equal((await call(url, 'HEAD', '/0.1/status')).status, 200);
      const ok = await call(url, 'POST', '/0.1/token', {body: {expiration: 60}, headers: {authorization: basic('admin', 'admin-pass')}});
      assert.equal(ok.status, 200);
      assert.match(readFileSync(log, 'utf8'), /Failed login: "intruder"/);
    } finally {
      for (const socket of idle) socket.destroy();
      if (d.child.exitCode === null && d.child.signalCode === null) assert.equal(await d.stop(), 0, d.stderr());
    }
  });
});

// `wazo-auth daemon` and `wazo-auth bootstrap` as an operator runs them: through the built binary,
// but for the starts that stop before serving (bad configuration or usage), run in this process.

import assert from 'node:assert/strict';
import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {basic, call} from '../helpers/daemon.js';
import {freePort} from '../helpers/free-port.js';
import {runInProcess} from '../helpers/in-process-cli.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'run.js');
const env = {...process.env, NO_COLOR: '1'};
let dir: string;

/** Runs the command in this process (test/helpers/in-process-cli.ts): for the runs that stop before serving. */
function inProcess(args: string[], input?: string) {
  return runInProcess(args, env, input);
}

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {input, encoding: 'utf8', timeout: 30_000, env});
  return {status: r.status, stdout: r.stdout, stderr: r.stderr};
}

async function writeConfig(name: string, extra: string[] = []): Promise<{path: string; port: number}> {
  const port = await freePort();
  const sub = join(dir, name);
  const path = join(dir, `${name}.yml`);
  writeFileSync(path, [`data_dir: ${sub}`, 'rest_api:', '  listen: 127.0.0.1', `  port: ${port}`, ...extra, ''].join('\n'));
  return {path, port};
}

/** Starts the daemon and resolves once it answers. */
async function startDaemon(args: string[]): Promise<{child: ChildProcess; stderr: () => string; exited: Promise<number | null>}> {
  const child = spawn(process.execPath, [BIN, 'daemon', ...args], {stdio: ['ignore', 'pipe', 'pipe']});
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {child, stderr: () => stderr, exited};
}

async function waitFor(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await call(url, 'HEAD', '/0.1/status')).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`daemon at ${url} did not answer`);
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wazo-auth-cli-'));
});
after(() => rmSync(dir, {recursive: true, force: true}));

describe('a bad configuration stops the start with exit code 2 and one message', () => {
  test('a value of the wrong type names its key', async () => {
    const path = join(dir, 'bad-type.yml');
    writeFileSync(path, 'rest_api:\n  port: abc\n');
    const r = await inProcess(['daemon', '-c', path]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /rest_api\.port/);
  });

  test('an unreadable file names the file', async () => {
    const r = await inProcess(['daemon', '-c', join(dir, 'missing.yml')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /missing\.yml/);
  });

  test('a bad certificate names the files', async () => {
    writeFileSync(join(dir, 'bad-cert.pem'), 'not a certificate');
    const {path} = await writeConfig('badcert', [`  certificate: ${join(dir, 'bad-cert.pem')}`, `  private_key: ${join(dir, 'bad-cert.pem')}`]);
    const r = await inProcess(['daemon', '-c', path]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /bad-cert\.pem/);
  });

  test('a PostgreSQL server that does not answer within db_connect_retry_timeout_seconds stops the start with exit code 3, the password unsaid', async () => {
    const {path} = await writeConfig('pg', ['db_connect_retry_timeout_seconds: 1']);
    const closedPort = await freePort();
    writeFileSync(path, readFileSync(path, 'utf8') + `db_uri: postgresql://user:secret@127.0.0.1:${closedPort}/wazo\n`);
    const r = await inProcess(['daemon', '-c', path]);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /database is unavailable/);
    assert.ok(!r.stderr.includes('secret'));
  });

  test('an unknown log level is a usage error', async () => {
    assert.equal((await inProcess(['daemon', '-l', 'loud'])).status, 2);
  });
});

test('a second daemon on the same SQLite file exits with 1, naming the first; db migrate has nothing to do', async () => {
  const {path, port} = await writeConfig('twice');
  const first = await startDaemon(['-c', path]);
  try {
    await waitFor(`http://127.0.0.1:${port}`);
    const other = join(dir, 'twice-other-port.yml');
    writeFileSync(other, readFileSync(path, 'utf8').replace(`port: ${port}`, `port: ${await freePort()}`));
    const second = cli(['daemon', '-c', other]);
    assert.equal(second.status, 1, second.stderr);
    // oclif wraps the message at the terminal's width, wherever the folder's length puts the breaks.
    const said = second.stderr.replace(/\s*\n ›\s+/g, ' ');
    assert.match(said, new RegExp(`wazo-auth\\.db is in use by process ${first.child.pid}: one daemon per SQLite file`));
    const migrate = cli(['db', 'migrate', '-c', path]);
    assert.equal(migrate.status, 0, migrate.stderr);
    assert.match(migrate.stderr, /nothing to apply/);
  } finally {
    first.child.kill('SIGTERM');
    assert.equal(await first.exited, 0);
  }
});

describe('bootstrap, then the daemon', () => {
  test('bootstrap creates the admin once; run again it changes only the password', async () => {
    const {path, port} = await writeConfig('boot', ['log_level: debug', `log_filename: ${join(dir, 'boot.log')}`]);
    const first = cli(['bootstrap', '-c', path, '--username', 'root-admin', '--password-stdin'], 'first-pass\n');
    assert.equal(first.status, 0, first.stderr);
    const uuid = first.stdout.trim();
    assert.match(uuid, /^[0-9a-f-]{36}$/);
    const second = cli(['bootstrap', '-c', path, '--username', 'root-admin', '--password-stdin'], 'second-pass\n');
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.stdout.trim(), uuid);
    assert.equal(statSync(join(dir, 'boot', 'wazo-auth.db')).isFile(), true);

    const d = await startDaemon(['-c', path]);
    let exit: number | null = null;
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitFor(url);
      const login = (password: string) => call(url, 'POST', '/0.1/token', {body: {expiration: 60}, headers: {authorization: basic('root-admin', password)}});
      assert.equal((await login('first-pass')).status, 401);
      const ok = await login('second-pass');
      assert.equal(ok.status, 200);
      assert.deepEqual(ok.json.data.acl, ['#']);
      const token = ok.json.data.token as string;
      assert.equal((await call(url, 'HEAD', `/0.1/token/${token}`)).status, 204);

      // a third bootstrap while the daemon runs
      assert.equal(cli(['bootstrap', '-c', path, '--username', 'root-admin', '--password-stdin'], 'third-pass').status, 0);
      assert.equal((await login('third-pass')).status, 200);

      const log = readFileSync(join(dir, 'boot.log'), 'utf8');
      assert.match(log, /\(DEBUG\).*"HEAD \/0\.1\/token\/XXXXXXXX-XXXX-XXXX-XXXX-XXXX/);
      assert.ok(!log.includes(token), 'the log shows no token in full');
      assert.ok(log.includes(token.slice(-8)));
      for (const secret of ['second-pass', 'third-pass', basic('root-admin', 'second-pass').slice(6)]) assert.ok(!log.includes(secret));
    } finally {
      d.child.kill('SIGTERM');
      exit = await d.exited;
    }
    // After the finally: an assertion there would hide the error of the test itself.
    assert.equal(exit, 0, d.stderr());
  });

  test('bootstrap without a password source is a usage error', async () => {
    const {path} = await writeConfig('nopass');
    const r = spawnSync(process.execPath, [BIN, 'bootstrap', '-c', path, '--username', 'x'], {stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8'});
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--password-stdin/);
  });
});

describe('running', () => {
  test('SIGTERM lets the request in flight finish, then exits 0', async () => {
    const {path, port} = await writeConfig('graceful');
    const d = await startDaemon(['-c', path, '-f']);
    try {
      await waitFor(`http://127.0.0.1:${port}`);
      const {request} = await import('node:http');
      const body = '{"scopes": ["a.b"]}';
      const answer = new Promise<number>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            method: 'POST',
            path: '/0.1/token/00000000-0000-0000-0000-000000000000/scopes/check',
            headers: {'content-type': 'application/json', 'content-length': body.length},
          },
          (res) => {
            res.resume();
            resolve(res.statusCode!);
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 5));
        setTimeout(() => {
          d.child.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(5)), 300);
        }, 200);
      });
      assert.equal(await answer, 404);
      assert.equal(await d.exited, 0);
    } finally {
      d.child.kill('SIGKILL');
    }
  });

  test('--dev --port 0 starts without a configuration on a free port and prints a working admin password once', async () => {
    const d = await startDaemon(['--dev', '--port', '0']);
    let exit: number | null = null;
    let folder: string | undefined;
    try {
      let match: RegExpMatchArray | null = null;
      for (let i = 0; i < 100 && !match; i++) {
        await new Promise((r) => setTimeout(r, 100));
        match = d.stderr().match(/-u 'admin:([^']+)' (http:\/\/\S+)\/0\.1\/token/);
      }
      assert.ok(match, d.stderr());
      const [, password, url] = match;
      // The port the system chose, named in the banner.
      const port = Number(new URL(url!).port);
      assert.ok(port > 0, url);
      assert.match(d.stderr(), new RegExp(`running in development mode on http://127\\.0\\.0\\.1:${port}\\b`));
      const r = await call(url!, 'POST', '/0.1/token', {body: {}, headers: {authorization: basic('admin', password!)}});
      assert.equal(r.status, 200);
      assert.deepEqual(r.json.data.acl, ['#']);
      // once in the banner, as itself and in the curl line; never again, logins included
      assert.equal(d.stderr().split(password!).length - 1, 2);
      // The CLI's own way in, and how to get the command on the PATH.
      assert.match(d.stderr(), new RegExp(`\\n  wazo-auth login --url http://127\\.0\\.0\\.1:${port} --username admin\\n`));
      assert.match(d.stderr(), /`cd \S+ && npm link` puts it on your PATH/);
      folder = /database: sqlite:\/\/(\S+)\/wazo-auth\.db \(temporary: removed when the daemon stops\)/.exec(d.stderr())?.[1];
      assert.ok(folder && statSync(folder).isDirectory(), d.stderr());
    } finally {
      d.child.kill('SIGINT');
      exit = await d.exited;
    }
    // After the finally: an assertion there would hide the error of the test itself.
    assert.equal(exit, 0, d.stderr());
    assert.equal(existsSync(folder!), false, `${folder} is left behind`);
  });

  test('a data_dir that cannot be created (under /proc) stops the start at once: exit 2 and one line', async () => {
    const {path} = await writeConfig('proc');
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^data_dir: .*$/m, 'data_dir: /proc/wazo-auth-test/data'));
    // Node's recursive mkdir loops forever there: the 30 s timeout of cli() would end it with no status.
    const r = await inProcess(['daemon', '-c', path]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^( ›   )?(Error: )?data_dir: cannot create \/proc\/wazo-auth-test\/data \(ENOENT\)\n$/);
  });

  test("upstream's --listen-port and --log-file win over the file; --db-upgrade-on-startup over db_upgrade_on_startup: false", async () => {
    const {path} = await writeConfig('upstream-flags', ['db_upgrade_on_startup: false', `log_filename: ${join(dir, 'not-this.log')}`]);
    const port = await freePort();
    const logFile = join(dir, 'upstream-flags.log');
    const d = await startDaemon(['-c', path, '--listen-port', String(port), '--log-file', logFile, '--db-upgrade-on-startup']);
    let exit: number | null = null;
    try {
      await waitFor(`http://127.0.0.1:${port}`);
      assert.match(readFileSync(logFile, 'utf8'), new RegExp(`wazo-auth listening on http://127\\.0\\.0\\.1:${port}`));
    } finally {
      d.child.kill('SIGTERM');
      exit = await d.exited;
    }
    assert.equal(exit, 0, d.stderr());
    assert.equal((await inProcess(['daemon', '--listen-port', '0'])).status, 2);
  });

  test('--port outside 0-65535 is a usage error (exit 2)', async () => {
    const r = await inProcess(['daemon', '--dev', '--port', '65536']);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /--port/);
  });

  test('--user needs root, and drops to that user when started as root', async (t) => {
    const {path, port} = await writeConfig('drop');
    if (process.getuid?.() !== 0) {
      const r = cli(['daemon', '-c', path, '-u', 'nobody']);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /root/);
      return;
    }
    const d = await startDaemon(['-c', path, '-u', 'nobody']);
    let exit: number | null = null;
    try {
      await waitFor(`http://127.0.0.1:${port}`);
      const status = readFileSync(`/proc/${d.child.pid}/status`, 'utf8');
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)![1]);
      assert.notEqual(uid, 0);
      t.diagnostic(`daemon runs as uid ${uid}`);
      assert.equal((await call(`http://127.0.0.1:${port}`, 'POST', '/0.1/token', {body: {}})).status, 401);
    } finally {
      d.child.kill('SIGTERM');
      exit = await d.exited;
    }
    // After the finally: an assertion there would hide the error of the test itself.
    assert.equal(exit, 0, d.stderr());
  });
});

// The files shipped for a Wazo stack (packaging/): the systemd unit as systemd reads it, the
// logrotate rule rotating a running daemon's log and audit files, the nginx location as nginx
// reads it. Each tool's test is skipped, saying so, where the tool is missing.

import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, test} from 'node:test';
import {basic, call} from '../helpers/daemon.js';
import {BIN, spawnDaemon, writeDaemonConfig} from '../helpers/daemon-process.js';

const ROOT = join(import.meta.dirname, '..', '..');
const shipped = (path: string) => readFileSync(join(ROOT, 'packaging', path), 'utf8');

/** The tool's path, or undefined; `command -v` sees /usr/sbin only in root's PATH, so it is looked for there too. */
function tool(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}
const missing = (name: string) => (tool(name) ? false : `${name} is not installed: skipped (.ci/run installs it)`);

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wazo-auth-shipped-'));
});
after(() => rmSync(dir, {recursive: true, force: true}));

/** `Key=value` lines of a unit, by section; repeated keys keep every value. */
function unitKeys(text: string): Map<string, string[]> {
  const keys = new Map<string, string[]>();
  let section = '';
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line || line.startsWith('#')) continue;
    const header = /^\[(.+)\]$/.exec(line);
    if (header) section = header[1]!;
    else {
      const at = line.indexOf('=');
      const key = `${section}.${line.slice(0, at)}`;
      keys.set(key, [...(keys.get(key) ?? []), line.slice(at + 1)]);
    }
  }
  return keys;
}

test('the systemd unit: hardened, its limits set, runs the commands this package has', () => {
  const keys = unitKeys(shipped('systemd/wazo-auth.service'));
  const one = (key: string) => keys.get(key)?.at(-1);
  assert.equal(one('Service.ExecStart'), '/usr/bin/wazo-auth daemon -c /etc/wazo-auth/config.yml');
  assert.equal(one('Service.ExecStartPost'), '/usr/bin/wazo-auth wait --timeout 60');
  assert.equal(one('Service.ExecReload'), '/bin/kill -HUP $MAINPID');
  assert.equal(one('Service.LimitNOFILE'), '65536');
  assert.equal(one('Service.NoNewPrivileges'), 'yes');
  assert.equal(one('Service.ProtectSystem'), 'strict');
  assert.deepEqual(one('Service.ReadWritePaths')?.split(' '), ['/var/lib/wazo-auth', '/var/log']);
  assert.equal(one('Service.CapabilityBoundingSet'), '');
  assert.equal(one('Service.User'), 'wazo-auth');
  assert.equal(one('Install.WantedBy'), 'multi-user.target');
  // The commands and flags it runs exist.
  for (const args of [
    ['daemon', '--help'],
    ['wait', '--help'],
  ]) {
    const r = spawnSync(process.execPath, [BIN, ...args], {encoding: 'utf8'});
    assert.equal(r.status, 0, r.stderr);
  }
});

test('the systemd unit as systemd-analyze verify reads it: no unknown key, no bad value', {skip: missing('systemd-analyze')}, () => {
  // The binary must exist for verify: the package's own, as installed it would be /usr/bin/wazo-auth.
  const unit = join(dir, 'wazo-auth.service');
  writeFileSync(unit, shipped('systemd/wazo-auth.service').replaceAll('/usr/bin/wazo-auth', BIN));
  const r = spawnSync(tool('systemd-analyze')!, ['verify', unit], {encoding: 'utf8'});
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
});

test('the logrotate rule: logrotate reads it, then rotates a running daemon onto new files', {skip: missing('logrotate')}, async () => {
  const logs = join(dir, 'log');
  spawnSync('mkdir', ['-p', logs]);
  const me = spawnSync('id', ['-un'], {encoding: 'utf8'}).stdout.trim();
  const group = spawnSync('id', ['-gn'], {encoding: 'utf8'}).stdout.trim();
  const log = join(logs, 'wazo-auth.log');
  const audit = join(logs, 'wazo-auth-audit.log');
  const {path, url} = await writeDaemonConfig(join(dir, 'rotate.yml'), join(dir, 'data'), [`log_filename: ${log}`, 'audit:', `  file: ${audit}`]);
  const daemon = await spawnDaemon(path, url);
  try {
    // The rule as installed, but for the folder, the accounts (this machine has no wazo-auth) and
    // how the signal reaches the daemon (it runs under no systemd here).
    const rule = shipped('logrotate/wazo-auth')
      .replaceAll('/var/log/', `${logs}/`)
      .replace('create 0640 wazo-auth adm', `create 0640 ${me} ${group}`)
      .replace('create 0600 wazo-auth wazo-auth', `create 0600 ${me} ${group}`)
      .replaceAll(/systemctl kill .*$/gm, `kill -HUP ${daemon.child.pid}`);
    const conf = join(dir, 'logrotate.conf');
    writeFileSync(conf, rule);
    const state = join(dir, 'logrotate.state');
    const dry = spawnSync(tool('logrotate')!, ['-d', '-s', state, conf], {encoding: 'utf8'});
    assert.equal(dry.status, 0, dry.stderr);
    assert.doesNotMatch(dry.stderr, /error/i);

    const admin = await call(url, 'POST', '/0.1/tenants', {body: {name: 'x'}});
    assert.equal(admin.status, 401);
    assert.equal((await call(url, 'POST', '/0.1/token', {body: {}, headers: {authorization: basic('nobody', 'wrong')}})).status, 401);
    const rotated = spawnSync(tool('logrotate')!, ['-f', '-s', state, conf], {encoding: 'utf8'});
    assert.equal(rotated.status, 0, rotated.stderr);
    assert.match(readFileSync(`${log}.1`, 'utf8'), /Failed login: "nobody"/);
    assert.equal(statSync(log).mode & 0o777, 0o640);
    // Once the signal is handled (the daemon's event loop takes it in its own time), lines go to the new file.
    let seen = false;
    for (let i = 0; i < 20 && !seen; i++) {
      await call(url, 'POST', '/0.1/token', {body: {}, headers: {authorization: basic(`after-rotation-${i}`, 'wrong')}});
      seen = readFileSync(log, 'utf8').includes(`Failed login: "after-rotation-${i}"`);
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(seen, 'no line reached the new log file');
  } finally {
    await daemon.stop();
  }
});

test('the nginx location: nginx -t accepts it inside a server block', {skip: missing('nginx')}, () => {
  const conf = join(dir, 'nginx.conf');
  const location = join(dir, 'wazo-auth.location');
  writeFileSync(location, shipped('nginx/wazo-auth').replaceAll('/etc/nginx/wazo-auth-shared.conf', join(ROOT, 'packaging', 'nginx', 'wazo-auth-shared.conf')));
  writeFileSync(
    conf,
    [
      `pid ${join(dir, 'nginx.pid')};`,
      `error_log ${join(dir, 'nginx-error.log')};`,
      'events {}',
      'http {',
      `  access_log off; client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};`,
      `  server { listen 127.0.0.1:8443; include ${location}; }`,
      '}',
      '',
    ].join('\n'),
  );
  const r = spawnSync(tool('nginx')!, ['-t', '-q', '-p', dir, '-c', conf], {encoding: 'utf8'});
  assert.equal(r.status, 0, r.stderr);
});

test('the nginx location: every path under /api/auth reaches the daemon with the prefix said in X-Script-Name', () => {
  const location = shipped('nginx/wazo-auth');
  assert.match(location, /location \^~ \/api\/auth\/ \{\n\s+proxy_pass http:\/\/127\.0\.0\.1:9497\/;/);
  const shared = shipped('nginx/wazo-auth-shared.conf');
  assert.match(shared, /proxy_set_header\s+X-Script-Name\s+\/api\/auth;/);
  assert.match(shared, /proxy_set_header\s+X-Forwarded-For\s+\$proxy_add_x_forwarded_for;/);
});

// Profiles on disk: where, how they are read and written, and what `config set` accepts.

import assert from 'node:assert/strict';
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import {homedir, tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {CliFailure} from '../../src/cli/failure.js';
import {configDir, readProfiles, SETTABLE_KEYS, updateProfile} from '../../src/cli/profiles.js';

const dir = mkdtempSync(join(tmpdir(), 'wazo-auth-profiles-'));
after(() => rmSync(dir, {recursive: true, force: true}));

test('the config folder is where conf would put it on each platform', () => {
  assert.equal(configDir({XDG_CONFIG_HOME: '/x/config'}, 'linux'), '/x/config/wazo-auth');
  assert.equal(configDir({}, 'linux'), join(homedir(), '.config', 'wazo-auth'));
  assert.equal(configDir({}, 'darwin'), join(homedir(), 'Library', 'Preferences', 'wazo-auth'));
  assert.equal(configDir({APPDATA: 'C:\\AppData'}, 'win32'), join('C:\\AppData', 'wazo-auth', 'Config'));
});

test('no file is no profile; a profile written through conf reads back, in a file of mode 0600', async () => {
  assert.deepEqual(readProfiles(dir), {});
  await updateProfile('lab.eu', () => ({url: 'https://lab.example.com', verify: false}), dir);
  await updateProfile('default', (profile) => ({...profile, username: 'admin'}), dir);
  assert.deepEqual(readProfiles(dir), {'lab.eu': {url: 'https://lab.example.com', verify: false}, default: {username: 'admin'}});
  assert.equal(statSync(join(dir, 'config.json')).mode & 0o777, 0o600);
  await updateProfile('lab.eu', () => undefined, dir);
  assert.deepEqual(Object.keys(readProfiles(dir)), ['default']);
  assert.deepEqual(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')), {profiles: {default: {username: 'admin'}}});
});

test('a damaged file is a usage error naming it', () => {
  const damaged = mkdtempSync(join(dir, 'damaged-'));
  writeFileSync(join(damaged, 'config.json'), 'not json');
  assert.throws(
    () => readProfiles(damaged),
    (error: CliFailure) => error.exitCode === 2 && error.message.includes(join(damaged, 'config.json')),
  );
});

test('settable values are parsed into their stored form', () => {
  assert.equal(SETTABLE_KEYS.url('pbx.example.com/api/auth/0.1/'), 'https://pbx.example.com/api/auth');
  for (const on of ['on', 'TRUE', 'yes', '1']) assert.equal(SETTABLE_KEYS.verify(on), true);
  for (const off of ['off', 'false', 'No', '0']) assert.equal(SETTABLE_KEYS.verify(off), false);
  assert.throws(() => SETTABLE_KEYS.verify('maybe'), CliFailure);
  assert.equal(SETTABLE_KEYS.format('plain'), 'plain');
  assert.throws(() => SETTABLE_KEYS.format('xml'), CliFailure);
  writeFileSync(join(dir, 'ca.pem'), 'x');
  assert.equal(SETTABLE_KEYS.ca_file(join(dir, 'ca.pem')), join(dir, 'ca.pem'));
  assert.throws(() => SETTABLE_KEYS.ca_file(join(dir, 'none.pem')), CliFailure);
});

// Files the daemon creates get their mode whatever the umask; existing files keep theirs.

import assert from 'node:assert/strict';
import {closeSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, writeSync, chmodSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, test} from 'node:test';
import {createFile, DATA_FILE_MODE, LOG_FILE_MODE, makeFolders, openForAppend} from '../src/file-modes.js';

const dir = mkdtempSync(join(tmpdir(), 'wazo-auth-modes-'));
after(() => rmSync(dir, {recursive: true, force: true}));
const modeOf = (path: string) => statSync(path).mode & 0o777;

test('a created file has exactly the mode asked, under any umask', () => {
  const saved = process.umask();
  try {
    for (const umask of [0o000, 0o022, 0o077, 0o277]) {
      process.umask(umask);
      for (const mode of [DATA_FILE_MODE, LOG_FILE_MODE]) {
        const path = join(dir, `created-${umask.toString(8)}-${mode.toString(8)}`);
        const fd = createFile(path, mode);
        assert.notEqual(fd, undefined);
        closeSync(fd!);
        assert.equal(modeOf(path), mode, `mode ${mode.toString(8)} under umask ${umask.toString(8)}`);
      }
    }
  } finally {
    process.umask(saved);
  }
});

test('createFile leaves an existing file alone and says so', () => {
  const path = join(dir, 'existing');
  writeFileSync(path, 'kept');
  chmodSync(path, 0o644);
  assert.equal(createFile(path, DATA_FILE_MODE), undefined);
  assert.equal(modeOf(path), 0o644);
  assert.equal(readFileSync(path, 'utf8'), 'kept');
});

test('openForAppend appends to an existing file, or creates it with the mode', () => {
  const existing = join(dir, 'append-existing');
  writeFileSync(existing, 'one\n');
  chmodSync(existing, 0o600);
  const missing = join(dir, 'append-missing');
  for (const path of [existing, missing]) {
    const fd = openForAppend(path, LOG_FILE_MODE);
    writeSync(fd, 'two\n');
    closeSync(fd);
  }
  assert.equal(readFileSync(existing, 'utf8'), 'one\ntwo\n');
  assert.equal(modeOf(existing), 0o600);
  assert.equal(readFileSync(missing, 'utf8'), 'two\n');
  assert.equal(modeOf(missing), LOG_FILE_MODE);
});

test('makeFolders makes each missing level with the mode, keeps what exists, and fails at once where no folder can be made', () => {
  const deep = join(dir, 'a', 'b', 'c');
  makeFolders(deep, 0o700);
  makeFolders(deep, 0o700);
  assert.equal(modeOf(deep), 0o700);
  assert.equal(modeOf(join(dir, 'a')), 0o700);
  // Node's recursive mkdir never returns here: /proc answers ENOENT for every new folder.
  assert.throws(() => makeFolders('/proc/wazo-auth-test/x', 0o700), {code: 'ENOENT'});
});

// Shell completion (@oclif/plugin-autocomplete) knows every command and its flags: a smoke test of
// the built binary, whose manifest the completion is built from.

import assert from 'node:assert/strict';
import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {test} from 'node:test';
import {newOperator} from './binary.js';

test('`autocomplete bash` builds a completion that lists the commands with their flags', async () => {
  const op = newOperator();
  try {
    const cache = join(op.home, '.cache');
    const r = await op.runBinary(['autocomplete', 'bash'], {env: {XDG_CACHE_HOME: cache}});
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /wazo-auth autocomplete script bash/);
    const completion = readFileSync(join(cache, 'wazo-auth', 'autocomplete', 'functions', 'bash', 'wazo-auth.bash'), 'utf8');
    assert.match(completion, /^login .*--password-stdin.*--insecure-storage/m);
    assert.match(completion, /^config:set .*--profile/m);
    assert.match(completion, /^whoami .*--format/m);
  } finally {
    op.remove();
  }
});

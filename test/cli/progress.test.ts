import assert from 'node:assert/strict';
import {Writable} from 'node:stream';
import {test} from 'node:test';
import {progressOn} from '../../src/cli/progress.js';

function stream(isTTY: boolean): Writable & {isTTY: boolean; text: string} {
  const out = new Writable({
    write(chunk, _encoding, done) {
      out.text += chunk.toString();
      done();
    },
  }) as Writable & {isTTY: boolean; text: string};
  out.isTTY = isTTY;
  out.text = '';
  return out;
}

test('on a terminal: one bar redrawn in place, cleared at the end', () => {
  const out = stream(true);
  const progress = progressOn(out);
  progress.update({label: 'reading auth_user'});
  progress.update({label: 'writing users', done: 15, total: 30});
  progress.update({label: 'writing emails', done: 0, total: 0});
  progress.end();
  const frames = out.text.split('\r\x1b[2K');
  assert.deepEqual(frames, [
    '',
    `[${'.'.repeat(30)}] reading auth_user`,
    `[${'#'.repeat(15)}${'.'.repeat(15)}] writing users 15/30`,
    `[${'#'.repeat(30)}] writing emails 0/0`,
    '',
  ]);
  assert.doesNotMatch(out.text, /\n/);
});

test('elsewhere: a line per step begun without a total, or finished', () => {
  const out = stream(false);
  const progress = progressOn(out);
  progress.update({label: 'reading auth_user'});
  progress.update({label: 'writing users', done: 15, total: 30});
  progress.update({label: 'writing users', done: 30, total: 30});
  progress.end();
  assert.equal(out.text, 'reading auth_user\nwriting users: 30 done\n');
});

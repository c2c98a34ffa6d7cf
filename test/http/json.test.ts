import assert from 'node:assert/strict';
import {test} from 'node:test';
import {toJson} from '../../src/http/json.js';
import {pythonRepr} from '../../src/http/schema.js';

test('JSON uses Python separators and a final newline', () => {
  assert.equal(toJson({data: {message: 'success'}}), '{"data": {"message": "success"}}\n');
  assert.equal(toJson({a: [1, 2, null], b: true, c: 1.5}), '{"a": [1, 2, null], "b": true, "c": 1.5}\n');
  assert.equal(toJson([]), '[]\n');
  assert.equal(toJson({}), '{}\n');
});

test('non-ASCII is escaped as upstream does, surrogate pairs included', () => {
  assert.equal(toJson('é€😀'), '"\\u00e9\\u20ac\\ud83d\\ude00"\n');
  assert.equal(toJson('a"b\\c\n'), '"a\\"b\\\\c\\n"\n');
});

test('undefined fields are left out', () => {
  assert.equal(toJson({a: undefined, b: 1}), '{"b": 1}\n');
});

test('pythonRepr quotes like Python', () => {
  assert.equal(pythonRepr({_schema: ['"client_id" must be set']}), `{'_schema': ['"client_id" must be set']}`);
  assert.equal(pythonRepr("it's"), `"it's"`);
  assert.equal(pythonRepr({a: null, b: true, c: [1]}), `{'a': None, 'b': True, 'c': [1]}`);
});

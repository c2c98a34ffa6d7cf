// The one schema engine: request bodies (marshmallow's leniency), the config file and policy
// files (strict), each problem reported with where it lies.

import assert from 'node:assert/strict';
import {test} from 'node:test';
import type {ObjectSchema} from '../../src/schema/schema.js';
import {validate} from '../../src/schema/validate.js';
import {described, expectation} from '../../src/schema/wording.js';

const emails = {
  type: 'object',
  properties: {
    emails: {
      type: 'array',
      items: {type: 'object', properties: {address: {type: 'string', format: 'email'}, main: {type: 'boolean', default: false}}, required: ['address']},
    },
  },
  required: ['emails'],
} as const satisfies ObjectSchema;

test('each problem says where it lies, with its schema and value', () => {
  const r = validate(emails, {emails: [{address: 'a@b.c'}, {address: 'nope'}, {main: true}]});
  assert.equal(r.ok, false);
  const issues = (r as Extract<typeof r, {ok: false}>).issues;
  assert.deepEqual(
    issues.map(({path, value, error}) => [path, value, error.constraint_id]),
    [
      [['emails', 1, 'address'], 'nope', 'email'],
      [['emails', 2, 'address'], undefined, 'required'],
    ],
  );
  assert.equal(issues[0].schema, emails.properties.emails.items.properties.address);
});

test('a valid value comes back typed and normalised: defaults filled, unknown fields dropped', () => {
  const r = validate(emails, {emails: [{address: 'a@b.c', extra: 1}], other: 2});
  assert.deepEqual(r, {ok: true, value: {emails: [{address: 'a@b.c', main: false}]}});
});

const counts = {
  type: 'object',
  properties: {port: {type: 'integer', minimum: 1}, on: {type: 'boolean'}, every: {type: 'number', minimum: 0}},
} as const satisfies ObjectSchema;

test('requests take what marshmallow takes; files take values as typed', () => {
  assert.deepEqual(validate(counts, {port: '12', on: 'yes', every: '1.5'}), {ok: true, value: {port: 12, on: true, every: 1.5}});
  assert.deepEqual(validate(counts, {port: 12.7}), {ok: true, value: {port: 12}});
  for (const given of [{port: '12'}, {port: 12.7}, {on: 'yes'}, {on: 1}, {every: '1.5'}]) {
    assert.equal(validate(counts, given, {strict: true}).ok, false, JSON.stringify(given));
  }
  assert.deepEqual(validate(counts, {port: 12, on: false, every: 0.5}, {strict: true}), {ok: true, value: {port: 12, on: false, every: 0.5}});
});

test('maps check each value under its key; a key named __proto__ stays a plain key', () => {
  const schema = {type: 'map', values: {type: 'boolean'}} as const;
  const r = validate(schema, JSON.parse('{"__proto__": true, "b": false}'), {strict: true});
  assert.ok(r.ok);
  assert.deepEqual(Object.keys(r.value), ['__proto__', 'b']);
  assert.equal(Object.getPrototypeOf(r.value), Object.prototype);
  const bad = validate(schema, {a: true, b: 'no'}, {strict: true});
  assert.deepEqual(bad.ok ? [] : bad.issues.map((i) => i.path), [['b']]);
});

test('an enum may take any case, lowering the value', () => {
  const level = {type: 'string', enum: ['info', 'debug'], anyCase: true} as const;
  assert.deepEqual(validate(level, 'INFO'), {ok: true, value: 'info'});
  assert.equal(validate(level, 'warn').ok, false);
});

test('a null object at the root is not a mapping, below it a null', () => {
  const r = validate(emails, null);
  assert.deepEqual(r.ok ? [] : r.issues.map((i) => [i.path, i.error.constraint]), [[[], 'dict']]);
  const nested = validate(emails, {emails: [null]});
  assert.deepEqual(nested.ok ? [] : nested.issues.map((i) => [i.path, i.error.constraint_id]), [[['emails', 0], 'not_null']]);
});

test('files word what a value must be from its schema, or from its own words', () => {
  assert.equal(expectation({type: 'integer', minimum: 1, maximum: 65535}), 'an integer between 1 and 65535');
  assert.equal(expectation({type: 'integer', minimum: 128, nullable: true}), 'an integer >= 128 or null');
  assert.equal(expectation({type: 'string', enum: ['text', 'json']}), 'one of text, json');
  assert.equal(expectation({type: 'string', minLength: 1}), 'a non-empty string');
  assert.equal(expectation({type: 'array', items: {type: 'string'}}), 'a list of strings');
  assert.equal(expectation({type: 'map', values: {type: 'boolean'}}), 'a mapping');
  assert.equal(expectation({type: 'boolean', expect: 'on or off'}), 'on or off');
  assert.deepEqual([undefined, null, 'x', [1], {}, 3].map(described), ['nothing', 'null', '"x"', 'a list', 'a mapping', '3']);
});

import assert from 'node:assert/strict';
import {test} from 'node:test';
import {firstErrors, toSwagger, validate, type ObjectSchema} from '../../src/http/schema.js';

const schema: ObjectSchema = {
  type: 'object',
  properties: {
    username: {type: 'string', minLength: 1, maxLength: 256, nullable: true},
    purpose: {type: 'string', enum: ['user', 'internal', 'external_api'], default: 'user'},
    enabled: {type: 'boolean', default: true},
    expiration: {type: 'integer', minimum: 1, maximum: 10},
    uuid: {type: 'string', format: 'uuid'},
    acl: {type: 'array', items: {type: 'string'}},
  },
  required: ['username'],
};

test('valid input is normalised: defaults filled, unknown fields dropped, integers truncated', () => {
  const r = validate(schema, {username: 'alice', expiration: '2.9', extra: 1, uuid: 'AAAAAAAA-AAAA-4AAA-8AAA-AAAAAAAAAAAA'});
  assert.deepEqual(r, {ok: true, value: {username: 'alice', purpose: 'user', enabled: true, expiration: 2, uuid: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa'}});
});

test("each field reports upstream's constraint ids", () => {
  const r = validate(schema, {username: '', purpose: 'nope', enabled: 'maybe', expiration: 11, uuid: 'x', acl: [1]});
  assert.equal(r.ok, false);
  const details = firstErrors((r as {errors: never}).errors);
  assert.equal(details.username!.constraint_id, 'length');
  assert.equal(details.username!.message, 'Length must be between 1 and 256.');
  assert.equal(details.purpose!.constraint_id, 'enum');
  assert.equal(details.enabled!.constraint_id, 'type');
  assert.equal(details.expiration!.constraint_id, 'range');
  assert.equal(details.uuid!.constraint_id, 'type');
  assert.ok(details.acl);
});

test('a missing required field and a null one are errors; nullable fields take null', () => {
  assert.equal(firstErrors((validate(schema, {}) as {errors: never}).errors).username!.constraint_id, 'required');
  assert.deepEqual(validate(schema, {username: null}).ok, true);
  assert.equal(validate(schema, {username: 'a', purpose: null}).ok, false);
});

test('a body that is not an object is refused', () => {
  for (const body of [[], 'x', 3, null]) assert.equal(validate(schema, body).ok, false);
});

test('booleans are not integers', () => {
  assert.equal(validate(schema, {username: 'a', expiration: true}).ok, false);
});

test('the Swagger description carries the constraints', () => {
  const s = toSwagger(schema) as {properties: Record<string, Record<string, unknown>>; required: string[]};
  assert.deepEqual(s.required, ['username']);
  assert.equal(s.properties.username!.maxLength, 256);
  assert.deepEqual(s.properties.purpose!.enum, ['user', 'internal', 'external_api']);
  assert.equal(s.properties.expiration!.maximum, 10);
});

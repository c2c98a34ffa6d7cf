// The one table of answers: every coded error has one, in upstream's shapes.

import assert from 'node:assert/strict';
import {test} from 'node:test';
import * as domain from '../../src/domain/errors.js';
import {CodedError} from '../../src/domain/errors.js';
import {answerTo, type FailedRequest} from '../../src/http/errors.js';
import * as request from '../../src/http/request-errors.js';

const at: FailedRequest = {resource: 'users', invalidBody: undefined, params: {}, token: undefined};

/** Every coded error class the two modules declare, made with placeholder arguments. */
function declared(): CodedError[] {
  const exported: unknown[] = [...Object.values(domain), ...Object.values(request)];
  const classes: (new (...args: unknown[]) => CodedError)[] = [];
  for (const value of exported) {
    if (typeof value === 'function' && value.prototype instanceof CodedError) classes.push(value as new (...args: unknown[]) => CodedError);
  }
  return classes.map((Class) => {
    if (Class === request.InvalidBody) return new Class({name: [{constraint_id: 'required', message: 'Missing data for required field.'}]});
    if (Class === request.InvalidListParam) return new Class('limit', {constraint_id: 'range', message: 'Must be greater than or equal to 0.'}, 'users');
    if (Class === request.MethodNotAllowed) return new Class(['GET', 'HEAD']);
    if (Class === request.Unauthorized) return new Class({invalid_token: '', reason: 'not_found_or_expired', required_access: 'a'});
    if (Class === domain.DomainNamesTaken) return new Class(['a.example.com']);
    if (Class === domain.SamlProcessingError) return new Class('Context not found', 404);
    if (Class === domain.SamlConfigRefused) return new Class('x', 'Domain not from tenant', 400);
    if (Class === domain.SamlConfigFieldInvalid) return new Class('domain_uuid', {constraint_id: 'required', message: 'Missing data for required field.'});
    return new Class('x', 'y');
  });
}

test('every coded error has its answer, a refusal or an outage, never an internal error', () => {
  const errors = declared();
  assert.ok(errors.length >= 40, `${errors.length} coded errors`);
  for (const error of errors) {
    const answer = answerTo(error, at);
    assert.ok(answer, `${error.code} has an answer`);
    // Upstream answers a SAML domain without a usable configuration with a 500 of its own.
    const upstreams500 = error.code === 'saml-configuration-error';
    assert.ok(answer.status >= 400 && (answer.status !== 500 || upstreams500), `${error.code}: ${answer.status}`);
  }
});

test("SAML's answers are upstream's: resource saml for the login routes, saml_config for the configuration", () => {
  const body = (error: CodedError) => {
    const answer = answerTo(error, at)!;
    const {timestamp, ...rest} = answer.body as Record<string, unknown>;
    assert.equal(typeof timestamp, 'number');
    return [answer.status, rest];
  };
  assert.deepEqual(body(new domain.SamlParamInvalid('redirect_url')), [
    400,
    {message: 'redirect_url', error_id: 'invalid-data', details: {}, resource: 'saml'},
  ]);
  assert.deepEqual(body(new domain.SamlConfigurationError('unknown.com')), [
    500,
    {message: 'SAML client for domain not found or failed', error_id: 'configuration-error', details: {domain: 'unknown.com'}, resource: 'saml'},
  ]);
  assert.deepEqual(body(new domain.SamlProcessingError('Context not found', 404)), [
    404,
    {message: 'SAML processing failed', error_id: 'processing-error', details: {error: 'Context not found'}, resource: 'saml'},
  ]);
  assert.deepEqual(body(new domain.UnknownSamlConfig('t')), [
    404,
    {message: 'No SAML IDP config found for this tenant: "t"', error_id: 'unknown-saml-config', details: {uuid: 't'}, resource: 'saml_config'},
  ]);
});

test("token routes' shape and resource routes' shape", () => {
  const reason = answerTo(new domain.UnknownPolicy('p'), at)!;
  assert.deepEqual(Object.keys(reason.body as object), ['reason', 'timestamp', 'status_code']);
  assert.deepEqual([reason.status, (reason.body as {reason: string[]}).reason], [404, ['No such policy p']]);
  const resource = answerTo(new domain.UnknownUser('u'), at)!;
  assert.deepEqual(Object.keys(resource.body as object), ['message', 'error_id', 'details', 'timestamp', 'resource']);
  assert.deepEqual([resource.status, (resource.body as {error_id: string}).error_id], [404, 'unknown-user']);
});

test('an answer may depend on the request: the resource of a conflict, the field of an ACL limit', () => {
  const conflict = answerTo(new domain.ConflictError('name', 'x'), {...at, resource: 'groups'})!;
  assert.equal((conflict.body as {resource: string}).resource, 'groups');
  const limit = (params: Record<string, string>) =>
    (answerTo(new domain.AclLimitExceeded('max_acl_access_length', 'too long'), {...at, params})!.body as {reason: string[]}).reason[0];
  assert.equal(limit({}), 'Invalid value supplied for field: acl: too long');
  assert.equal(limit({access: 'a.b'}), 'Invalid value supplied for field: access: too long');
});

test('an error without a code has no answer here: the server logs it and answers 500', () => {
  class Undeclared extends CodedError {
    readonly code = 'undeclared';
  }
  assert.equal(answerTo(new Undeclared(), at), undefined);
});

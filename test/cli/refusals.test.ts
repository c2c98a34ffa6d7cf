// The refusals whose meaning depends on the question: worded and given their exit code in
// src/cli/failure.ts, so that no command reads a status.

import assert from 'node:assert/strict';
import {test} from 'node:test';
import {ApiError} from '../../src/client/errors.js';
import {ExitCode} from '../../src/cli/exit-codes.js';
import {CliFailure, isRefusal, refusals, unlessRefused} from '../../src/cli/failure.js';

const refused = (status: number, body: unknown = {message: 'no'}) => new ApiError(status, body);

function failure(value: unknown): CliFailure {
  assert.ok(value instanceof CliFailure, `a CliFailure, not ${String(value)}`);
  return value;
}

test('refusals are named by kind, whatever the body', () => {
  assert.equal(isRefusal(refused(409), 'conflict'), true);
  assert.equal(isRefusal(refused(404), 'unauthorized', 'forbidden', 'not-found'), true);
  assert.equal(isRefusal(refused(400), 'conflict', 'not-found'), false);
  assert.equal(isRefusal(new Error('409'), 'conflict'), false);
});

test('unlessRefused: undefined for the refusals named, the error for any other', async () => {
  assert.equal(await unlessRefused(Promise.reject(refused(401)), 'unauthorized'), undefined);
  assert.equal(await unlessRefused(Promise.resolve(3), 'unauthorized'), 3);
  await assert.rejects(unlessRefused(Promise.reject(refused(500)), 'unauthorized'), ApiError);
});

test('health: a 503 is a no from a daemon that answers, any other status no wazo-auth daemon', () => {
  const failing = failure(refusals.health(refused(503, {message: 'down'}), 'https://pbx'));
  assert.deepEqual(
    [failing.message, failing.exitCode, failing.fields],
    ['https://pbx answers, but a component fails (503)', ExitCode.negative, {status: 503, response: {message: 'down'}}],
  );
  const other = failure(refusals.health(refused(404, 'page'), 'https://pbx'));
  assert.deepEqual([other.message, other.exitCode], ['https://pbx does not answer as a wazo-auth daemon (404)', ExitCode.unreachable]);
});

test('a checked token that is unknown or does not cover the tenant is a no about it, exit 1', () => {
  const unknown = failure(refusals.checkedToken(refused(404), undefined));
  assert.deepEqual([unknown.message, unknown.exitCode, unknown.fields], ['invalid token: unknown, expired or revoked', ExitCode.negative, {valid: false}]);
  const tenant = failure(refusals.checkedToken(refused(403), 't1'));
  assert.deepEqual([tenant.message, tenant.exitCode], ['the token does not cover tenant t1', ExitCode.negative]);
});

test("the caller's own token unknown, or its credentials refused, is exit 4 with the daemon's answer", () => {
  const own = failure(refusals.ownToken(refused(404), 'unknown token'));
  assert.deepEqual([own.exitCode, own.fields], [ExitCode.authentication, {status: 404, response: {message: 'no'}}]);
  const credentials = failure(refusals.credentials(refused(401, {reason: ['Authentication Failed']}), (said) => `refused (${said})`));
  assert.deepEqual([credentials.message, credentials.exitCode], ['refused (Authentication Failed)', ExitCode.authentication]);
});

test('any other error is given back as it is, for the caller to throw', () => {
  const other = refused(500);
  const bug = new TypeError('x');
  assert.equal(refusals.checkedToken(other, undefined), other);
  assert.equal(refusals.ownToken(refused(401), 'm') instanceof ApiError, true);
  assert.equal(refusals.credentials(refused(403), () => 'm') instanceof ApiError, true);
  assert.equal(refusals.health(bug, 'u'), bug);
});

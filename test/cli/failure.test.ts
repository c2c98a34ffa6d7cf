// The one mapping from failures to exit codes and JSON errors.

import assert from 'node:assert/strict';
import {Errors} from '@oclif/core';
import {test} from 'node:test';
import {ApiError, ClientOptionError, ConnectionError} from '../../src/client/errors.js';
import {ExitCode, withExitCodes} from '../../src/cli/exit-codes.js';
import {CliFailure, exitCodeOfStatus, failureJson, failureOf} from '../../src/cli/failure.js';

test('API statuses: 401 and 403 ask for other credentials, 5xx is a daemon that cannot talk, any other no is 1', () => {
  assert.equal(exitCodeOfStatus(401), ExitCode.authentication);
  assert.equal(exitCodeOfStatus(403), ExitCode.authentication);
  assert.equal(exitCodeOfStatus(404), ExitCode.negative);
  assert.equal(exitCodeOfStatus(400), ExitCode.negative);
  assert.equal(exitCodeOfStatus(409), ExitCode.negative);
  assert.equal(exitCodeOfStatus(500), ExitCode.unreachable);
  assert.equal(exitCodeOfStatus(503), ExitCode.unreachable);
});

test('an API error keeps the body as the daemon sent it, under the API field names', () => {
  const body = {error_id: 'unknown-user', message: 'No such user: "x"', resource: 'users', details: {uuid: 'x'}};
  const failure = failureOf(new ApiError(404, body))!;
  assert.equal(failure.exitCode, 1);
  assert.equal(failure.message, 'No such user: "x"');
  assert.deepEqual(failureJson(failure), {error: {message: failure.message, exit_code: 1, status: 404, response: body}});
});

test("a conflict or invalid data says which field and why, as the daemon's details do", () => {
  const conflict = {
    error_id: 'conflict',
    message: 'Conflict detected',
    resource: 'users',
    details: {username: {constraint_id: 'unique', message: 'The login "bob" is already used'}},
  };
  assert.equal(failureOf(new ApiError(409, conflict))!.message, 'conflict: username: The login "bob" is already used');
  const invalid = {
    error_id: 'invalid-data',
    message: 'Sent data is invalid',
    details: {name: {message: 'Missing data for required field.'}, slug: {message: 'Too long'}},
  };
  assert.equal(failureOf(new ApiError(400, invalid))!.message, 'invalid request: name: Missing data for required field.; slug: Too long');
  const nested = {error_id: 'invalid-data', message: 'Sent data is invalid', details: {emails: {0: {address: {message: 'Not a valid email address.'}}}}};
  assert.equal(failureOf(new ApiError(400, nested))!.message, 'invalid request: emails.0.address: Not a valid email address.');
  assert.equal(
    failureOf(new ApiError(400, {message: 'Invalid value supplied for field: acl'}))!.message,
    'the daemon refused: Invalid value supplied for field: acl',
  );
  assert.equal(failureOf(new ApiError(404, {reason: ['Not found']}))!.message, 'not found: Not found');
  assert.equal(failureOf(new ApiError(500, {message: 'boom'}))!.message, 'the daemon answered 500: boom');
});

test('connection failures are 3, bad client options 2, oclif errors keep their exit code', () => {
  const connection = failureOf(new ConnectionError('cannot reach x: connection refused', 'ECONNREFUSED'))!;
  assert.deepEqual(failureJson(connection), {error: {message: 'cannot reach x: connection refused', exit_code: 3, code: 'ECONNREFUSED'}});
  assert.equal(failureOf(new ClientOptionError('not a URL'))!.exitCode, ExitCode.usage);
  assert.equal(failureOf(new Errors.CLIError('Missing required flag', {exit: 2}))!.exitCode, ExitCode.usage);
  const own = new CliFailure('no', ExitCode.negative);
  assert.equal(failureOf(own), own);
});

test('anything else is a bug, left to show its stack', () => {
  assert.equal(failureOf(new TypeError('x is undefined')), undefined);
  assert.equal(failureOf('a string'), undefined);
});

test('every description ends with the exit codes', () => {
  assert.match(withExitCodes('Does things.'), /^Does things\.\n\nExit codes: 0 success, 1 .*, 2 usage error, 3 .*, 4 authentication needed or refused\.$/);
});

// A failed load or change in a few words, for a title or the status line.

import {ApiError} from '../client/errors.js';

export function errorText(error: Error): string {
  if (error instanceof ApiError) return `the daemon answered ${error.status}: ${error.message}`;
  // One line: a message of several (an editor's kept file) reads on as one.
  return error.message.replace(/\s*\n\s*/g, ' · ');
}

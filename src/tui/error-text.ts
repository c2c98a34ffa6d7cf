// A failed load or change in a few words, for a title or the status line.

import {ApiError} from '../client/errors.js';

export function errorText(error: Error): string {
  if (error instanceof ApiError) return `the daemon answered ${error.status}: ${error.message}`;
  return error.message;
}

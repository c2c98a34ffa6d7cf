// Maps PostgreSQL constraint failures to the store's own errors, so that no raw driver error
// escapes for a situation the interface names.
import pg from 'pg';
import {ConflictError} from '../../domain/errors.js';

/** Name of a unique constraint or index -> the API field and the value at fault. */
export type ConflictFields = Record<string, readonly [field: string, value: string]>;

/** The ConflictError for a unique violation of one of `fields`, else the error unchanged. */
export function asConflict(error: unknown, fields: ConflictFields): unknown {
  if (!(error instanceof pg.DatabaseError) || error.code !== '23505' || !error.constraint) return error;
  const conflict = fields[error.constraint];
  return conflict ? new ConflictError(conflict[0], conflict[1]) : error;
}

/** A plain error naming what is missing, instead of the anonymous foreign-key failure. */
export function asMissingReference(error: unknown, message: string): unknown {
  return error instanceof pg.DatabaseError && error.code === '23503' ? new Error(message) : error;
}

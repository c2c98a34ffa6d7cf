// Maps SQLite constraint failures to the store's own errors, so that no raw SQLite error
// escapes for a situation the interface names.
import Database from 'better-sqlite3';
import {ConflictError} from '../../domain/errors.js';

/** `table.column` of a failed unique constraint -> the API field and the value at fault. */
export type ConflictFields = Record<string, readonly [field: string, value: string]>;

function failedColumns(error: unknown): string[] | undefined {
  if (!(error instanceof Database.SqliteError)) return undefined;
  if (error.code !== 'SQLITE_CONSTRAINT_UNIQUE' && error.code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return undefined;
  // "UNIQUE constraint failed: policies.tenant_uuid, policies.name"
  const match = /constraint failed: (.+)$/.exec(error.message);
  return match?.[1]?.split(',').map((column) => column.trim());
}

/** The ConflictError for a unique violation on one of `fields`, else the error unchanged. */
export function asConflict(error: unknown, fields: ConflictFields): unknown {
  for (const column of failedColumns(error) ?? []) {
    const conflict = fields[column];
    if (conflict) return new ConflictError(conflict[0], conflict[1]);
  }
  return error;
}

export function isForeignKeyFailure(error: unknown): boolean {
  return error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** A plain error naming what is missing, instead of SQLite's anonymous foreign-key failure. */
export function asMissingReference(error: unknown, message: string): unknown {
  return isForeignKeyFailure(error) ? new Error(message) : error;
}

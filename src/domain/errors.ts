// Errors the domain raises, whatever layer finds them; the HTTP layer turns each into an answer.

/** A unique constraint was hit; `field` names the API field at fault. */
export class ConflictError extends Error {
  constructor(readonly field: string, readonly value: string) {
    super(`${field} "${value}" is already used`);
    this.name = 'ConflictError';
  }
}

/**
 * The database cannot be reached or did not answer in time (down, restarting, unreachable,
 * statement timeout): the request may succeed later. The HTTP layer answers 503.
 */
export class StoreUnavailable extends Error {
  constructor(message: string, options?: {cause?: unknown}) {
    super(message, options);
    this.name = 'StoreUnavailable';
  }
}

// What `wazo-auth db status` reports about a database's schema, whatever the engine.

export interface SchemaStep {
  version: number;
  name: string;
}

export interface AppliedStep extends SchemaStep {
  /** Seconds since the epoch. */
  appliedAt: number;
}

export interface SchemaStatus {
  /** Oldest first; a newer program's steps included. */
  applied: AppliedStep[];
  /** The steps this program knows that the database lacks, oldest first. */
  pending: SchemaStep[];
  /** The newest version this program knows. */
  known: number;
}

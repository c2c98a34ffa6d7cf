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

/** What a daemon that may not migrate (`db_upgrade_on_startup: false`) says of a schema that lacks steps. */
export function assertUpToDate(status: SchemaStatus): void {
  if (status.pending.length === 0) return;
  const steps = status.pending.map((step) => step.version).join(', ');
  throw new Error(`the database schema lacks steps ${steps} and db_upgrade_on_startup is false: run \`wazo-auth db migrate\` first`);
}

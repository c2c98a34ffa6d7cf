// `db_uri`, parsed once: which engine, and where. The config check, the store and the daemon's
// start-up all read this instead of matching the URI themselves. db_uri may carry a password, so
// errors never echo the value.
import {isAbsolute} from 'node:path';
import {ConfigError} from './errors.js';

export type DatabaseTarget =
  | {
      engine: 'sqlite';
      /** Absolute. */
      path: string;
    }
  | {
      engine: 'postgresql';
      /** As given: what is shown (masked) and compared. */
      uri: string;
      /** What the driver connects with: SQLAlchemy's `postgresql+psycopg2://` (upstream's files carry it) made `postgresql://`. */
      connectionString: string;
    };

const POSTGRES_SCHEME = /^postgres(ql)?(\+[a-z0-9_]+)?:\/\//i;

/** The file path of a `sqlite:///absolute/path.db` URI, or null for any other URI. */
export function sqlitePath(dbUri: string): string | null {
  if (!dbUri.toLowerCase().startsWith('sqlite://')) return null;
  return dbUri.slice('sqlite://'.length);
}

/** Throws a ConfigError saying what is wrong with `dbUri`, without echoing it. */
export function parseDbUri(dbUri: string): DatabaseTarget {
  const file = sqlitePath(dbUri);
  if (file !== null) {
    if (!isAbsolute(file)) {
      throw new ConfigError('config: db_uri must name an absolute sqlite path, as in "sqlite:///var/lib/wazo-auth/wazo-auth.db"');
    }
    return {engine: 'sqlite', path: file};
  }
  if (POSTGRES_SCHEME.test(dbUri)) {
    if (!URL.canParse(dbUri)) {
      throw new ConfigError('config: db_uri must be a valid URI, as in "postgresql://user:password@host:5432/database"');
    }
    return {engine: 'postgresql', uri: dbUri, connectionString: dbUri.replace(/^postgres(ql)?\+[a-z0-9_]+:/i, 'postgresql:')};
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(dbUri)?.[1];
  const got = scheme ? `a "${scheme}:" URI` : 'a string that is not a URI';
  throw new ConfigError(`config: db_uri must be "sqlite:///absolute/path.db" or a postgresql:// URI (got ${got})`);
}

/** For logs: the file, or the URI with its user and password hidden. */
export function describeTarget(target: DatabaseTarget): string {
  return target.engine === 'sqlite' ? target.path : target.uri.replace(/\/\/[^@/]*@/, '//***@');
}

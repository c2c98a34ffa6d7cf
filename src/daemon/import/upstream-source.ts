// Reads an upstream wazo-auth database (PostgreSQL, the schema upstream's alembic migrations
// build) in one READ ONLY transaction: one consistent snapshot, and nothing written to it ever.
import pg from 'pg';

/** Upstream revisions (table alembic_version_auth) whose schema the import reads, and the releases that end there. */
export const SUPPORTED_REVISIONS: Readonly<Record<string, string>> = {
  '1c862ebfbb3a': 'wazo-25.09 to wazo-26.05',
};

/** Every table of upstream's schema at the supported revisions. */
export const UPSTREAM_TABLES = [
  'alembic_version_auth',
  'auth_external_auth_type',
  'auth_tenant',
  'auth_tenant_domain',
  'auth_address',
  'auth_user',
  'auth_email',
  'auth_policy',
  'auth_access',
  'auth_policy_access',
  'auth_group',
  'auth_user_group',
  'auth_group_policy',
  'auth_user_policy',
  'auth_ldap_config',
  'auth_saml_config',
  'auth_external_auth_config',
  'auth_user_external_auth',
  'auth_refresh_token',
  'auth_session',
  'auth_token',
  'auth_saml_session',
  'auth_saml_pysaml2_cache',
] as const;

export type UpstreamTable = (typeof UPSTREAM_TABLES)[number];

/** The source is not a database the import can read: a one-line reason for the operator. */
export class SourceRefused extends Error {}

/** The source cannot be reached or read. */
export class SourceUnavailable extends Error {}

type Row = Record<string, any>;

export interface UpstreamSnapshot {
  revision: string;
  /** Rows per table, read in the same snapshot as the rows. */
  counts: Record<UpstreamTable, number>;
  tenants: Row[];
  domains: Row[];
  addresses: Row[];
  users: Row[];
  emails: Row[];
  /** auth_policy rows, with `acl`: their accesses from auth_policy_access and auth_access. */
  policies: Row[];
  groups: Row[];
  userGroups: Row[];
  groupPolicies: Row[];
  userPolicies: Row[];
  ldapConfigs: Row[];
  samlConfigs: Row[];
  externalTypes: Row[];
  externalConfigs: Row[];
  userExternalAuths: Row[];
  refreshTokens: Row[];
  sessions: Row[];
  /** auth_token rows, with expire_t and issued_t as numbers. */
  tokens: Row[];
}

/** The upstream database at `uri`, read whole. `onTable` hears each table as it is read. */
export async function readUpstream(uri: string, onTable: (table: UpstreamTable) => void = () => undefined): Promise<UpstreamSnapshot> {
  const client = new pg.Client({connectionString: uri, application_name: 'wazo-auth-import', connectionTimeoutMillis: 10_000});
  // Errors surface through the query that fails; this keeps a dropped connection from ending the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw new SourceUnavailable(`cannot reach the upstream database (${(error as Error).message})`);
  }
  try {
    // One snapshot for every table and count; READ ONLY: PostgreSQL itself refuses any write.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const missing = (
      await client.query<{name: string}>('SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NULL', [[...UPSTREAM_TABLES]])
    ).rows.map((row) => row.name);
    if (missing.includes('alembic_version_auth')) {
      throw new SourceRefused('the source is not an upstream wazo-auth database: it has no alembic_version_auth table');
    }
    const versions = (await client.query<{version_num: string}>('SELECT version_num FROM alembic_version_auth')).rows.map((row) => row.version_num);
    const supported = Object.entries(SUPPORTED_REVISIONS)
      .map(([revision, releases]) => `${revision} (${releases})`)
      .join(', ');
    const revision = versions[0];
    if (versions.length !== 1 || !revision || !Object.hasOwn(SUPPORTED_REVISIONS, revision)) {
      const found = versions.length === 0 ? 'no revision' : `revision ${versions.join(', ')}`;
      throw new SourceRefused(`the upstream database is at ${found}, which this import does not read; supported: ${supported}`);
    }
    if (missing.length > 0) throw new SourceRefused(`the upstream database at revision ${revision} lacks tables: ${missing.join(', ')}`);

    const counts = {} as Record<UpstreamTable, number>;
    for (const table of UPSTREAM_TABLES) {
      counts[table] = Number((await client.query<{n: string}>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);
    }
    const read = async (table: UpstreamTable, text: string): Promise<Row[]> => {
      onTable(table);
      return (await client.query(text)).rows;
    };
    const snapshot: UpstreamSnapshot = {
      revision,
      counts,
      tenants: await read('auth_tenant', 'SELECT * FROM auth_tenant ORDER BY uuid'),
      domains: await read('auth_tenant_domain', 'SELECT * FROM auth_tenant_domain ORDER BY tenant_uuid, name'),
      addresses: await read('auth_address', 'SELECT * FROM auth_address ORDER BY id'),
      users: await read('auth_user', "SELECT *, encode(password_salt, 'hex') AS password_salt_hex FROM auth_user ORDER BY uuid"),
      emails: await read('auth_email', 'SELECT * FROM auth_email ORDER BY user_uuid, NOT main, address'),
      policies: await read(
        'auth_policy',
        // An access in order of creation (its id), as upstream lists a policy's ACL.
        `SELECT p.*, coalesce((SELECT array_agg(a.access ORDER BY a.id) FROM auth_policy_access pa JOIN auth_access a ON a.id = pa.access_id
           WHERE pa.policy_uuid = p.uuid), '{}') AS acl FROM auth_policy p ORDER BY p.uuid`,
      ),
      groups: await read('auth_group', 'SELECT * FROM auth_group ORDER BY uuid'),
      userGroups: await read('auth_user_group', 'SELECT * FROM auth_user_group ORDER BY group_uuid, user_uuid'),
      groupPolicies: await read('auth_group_policy', 'SELECT * FROM auth_group_policy ORDER BY group_uuid, policy_uuid'),
      userPolicies: await read('auth_user_policy', 'SELECT * FROM auth_user_policy ORDER BY user_uuid, policy_uuid'),
      ldapConfigs: await read('auth_ldap_config', 'SELECT * FROM auth_ldap_config ORDER BY tenant_uuid'),
      samlConfigs: await read('auth_saml_config', 'SELECT *, idp_metadata::text AS idp_metadata FROM auth_saml_config ORDER BY tenant_uuid, domain_uuid'),
      externalTypes: await read('auth_external_auth_type', 'SELECT * FROM auth_external_auth_type ORDER BY name'),
      externalConfigs: await read('auth_external_auth_config', 'SELECT * FROM auth_external_auth_config ORDER BY tenant_uuid, type_uuid'),
      userExternalAuths: await read('auth_user_external_auth', 'SELECT * FROM auth_user_external_auth ORDER BY user_uuid, external_auth_type_uuid'),
      refreshTokens: await read(
        'auth_refresh_token',
        'SELECT *, floor(extract(epoch FROM created_at))::bigint::text AS created_at_s FROM auth_refresh_token ORDER BY created_at, uuid',
      ),
      sessions: await read('auth_session', 'SELECT * FROM auth_session ORDER BY uuid'),
      tokens: await read('auth_token', 'SELECT * FROM auth_token ORDER BY issued_t, uuid'),
    };
    await client.query('COMMIT');
    return snapshot;
  } catch (error) {
    if (error instanceof SourceRefused) throw error;
    throw new SourceUnavailable(`cannot read the upstream database (${(error as Error).message})`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

// Upstream wazo-auth databases for the import tests: a fresh PostgreSQL database built from the
// fixture of upstream's migrations, filled with what an install holds (upstream-install.ts) as
// upstream's code writes it. The facts both follow: test/fixtures/upstream/README.md.
import {randomBytes} from 'node:crypto';
import {readFileSync} from 'node:fs';
import pg from 'pg';
import {UPSTREAM_TABLES} from '../../src/daemon/import/upstream-source.js';
import {adminQuery, testPgUri} from './pg.js';
import {drawInstall, pythonJson, type FillOptions, type SeedRows, type UpstreamContents} from './upstream-install.js';

export {pythonJson, upstreamPasswordHash} from './upstream-install.js';
export type * from './upstream-install.js';

/** The alembic revision (table alembic_version_auth) of the fixture: Wazo 25.09 to 26.05 at least. */
export const UPSTREAM_REVISION = '1c862ebfbb3a';

/** pg_dump of a database fresh from upstream's migrations; test/fixtures/upstream/README.md rebuilds it. */
export const UPSTREAM_FIXTURE = new URL(`../fixtures/upstream/schema-${UPSTREAM_REVISION}.sql`, import.meta.url);

let fixtureSql: string | undefined;

export interface UpstreamDatabase {
  name: string;
  /** Its URI, as an operator would give it to `wazo-auth db import --from`. */
  uri: string;
  /** Runs one statement (or several, without values) on a connection of its own. */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

/**
 * A new database holding the fixture, as upstream's migrations leave it: in `public`, with the
 * uuid-ossp extension, named after the test database (.ci/run drops those left by a crash).
 */
export async function createUpstreamDatabase(): Promise<UpstreamDatabase> {
  if (!testPgUri) throw new Error('WAZO_AUTH_TEST_PG_URI is not set');
  const base = new URL(testPgUri);
  const prefix = decodeURIComponent(base.pathname.slice(1))
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 45);
  const name = `${prefix}_up_${randomBytes(6).toString('hex')}`;
  // template0: nobody is ever connected to it, so concurrent creations cannot clash on the template.
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8'`);
  base.pathname = `/${name}`;
  const uri = base.toString();
  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> => {
    const client = new pg.Client({connectionString: uri, application_name: 'wazo-auth-tests-upstream'});
    await client.connect();
    try {
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  const drop = () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).then(() => undefined);
  try {
    fixtureSql ??= readFileSync(UPSTREAM_FIXTURE, 'utf8');
    await query(fixtureSql);
  } catch (error) {
    await drop();
    throw error;
  }
  return {name, uri, query, drop};
}

/** A fixture database filled by fillUpstream with `options`; the database is dropped by `drop()`. */
export async function filledUpstreamDatabase(options: FillOptions = {}): Promise<{database: UpstreamDatabase; contents: UpstreamContents}> {
  const database = await createUpstreamDatabase();
  try {
    return {database, contents: await fillUpstream(database.uri, options)};
  } catch (error) {
    await database.drop();
    throw error;
  }
}

// Every table of the fixture, parents before children: the import's own list, which the fixture test checks.
export {UPSTREAM_TABLES};

/** Fills a database fresh from the fixture (no user yet) and returns what it wrote. */
export async function fillUpstream(uri: string, options: FillOptions = {}): Promise<UpstreamContents> {
  const client = new pg.Client({connectionString: uri, application_name: 'wazo-auth-tests-upstream-fill'});
  await client.connect();
  try {
    const [{count}] = (await client.query<{count: string}>('SELECT count(*) FROM auth_user')).rows as [{count: string}];
    if (Number(count) > 0) throw new Error('fillUpstream fills a database fresh from the fixture, and this one has users');
    const seeded = await readSeedRows(client);
    const contents = await drawInstall(seeded, options);
    await client.query('BEGIN');
    await write(client, contents, seeded);
    await client.query('COMMIT');
    for (const table of UPSTREAM_TABLES) {
      const rows = await client.query<{count: string}>(`SELECT count(*) FROM ${table}`);
      contents.counts[table] = Number(rows.rows[0]!.count);
    }
    return contents;
  } finally {
    await client.end();
  }
}

/** The rows upstream's migrations insert: the master tenant, its all-users group, the master user's policy. */
async function readSeedRows(client: pg.Client): Promise<SeedRows> {
  const tenant = (await client.query('SELECT * FROM auth_tenant WHERE uuid = parent_uuid')).rows[0];
  const group = (await client.query('SELECT uuid FROM auth_group WHERE system_managed AND tenant_uuid = $1', [tenant.uuid])).rows[0];
  const policy = (await client.query("SELECT * FROM auth_policy WHERE slug = 'wazo_default_master_user_policy'")).rows[0];
  const acl = await client.query<{access: string}>(
    'SELECT a.access FROM auth_policy_access pa JOIN auth_access a ON a.id = pa.access_id WHERE pa.policy_uuid = $1 ORDER BY a.id',
    [policy.uuid],
  );
  return {
    master: {
      uuid: tenant.uuid,
      name: tenant.name,
      slug: tenant.slug,
      parentUuid: tenant.parent_uuid,
      phone: tenant.phone,
      contactUuid: null,
      defaultAuthenticationMethod: tenant.default_authentication_method,
      domains: [],
      address: null,
      allUsersGroupUuid: group.uuid,
    },
    masterPolicy: {
      uuid: policy.uuid,
      tenantUuid: policy.tenant_uuid,
      name: policy.name,
      slug: policy.slug,
      description: policy.description,
      acl: acl.rows.map((row) => row.access),
      shared: policy.shared,
      configManaged: Boolean(policy.config_managed),
    },
  };
}

/** INSERTs of many rows at once, below PostgreSQL's limit of parameters per statement. */
async function insert(client: pg.Client, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const perStatement = Math.floor(30_000 / columns.length);
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const values: unknown[] = [];
    const tuples = chunk.map((row) => `(${columns.map((column) => `$${values.push(row[column])}`).join(', ')})`);
    await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
  }
}

async function write(client: pg.Client, contents: UpstreamContents, {master, masterPolicy}: SeedRows): Promise<void> {
  const tenants = contents.tenants.filter((tenant) => tenant !== master);
  const policies = contents.policies.filter((policy) => policy !== masterPolicy);
  const fixtureGroup = master.allUsersGroupUuid;
  await insert(
    client,
    'auth_external_auth_type',
    contents.externalAuth.types.map((type) => ({uuid: type.uuid, name: type.name, enabled: type.enabled})),
  );
  await insert(
    client,
    'auth_tenant',
    tenants.map((tenant) => ({
      uuid: tenant.uuid,
      name: tenant.name,
      phone: tenant.phone,
      contact_uuid: null,
      parent_uuid: tenant.parentUuid,
      slug: tenant.slug,
      default_authentication_method: tenant.defaultAuthenticationMethod,
    })),
  );
  await insert(
    client,
    'auth_tenant_domain',
    contents.tenants.flatMap((tenant) => tenant.domains.map((domain) => ({uuid: domain.uuid, tenant_uuid: tenant.uuid, name: domain.name}))),
  );
  await insert(
    client,
    'auth_address',
    contents.tenants.flatMap((tenant) => (tenant.address ? [{tenant_uuid: tenant.uuid, ...tenant.address}] : [])),
  );
  await insert(
    client,
    'auth_user',
    contents.users.map((user) => ({
      uuid: user.uuid,
      username: user.username,
      password_hash: user.passwordHash,
      password_salt: user.salt,
      firstname: user.firstname,
      lastname: user.lastname,
      enabled: user.enabled,
      tenant_uuid: user.tenantUuid,
      purpose: user.purpose,
      authentication_method: user.authenticationMethod,
    })),
  );
  await insert(
    client,
    'auth_email',
    contents.users.flatMap((user) =>
      user.emails.map((email) => ({uuid: email.uuid, address: email.address, confirmed: email.confirmed, main: email.main, user_uuid: user.uuid})),
    ),
  );
  for (const tenant of tenants.filter((other) => other.contactUuid)) {
    await client.query('UPDATE auth_tenant SET contact_uuid = $1 WHERE uuid = $2', [tenant.contactUuid, tenant.uuid]);
  }
  await insert(
    client,
    'auth_policy',
    policies.map((policy) => ({
      uuid: policy.uuid,
      name: policy.name,
      description: policy.description,
      tenant_uuid: policy.tenantUuid,
      config_managed: policy.configManaged,
      slug: policy.slug,
      shared: policy.shared,
    })),
  );
  // auth_access holds each access once, whatever the number of policies granting it; ids from its sequence.
  const accesses = [...new Set(policies.flatMap((policy) => policy.acl))];
  await client.query('INSERT INTO auth_access (access) SELECT unnest($1::text[]) ON CONFLICT (access) DO NOTHING', [accesses]);
  const ids = new Map((await client.query<{id: number; access: string}>('SELECT id, access FROM auth_access')).rows.map((row) => [row.access, row.id]));
  await insert(
    client,
    'auth_policy_access',
    policies.flatMap((policy) => policy.acl.map((access) => ({policy_uuid: policy.uuid, access_id: ids.get(access)}))),
  );
  await insert(
    client,
    'auth_group',
    contents.groups
      .filter((group) => group.uuid !== fixtureGroup)
      .map((group) => ({
        uuid: group.uuid,
        name: group.name,
        tenant_uuid: group.tenantUuid,
        system_managed: group.systemManaged,
        slug: group.slug,
      })),
  );
  await insert(
    client,
    'auth_user_group',
    contents.groups.flatMap((group) => group.userUuids.map((user) => ({group_uuid: group.uuid, user_uuid: user}))),
  );
  await insert(
    client,
    'auth_group_policy',
    contents.groups.flatMap((group) => group.policyUuids.map((policy) => ({group_uuid: group.uuid, policy_uuid: policy}))),
  );
  await insert(
    client,
    'auth_user_policy',
    contents.users.flatMap((user) => user.policyUuids.map((policy) => ({user_uuid: user.uuid, policy_uuid: policy}))),
  );
  await insert(
    client,
    'auth_ldap_config',
    contents.ldapConfigs.map((config) => ({
      tenant_uuid: config.tenantUuid,
      host: config.host,
      port: config.port,
      protocol_version: config.protocolVersion,
      protocol_security: config.protocolSecurity,
      bind_dn: config.bindDn,
      bind_password: config.bindPassword,
      user_base_dn: config.userBaseDn,
      user_login_attribute: config.userLoginAttribute,
      user_email_attribute: config.userEmailAttribute,
      search_filters: config.searchFilters,
    })),
  );
  await insert(
    client,
    'auth_saml_config',
    contents.samlConfigs.map((config) => ({
      tenant_uuid: config.tenantUuid,
      domain_uuid: config.domainUuid,
      entity_id: config.entityId,
      idp_metadata: config.idpMetadata,
      acs_url: config.acsUrl,
    })),
  );
  await insert(
    client,
    'auth_external_auth_config',
    contents.externalAuth.configs.map((config) => ({type_uuid: config.typeUuid, tenant_uuid: config.tenantUuid, data: pythonJson(config.data)})),
  );
  await insert(
    client,
    'auth_user_external_auth',
    contents.externalAuth.users.map((row) => ({user_uuid: row.userUuid, external_auth_type_uuid: row.typeUuid, data: pythonJson(row.data)})),
  );
  await insert(
    client,
    'auth_refresh_token',
    contents.refreshTokens.map((token) => ({
      uuid: token.uuid,
      client_id: token.clientId,
      user_uuid: token.userUuid,
      backend: token.backend,
      login: token.login,
      user_agent: token.userAgent,
      remote_addr: token.remoteAddr,
      created_at: new Date(token.createdAt * 1000),
      mobile: token.mobile,
      metadata: pythonJson(token.metadata),
    })),
  );
  await insert(
    client,
    'auth_session',
    contents.sessions.map((session) => ({uuid: session.uuid, mobile: session.mobile, tenant_uuid: session.tenantUuid})),
  );
  await insert(
    client,
    'auth_token',
    contents.sessions.map(({uuid, token}) => ({
      uuid: token.uuid,
      auth_id: token.authId,
      pbx_user_uuid: token.pbxUserUuid,
      xivo_uuid: token.xivoUuid,
      issued_t: token.issuedT,
      expire_t: token.expireT,
      metadata: pythonJson(token.metadata),
      session_uuid: uuid,
      user_agent: token.userAgent,
      remote_addr: token.remoteAddr,
      acl: token.acl,
      refresh_token_uuid: token.refreshTokenUuid,
    })),
  );
}

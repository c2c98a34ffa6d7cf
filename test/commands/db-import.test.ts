// `wazo-auth db import` (in-process) from a database built by upstream's migrations and filled as
// upstream's code fills it, into a SQLite file and into a PostgreSQL schema: then a daemon on the
// target logs every user in with its known password and every refresh token works.
import assert from 'node:assert/strict';
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import Database from 'better-sqlite3';
import {loadConfig} from '../../src/config/index.js';
import {startDaemon, type RunningDaemon} from '../../src/daemon/start.js';
import {openStore} from '../../src/store/open.js';
import {lockDatabase} from '../../src/store/sqlite/daemon-lock.js';
import {createLogger} from '../../src/log.js';
import {bootstrapAdmin} from '../../src/services/bootstrap.js';
import {userContext} from '../../src/services/external-auth.js';
import {loadSecretKey, SecretBox} from '../../src/services/secret-box.js';
import {basic, call} from '../helpers/daemon.js';
import {runInProcess} from '../helpers/in-process-cli.js';
import {adminQuery, freshSchema, pgSkip, type TestSchema} from '../helpers/pg.js';
import {createUpstreamDatabase, filledUpstreamDatabase, UPSTREAM_TABLES, type UpstreamContents, type UpstreamDatabase} from '../helpers/upstream-db.js';

const dir = mkdtempSync(join(tmpdir(), 'wazo-auth-db-import-'));
let targets = 0;

interface Target {
  configFile: string;
  dataDir: string;
  dbUri: string;
  schema?: TestSchema;
}

async function newTarget(engine: 'sqlite' | 'postgresql'): Promise<Target> {
  const name = `target-${++targets}`;
  const dataDir = join(dir, name);
  const schema = engine === 'postgresql' ? await freshSchema('wazo-auth-import-target') : undefined;
  const dbUri = schema ? schema.uri : `sqlite://${join(dataDir, 'auth.db')}`;
  const configFile = join(dir, `${name}.yml`);
  writeFileSync(configFile, `data_dir: ${dataDir}\ndb_uri: ${JSON.stringify(dbUri)}\n`);
  return {configFile, dataDir, dbUri, schema};
}

/** The command's output, its stderr with oclif's wrapping of the error message undone. */
async function cli(...args: string[]): Promise<{status: number | null; stdout: string; stderr: string}> {
  const run = await runInProcess(['db', 'import', ...args], {...process.env, NO_COLOR: '1'});
  return {...run, stderr: run.stderr.replace(/\s*\n ›\s+/g, ' ')};
}

/** Every row of every table of the upstream database, as one digest per table. */
async function sourceDigest(database: UpstreamDatabase): Promise<Record<string, string>> {
  const digests: Record<string, string> = {};
  for (const table of UPSTREAM_TABLES) {
    const [row] = await database.query<{d: string | null}>(`SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) AS d FROM ${table} t`);
    digests[table] = `${row!.d}`;
  }
  return digests;
}

/** Every row of the target, as text: what must not change when an import is refused. */
async function targetText(target: Target): Promise<string> {
  if (target.schema) {
    const tables = await adminQuery<{name: string}>('SELECT tablename AS name FROM pg_tables WHERE schemaname = $1 ORDER BY 1', [target.schema.name]);
    const texts: string[] = [];
    for (const {name} of tables) {
      const rows = await adminQuery<{t: string}>(`SELECT r::text AS t FROM ${target.schema.name}.${name} r ORDER BY 1`);
      texts.push(name, ...rows.map((row) => row.t));
    }
    return texts.join('\n');
  }
  const db = new Database(join(target.dataDir, 'auth.db'), {readonly: true});
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {name: string}[];
    return tables.map(({name}) => `${name}\n${JSON.stringify(db.prepare(`SELECT * FROM "${name}" ORDER BY 1`).all())}`).join('\n');
  } finally {
    db.close();
  }
}

async function startOn(target: Target): Promise<RunningDaemon> {
  const config = loadConfig({configFile: target.configFile, overrides: {log_level: 'critical', amqp: {uri: null}}, env: {}});
  config.rest_api.port = 0;
  config.rest_api.listen = '127.0.0.1';
  return startDaemon(config, {log: createLogger({level: 'critical'})});
}

/** What upstream holds, as the target's store reads it back (before a daemon's start applies its own configuration). */
async function checkContents(target: Target, contents: UpstreamContents): Promise<void> {
  const store = await openStore({db_uri: target.dbUri, db_pool_size: 2, db_statement_timeout_ms: 5_000});
  const sorted = (list: string[]) => [...list].sort();
  const all = {limit: null};
  try {
    for (const tenant of contents.tenants) {
      const kept = (await store.tenants.get(tenant.uuid))!;
      assert.deepEqual(
        {...kept, domainNames: sorted(kept.domainNames)},
        {
          uuid: tenant.uuid,
          name: tenant.name,
          slug: tenant.slug,
          parentUuid: tenant.parentUuid,
          contactUuid: tenant.contactUuid,
          phone: tenant.phone,
          address: tenant.address ?? {line_1: null, line_2: null, city: null, state: null, zip_code: null, country: null},
          domainNames: sorted(tenant.domains.map((domain) => domain.name)),
          defaultAuthenticationMethod: tenant.defaultAuthenticationMethod,
        },
      );
    }
    for (const user of contents.users) {
      const kept = (await store.users.get(user.uuid))!;
      assert.deepEqual(
        {...kept, emails: [...kept.emails].sort((a, b) => a.uuid.localeCompare(b.uuid))},
        {
          uuid: user.uuid,
          tenantUuid: user.tenantUuid,
          username: user.username,
          firstname: user.firstname,
          lastname: user.lastname,
          purpose: user.purpose,
          enabled: user.enabled,
          authenticationMethod: user.authenticationMethod,
          emails: [...user.emails].sort((a, b) => a.uuid.localeCompare(b.uuid)),
        },
      );
      const policies = await store.users.listPolicies(user.uuid, all);
      assert.deepEqual(sorted(policies.items.map((policy) => policy.uuid)), sorted(user.policyUuids));
    }
    const tenantUuids = contents.tenants.map((tenant) => tenant.uuid);
    for (const policy of contents.policies) {
      const kept = (await store.policies.get(policy.uuid))!;
      assert.deepEqual({...kept, acl: sorted(kept.acl)}, {...policy, acl: sorted(policy.acl)});
    }
    for (const group of contents.groups) {
      const kept = (await store.groups.get(group.uuid))!;
      assert.deepEqual(kept, {uuid: group.uuid, tenantUuid: group.tenantUuid, name: group.name, slug: group.slug, systemManaged: group.systemManaged});
      const members = await store.groups.listUsers(group.uuid, all);
      assert.deepEqual(sorted(members.items.map((user) => user.uuid)), sorted(group.userUuids), group.name);
      const policies = await store.groups.listPolicies(group.uuid, {tenantUuids, sharedFrom: tenantUuids}, all);
      assert.deepEqual(sorted(policies.items.map((policy) => policy.uuid)), sorted(group.policyUuids), group.name);
    }
  } finally {
    await store.close();
  }
}

/** Every user that logs in upstream logs in here with its password; the others do not; refresh tokens and live tokens work. */
async function checkLogins(daemon: RunningDaemon, contents: UpstreamContents): Promise<void> {
  const url = daemon.url;
  for (const user of contents.users) {
    if (user.login === null || user.password === null) continue;
    const answer = await call(url, 'POST', '/0.1/token', {body: {}, headers: {authorization: basic(user.login, user.password)}});
    if (user.passwordLogin) {
      assert.equal(answer.status, 200, `${user.login}: ${answer.text}`);
      assert.equal(answer.json.data.metadata.uuid, user.uuid);
    } else {
      assert.equal(answer.status, 401, `${user.login} (${user.effectiveAuthenticationMethod}, enabled ${user.enabled}) should not log in`);
    }
  }
  assert.ok(contents.refreshTokens.length > 0);
  for (const token of contents.refreshTokens) {
    const answer = await call(url, 'POST', '/0.1/token', {body: {grant_type: 'refresh_token', refresh_token: token.uuid, client_id: token.clientId}});
    assert.equal(answer.status, 200, `refresh token of ${token.userUuid}: ${answer.text}`);
    assert.equal(answer.json.data.metadata.uuid, token.userUuid);
  }
  // Logging in again with a client that holds an imported token hands out a value that works.
  const holder = contents.users.find((user) => user.uuid === contents.refreshTokens[0]!.userUuid)!;
  const again = await call(url, 'POST', '/0.1/token', {
    body: {access_type: 'offline', client_id: contents.refreshTokens[0]!.clientId},
    headers: {authorization: basic(holder.login!, holder.password!)},
  });
  assert.equal(again.status, 200, again.text);
  const renewed = await call(url, 'POST', '/0.1/token', {
    body: {grant_type: 'refresh_token', refresh_token: again.json.data.refresh_token, client_id: contents.refreshTokens[0]!.clientId},
  });
  assert.equal(renewed.status, 200, renewed.text);
  const live = contents.sessions.filter((session) => session.token.expireT > Date.now() / 1000 + 60);
  const expired = contents.sessions.filter((session) => session.token.expireT < Date.now() / 1000);
  assert.ok(live.length > 0 && expired.length > 0);
  for (const session of live) assert.equal((await call(url, 'GET', `/0.1/token/${session.token.uuid}`)).status, 200);
  for (const session of expired) assert.equal((await call(url, 'GET', `/0.1/token/${session.token.uuid}`)).status, 404);
}

describe('db import', {skip: pgSkip}, () => {
  let upstream: UpstreamDatabase;
  let contents: UpstreamContents;
  let digest: Record<string, string>;

  before(async () => {
    ({database: upstream, contents} = await filledUpstreamDatabase({seed: 17, tenants: 4, usersPerTenant: 3, distinctPasswords: 4}));
    digest = await sourceDigest(upstream);
  });
  after(async () => {
    // The source is only read, whatever ran.
    if (upstream) assert.deepEqual(await sourceDigest(upstream), digest);
    await upstream?.drop();
    rmSync(dir, {recursive: true, force: true});
  });

  for (const engine of ['sqlite', 'postgresql'] as const) {
    test(`into ${engine}: every row copied and counted, every user logs in, refused a second time`, async () => {
      const target = await newTarget(engine);
      try {
        const run = await cli('--from', upstream.uri, '-c', target.configFile, '--json');
        assert.equal(run.status, 0, run.stderr);
        const result = JSON.parse(run.stdout);
        assert.equal(result.revision, '1c862ebfbb3a');
        const source = (table: string) => result.source.find((row: {table: string}) => row.table === table);
        const written = (table: string) => result.target.find((row: {table: string}) => row.table === table);
        assert.equal(source('auth_tenant').copied, contents.tenants.length);
        assert.equal(source('auth_user').copied, contents.users.length);
        assert.equal(source('auth_policy').copied, contents.policies.length);
        assert.equal(source('auth_group').copied, contents.groups.length);
        assert.equal(source('auth_refresh_token').copied, contents.refreshTokens.length);
        assert.equal(source('auth_ldap_config').copied, contents.ldapConfigs.length);
        assert.equal(source('auth_saml_config').copied, contents.samlConfigs.length);
        assert.ok(contents.externalAuth.configs.length > 0 && contents.externalAuth.users.length > 0);
        assert.equal(source('auth_external_auth_config').copied, contents.externalAuth.configs.length);
        assert.equal(source('auth_user_external_auth').copied, contents.externalAuth.users.length);
        assert.equal(written('users').after, contents.users.length);
        assert.equal(written('emails').after, contents.users.flatMap((user) => user.emails).length);
        for (const row of result.source) {
          const skipped = row.skipped.reduce((sum: number, skip: {count: number}) => sum + skip.count, 0);
          assert.equal(row.copied + skipped, contents.counts[row.table], row.table);
        }

        await checkContents(target, contents);
        const daemon = await startOn(target);
        try {
          await checkLogins(daemon, contents);
          const store = daemon.services.store;
          const master = (await store.tenants.top())!;
          assert.equal(master.uuid, contents.masterTenantUuid);
          for (const tenant of contents.tenants.slice(1)) {
            const kept = (await store.tenants.get(tenant.uuid))!;
            assert.equal(kept.parentUuid, tenant.parentUuid);
            assert.equal(kept.slug, tenant.slug);
          }
          // External-auth settings and users' data, sealed under the daemon's key, open with it.
          const typeName = new Map(contents.externalAuth.types.map((type) => [type.uuid, type.name]));
          for (const config of contents.externalAuth.configs) {
            assert.deepEqual(await daemon.services.externalAuth.config(config.tenantUuid, typeName.get(config.typeUuid)!), config.data);
          }
          const secrets = new SecretBox(loadSecretKey(target.dataDir));
          for (const row of contents.externalAuth.users) {
            const type = typeName.get(row.typeUuid)!;
            const sealed = (await store.externalAuth.userData(row.userUuid, type))!;
            assert.deepEqual(JSON.parse(secrets.open(sealed, userContext(row.userUuid, type))), row.data);
          }
          // LDAP bind passwords are sealed under the daemon's key and open with it.
          for (const ldap of contents.ldapConfigs) {
            const answer = await daemon.services.ldap.get(ldap.tenantUuid);
            assert.equal(answer?.bindPassword ?? null, ldap.bindPassword);
          }
        } finally {
          await daemon.stop();
        }

        // Now the target holds data: refused, the clashes said, nothing changed.
        const held = await targetText(target);
        const again = await cli('--from', upstream.uri, '-c', target.configFile);
        assert.equal(again.status, 1);
        assert.match(again.stderr, /holds data already \(\d+ user\(s\).*--merge/);
        assert.match(again.stderr, /clash: tenant .*: the uuid is taken/);
        // --json: the refusal as oclif's JSON error on stdout, the clashes on stderr.
        const merged = await cli('--from', upstream.uri, '-c', target.configFile, '--merge', '--json');
        const refusal = JSON.parse(merged.stdout).error;
        assert.equal(refusal.oclif.exit, 1);
        assert.match(refusal.message, /upstream row\(s\) clash with the target's: nothing was written/);
        assert.match(merged.stderr, /clash: tenant .*: the slug ".*" is taken/);
        assert.match(merged.stderr, /clash: … and \d+ more/);
        assert.equal(await targetText(target), held);
      } finally {
        await target.schema?.drop();
      }
    });
  }

  test('a dry run prints the counts and writes nothing; plain lines off a terminal', async () => {
    const target = await newTarget('sqlite');
    const run = await cli('--from', upstream.uri, '-c', target.configFile, '--dry-run');
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^auth_user +${contents.users.length} +${contents.users.length} +users$`, 'm'));
    assert.match(run.stdout, /^users +0 +\d+ +\d+$/m);
    assert.match(run.stderr, /^reading auth_tenant$/m);
    assert.match(run.stderr, /^writing users: \d+ done$/m);
    assert.match(run.stderr, /dry run: .*nothing changed/);
    assert.doesNotMatch(run.stderr, /\r/);
    assert.match(await targetText(target), /^users\n\[\]$/m);
  });

  test('a SQLite file that a daemon holds is refused', async () => {
    const target = await newTarget('sqlite');
    mkdirSync(target.dataDir, {recursive: true});
    const lock = lockDatabase(join(target.dataDir, 'auth.db'));
    try {
      const run = await cli('--from', upstream.uri, '-c', target.configFile);
      assert.equal(run.status, 1);
      assert.match(run.stderr, new RegExp(`auth\\.db is in use by process\\s+${process.pid}`));
    } finally {
      lock.release();
    }
  });

  test('a failing import leaves the target as it was, top tenant of a first start included', async () => {
    const target = await newTarget('sqlite');
    const daemon = await startOn(target);
    await daemon.stop();
    const held = await targetText(target);
    assert.match(held, /master/);
    // Upstream's domain names are unique with their case, this daemon's regardless of it: the plan
    // sees two new names, the database refuses the second, and the whole transaction goes.
    const twin = await filledUpstreamDatabase({seed: 18, tenants: 1, usersPerTenant: 2, distinctPasswords: 1});
    try {
      await twin.database.query(
        "INSERT INTO auth_tenant_domain (tenant_uuid, name) SELECT uuid, n FROM auth_tenant, unnest(ARRAY['twin.example.com', 'TWIN.example.com']) n WHERE uuid = parent_uuid",
      );
      const run = await cli('--from', twin.database.uri, '-c', target.configFile);
      assert.equal(run.status, 1, run.stdout);
      assert.match(run.stderr, /the import failed and was rolled back/);
      assert.equal(await targetText(target), held);
    } finally {
      await twin.database.drop();
    }
  });

  test('--merge adds an upstream database to one that holds data, its top tenant into this one', async () => {
    const target = await newTarget('postgresql');
    const second = await filledUpstreamDatabase({seed: 19, tenants: 2, usersPerTenant: 3, distinctPasswords: 2});
    try {
      let daemon = await startOn(target);
      await bootstrapAdmin(daemon.services.store, 'admin', 'admin-password');
      const top = (await daemon.services.store.tenants.top())!;
      await daemon.stop();

      const refused = await cli('--from', second.database.uri, '-c', target.configFile);
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, /holds data already \(1 user\(s\)\), and no upstream row clashes/);

      const run = await cli('--from', second.database.uri, '-c', target.configFile, '--merge');
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stderr, new RegExp(`top tenant ${second.contents.masterTenantUuid} merged into this daemon's top tenant ${top.uuid}`));
      daemon = await startOn(target);
      try {
        const logins = second.contents.users.filter((user) => user.passwordLogin);
        for (const user of logins) {
          const answer = await call(daemon.url, 'POST', '/0.1/token', {body: {}, headers: {authorization: basic(user.login!, user.password!)}});
          assert.equal(answer.status, 200, answer.text);
          const expected = user.tenantUuid === second.contents.masterTenantUuid ? top.uuid : user.tenantUuid;
          assert.equal(answer.json.data.metadata.tenant_uuid, expected);
        }
        const admin = await call(daemon.url, 'POST', '/0.1/token', {body: {}, headers: {authorization: basic('admin', 'admin-password')}});
        assert.equal(admin.status, 200);
      } finally {
        await daemon.stop();
      }
    } finally {
      await second.database.drop();
      await target.schema?.drop();
    }
  });

  test('an unsupported revision is refused, naming it and the supported ones', async () => {
    const target = await newTarget('sqlite');
    const other = {database: await createUpstreamDatabase()};
    try {
      await other.database.query("UPDATE alembic_version_auth SET version_num = 'abcdef123456'");
      const run = await cli('--from', other.database.uri, '-c', target.configFile);
      assert.equal(run.status, 1);
      assert.match(run.stderr, /at revision abcdef123456, which this import does not read; supported: 1c862ebfbb3a \(wazo-25\.09 to wazo-26\.05\)/);
      await other.database.query('DROP TABLE alembic_version_auth');
      const none = await cli('--from', other.database.uri, '-c', target.configFile);
      assert.equal(none.status, 1);
      assert.match(none.stderr, /not an upstream wazo-auth database/);
    } finally {
      await other.database.drop();
    }
  });
});

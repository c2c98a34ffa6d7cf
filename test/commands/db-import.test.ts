// `wazo-auth db import` (in-process) from a database built by upstream's migrations and filled as
// upstream's code fills it, into a SQLite file and into a PostgreSQL schema: then a daemon on the
// target logs every user in with its known password and every refresh token works.
import assert from 'node:assert/strict';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import Database from 'better-sqlite3';
import {loadConfig} from '../../src/config/index.js';
import {startDaemon, type RunningDaemon} from '../../src/daemon/start.js';
import {createLogger} from '../../src/log.js';
import {bootstrapAdmin} from '../../src/services/bootstrap.js';
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
        assert.equal(written('users').after, contents.users.length);
        assert.equal(written('emails').after, contents.users.flatMap((user) => user.emails).length);
        for (const row of result.source) {
          const skipped = row.skipped.reduce((sum: number, skip: {count: number}) => sum + skip.count, 0);
          assert.equal(row.copied + skipped, contents.counts[row.table], row.table);
        }

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
        const merged = await cli('--from', upstream.uri, '-c', target.configFile, '--merge');
        assert.equal(merged.status, 1);
        assert.match(merged.stderr, /clash: tenant .*: the slug ".*" is taken/);
        assert.match(merged.stderr, /clash: … and \d+ more/);
        assert.match(merged.stderr, /upstream row\(s\) clash with the target's: nothing was written/);
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
    assert.match(run.stderr, /^wrote users: \d+ rows$/m);
    assert.match(run.stderr, /dry run: .*nothing changed/);
    assert.doesNotMatch(run.stderr, /\r/);
    assert.match(await targetText(target), /^users\n\[\]$/m);
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

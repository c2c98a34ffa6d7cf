// The slapd harness against ldapts, the client the LDAP backend uses: binds, searches with escaped
// filters, ldaps and StartTLS against the test CA, a stopped or hung directory, two directories.

import assert from 'node:assert/strict';
import {spawnSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {existsSync, readFileSync, rmSync} from 'node:fs';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {AndFilter, Client, EqualityFilter, InvalidCredentialsError, escapeFilter, type ClientOptions} from 'ldapts';
import {slapdSkip, startSlapd, type Slapd} from './slapd.js';

const skip = slapdSkip();

const alice = {uid: 'alice', cn: 'Alice Liddell', mail: 'alice@acme.example', password: 'white rabbit'};
const bob = {uid: 'bob', cn: 'Bob Builder', mail: 'bob@acme.example', password: 'can we fix it'};

/** Runs `work` on a fresh client and always closes its connection. */
async function withClient<T>(options: ClientOptions, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({connectTimeout: 2_000, timeout: 2_000, ...options});
  try {
    return await work(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

const bindAs = (options: ClientOptions, dn: string, password: string) => withClient(options, (c) => c.bind(dn, password));

/** The DNs of the people whose `uid` is `login`, searched as the service account. */
function findByUid(slapd: Slapd, filter: string | EqualityFilter | AndFilter): Promise<string[]> {
  return withClient({url: slapd.url}, async (c) => {
    await c.bind(slapd.bindDn, slapd.bindPassword);
    const {searchEntries} = await c.search(slapd.peopleDn, {scope: 'sub', filter, attributes: ['mail']});
    return searchEntries.map((e) => e.dn).sort();
  });
}

/** Whether a process runs: a zombie left to a parent that does not reap it counts as gone. */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

async function waitUntilGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && running(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !running(pid);
}

describe('a private slapd', {skip}, () => {
  let slapd: Slapd;
  let aliceDn: string;
  before(async () => {
    slapd = await startSlapd({baseDn: 'dc=acme,dc=example', users: [alice, bob]});
    aliceDn = `uid=alice,${slapd.peopleDn}`;
  });
  after(() => slapd?.close());

  test('binds as a user with the right password, refuses a wrong one', async () => {
    await bindAs({url: slapd.url}, aliceDn, alice.password);
    await assert.rejects(bindAs({url: slapd.url}, aliceDn, 'white rabbiT'), InvalidCredentialsError);
    await assert.rejects(bindAs({url: slapd.url}, `uid=nobody,${slapd.peopleDn}`, alice.password), InvalidCredentialsError);
  });

  test("stores passwords hashed, out of the service account's sight", async () => {
    // slapcat reads the database itself, beside the running slapd.
    const dump = spawnSync('/usr/sbin/slapcat', ['-f', join(slapd.dir, 'slapd.conf'), '-a', '(uid=alice)'], {encoding: 'utf8'});
    assert.equal(dump.status, 0, dump.stderr);
    const stored = Buffer.from(/^userPassword:: (\S+)$/m.exec(dump.stdout)?.[1] ?? '', 'base64').toString();
    assert.match(stored, /^\{SSHA\}/);
    // {SSHA}: base64 of SHA-1(password, salt) then the salt.
    const hashed = Buffer.from(stored.slice('{SSHA}'.length), 'base64');
    const salt = hashed.subarray(20);
    assert.equal(salt.length, 8);
    assert.deepEqual(hashed.subarray(0, 20), createHash('sha1').update(alice.password).update(salt).digest());
    const seenByService = await withClient({url: slapd.url}, async (c) => {
      await c.bind(slapd.bindDn, slapd.bindPassword);
      const {searchEntries} = await c.search(aliceDn, {scope: 'base', attributes: ['userPassword', 'mail']});
      return searchEntries[0];
    });
    assert.equal(seenByService?.mail, alice.mail);
    // ldapts lists an attribute that was asked for and not sent as [].
    assert.deepEqual(seenByService?.userPassword, []);
  });

  test('the service account finds a user by e-mail address', async () => {
    const entries = await withClient({url: slapd.url}, async (c) => {
      await c.bind(slapd.bindDn, slapd.bindPassword);
      const {searchEntries} = await c.search(slapd.baseDn, {
        scope: 'sub',
        filter: new EqualityFilter({attribute: 'mail', value: 'BOB@acme.example'}),
        attributes: ['uid', 'mail'],
      });
      return searchEntries;
    });
    assert.deepEqual(
      entries.map((e) => [e.dn, e.uid, e.mail]),
      [[`uid=bob,${slapd.peopleDn}`, 'bob', bob.mail]],
    );
  });

  test('a login of *)(uid=* matches nothing once escaped, and everyone when pasted into the filter', async () => {
    const login = '*)(uid=*';
    const person = new EqualityFilter({attribute: 'objectClass', value: 'inetOrgPerson'});
    assert.deepEqual(await findByUid(slapd, new AndFilter({filters: [person, new EqualityFilter({attribute: 'uid', value: login})]})), []);
    assert.deepEqual(await findByUid(slapd, escapeFilter`(&(objectClass=inetOrgPerson)(uid=${login}))`), []);
    assert.equal(escapeFilter`(uid=${login})`, '(uid=\\2a\\29\\28uid=\\2a)');
    // The same login concatenated unescaped widens the search to every person.
    assert.deepEqual(await findByUid(slapd, `(&(objectClass=inetOrgPerson)(uid=${login}))`), [aliceDn, `uid=bob,${slapd.peopleDn}`]);
  });

  test('addUser escapes DN specials in the naming attribute', async () => {
    const dn = await slapd.addUser({uid: 'Smith, J+r', cn: 'J. Smith', mail: 'js@acme.example', password: 'p4ss'});
    assert.equal(dn, `uid=Smith\\, J\\+r,${slapd.peopleDn}`);
    await bindAs({url: slapd.url}, dn, 'p4ss');
    // slapd answers DNs in its own escaping (hex pairs): compare entries, never DN strings.
    const found = await findByUid(slapd, new EqualityFilter({attribute: 'uid', value: 'Smith, J+r'}));
    assert.equal(found.length, 1);
    await bindAs({url: slapd.url}, found[0]!, 'p4ss');
  });

  test('an entry without an e-mail address, named by cn in another unit', async () => {
    await slapd.addEntry(`ou=quebec,${slapd.peopleDn}`, {objectClass: ['top', 'organizationalUnit'], ou: 'quebec'});
    const dn = await slapd.addUser({
      uid: 'jsparrow',
      cn: 'Jack Sparrow',
      password: 'black pearl',
      rdn: 'cn',
      parentDn: `ou=quebec,${slapd.peopleDn}`,
      attributes: {employeeType: 'pirate'},
    });
    assert.equal(dn, `cn=Jack Sparrow,ou=quebec,${slapd.peopleDn}`);
    const entry = await withClient({url: slapd.url}, async (c) => {
      await c.bind(dn, 'black pearl');
      return (await c.search(dn, {scope: 'base'})).searchEntries[0];
    });
    assert.equal(entry?.employeeType, 'pirate');
    assert.equal(entry?.mail, undefined);
  });

  test('ldaps verifies against the test CA, and not against the system trust store', async () => {
    await bindAs({url: slapd.ldapsUrl, tlsOptions: {ca: [slapd.caPem]}}, aliceDn, alice.password);
    await assert.rejects(bindAs({url: slapd.ldapsUrl}, aliceDn, alice.password), {code: 'SELF_SIGNED_CERT_IN_CHAIN'});
  });

  test('StartTLS on ldap:// verifies against the test CA', async () => {
    const secured = await withClient({url: slapd.url}, async (c) => {
      await c.startTLS({ca: [slapd.caPem]});
      await c.bind(aliceDn, alice.password);
      return c.isBound;
    });
    assert.equal(secured, true);
    await assert.rejects(
      withClient({url: slapd.url}, (c) => c.startTLS({})),
      {code: 'SELF_SIGNED_CERT_IN_CHAIN'},
    );
  });

  test('stop() refuses connections at once; restart() serves the same data on the same ports', async () => {
    const {port, ldapsPort} = slapd;
    const before = slapd.pid!;
    await slapd.stop();
    assert.equal(slapd.pid, undefined);
    assert.equal(running(before), false);
    await assert.rejects(bindAs({url: slapd.url}, aliceDn, alice.password), {code: 'ECONNREFUSED'});
    await assert.rejects(bindAs({url: slapd.ldapsUrl, tlsOptions: {ca: [slapd.caPem]}}, aliceDn, alice.password), {code: 'ECONNREFUSED'});
    await slapd.restart();
    assert.notEqual(slapd.pid, before);
    assert.deepEqual([slapd.port, slapd.ldapsPort], [port, ldapsPort]);
    await bindAs({url: slapd.url}, aliceDn, alice.password);
    await bindAs({url: slapd.ldapsUrl, tlsOptions: {ca: [slapd.caPem]}}, aliceDn, alice.password);
  });

  test('a paused slapd accepts connections and answers nothing: timeout and connectTimeout end the wait', async () => {
    await slapd.pause();
    try {
      // Plain LDAP: the kernel completes the TCP handshake, so only the operation's timeout fires.
      await assert.rejects(
        withClient({url: slapd.url, timeout: 300, connectTimeout: 5_000}, (c) => c.bind(aliceDn, alice.password)),
        /BindRequest: Operation timed out/,
      );
      // ldaps: the TLS handshake is part of connecting, so connectTimeout fires.
      await assert.rejects(
        withClient({url: slapd.ldapsUrl, tlsOptions: {ca: [slapd.caPem]}, timeout: 5_000, connectTimeout: 300}, (c) => c.bind(aliceDn, alice.password)),
        /Connection timeout/,
      );
      // StartTLS: its extended operation is an operation like any other.
      await assert.rejects(
        withClient({url: slapd.url, timeout: 300, connectTimeout: 5_000}, (c) => c.startTLS({ca: [slapd.caPem]})),
        /ExtendedRequest: Operation timed out/,
      );
    } finally {
      slapd.resume();
    }
    await bindAs({url: slapd.url}, aliceDn, alice.password);
  });
});

describe('a certificate that does not verify', {skip}, () => {
  for (const [certificate, code] of [
    ['self-signed', 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['other-name', 'ERR_TLS_CERT_ALTNAME_INVALID'],
  ] as const) {
    test(`${certificate}: ldaps and StartTLS fail verification, and connect when it is off`, async () => {
      const slapd = await startSlapd({certificate, users: [alice]});
      try {
        const dn = `uid=alice,${slapd.peopleDn}`;
        await assert.rejects(bindAs({url: slapd.ldapsUrl, tlsOptions: {ca: [slapd.caPem]}}, dn, alice.password), {code});
        await assert.rejects(
          withClient({url: slapd.url}, (c) => c.startTLS({ca: [slapd.caPem]})),
          {code},
        );
        // The server itself works: only the certificate is refused.
        await bindAs({url: slapd.ldapsUrl, tlsOptions: {rejectUnauthorized: false}}, dn, alice.password);
      } finally {
        await slapd.close();
      }
    });
  }
});

describe('two directories side by side', {skip}, () => {
  test('each has its own ports, base, users and CA', async () => {
    const [acme, globex] = await Promise.all([
      startSlapd({baseDn: 'dc=acme,dc=example', users: [alice]}),
      startSlapd({baseDn: 'o=globex', users: [{...alice, password: 'another password', mail: 'alice@globex.example'}]}),
    ]);
    try {
      assert.equal(new Set([acme.port, acme.ldapsPort, globex.port, globex.ldapsPort]).size, 4);
      await bindAs({url: acme.url}, `uid=alice,ou=people,dc=acme,dc=example`, alice.password);
      await bindAs({url: globex.url}, `uid=alice,ou=people,o=globex`, 'another password');
      await assert.rejects(bindAs({url: globex.url}, `uid=alice,ou=people,o=globex`, alice.password), InvalidCredentialsError);
      await assert.rejects(bindAs({url: globex.url}, `uid=alice,ou=people,dc=acme,dc=example`, alice.password), InvalidCredentialsError);
      await bindAs({url: globex.ldapsUrl, tlsOptions: {ca: [globex.caPem]}}, `uid=alice,ou=people,o=globex`, 'another password');
      await assert.rejects(bindAs({url: globex.ldapsUrl, tlsOptions: {ca: [acme.caPem]}}, `uid=alice,ou=people,o=globex`, 'another password'), {
        code: 'SELF_SIGNED_CERT_IN_CHAIN',
      });
      await acme.stop();
      await bindAs({url: globex.url}, `uid=alice,ou=people,o=globex`, 'another password');
    } finally {
      await Promise.all([acme.close(), globex.close()]);
    }
  });
});

describe('no slapd is left behind', {skip}, () => {
  test('close() ends slapd and removes its directory', async () => {
    const slapd = await startSlapd();
    const {pid, dir} = slapd;
    await slapd.close();
    assert.equal(running(pid!), false);
    assert.equal(existsSync(dir), false);
  });

  // A test process that starts slapd, prints its pid and directory, then ends as `how` says.
  const orphanScript = (how: string) => `
    import {startSlapd} from ${JSON.stringify(new URL('./slapd.ts', import.meta.url).href)};
    const slapd = await startSlapd();
    console.log(JSON.stringify({pid: slapd.pid, dir: slapd.dir}));
    ${how}`;

  // SIGKILL runs no exit handler: the kernel ends slapd (parent-death signal), the directory stays.
  for (const [name, how, removesDir] of [
    ['exits without close()', 'process.exit(0);', true],
    ['is killed with SIGKILL', "process.kill(process.pid, 'SIGKILL');", false],
  ] as const) {
    test(`when the test process ${name}`, async () => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', orphanScript(how)], {encoding: 'utf8', timeout: 30_000});
      const line = r.stdout.trim().split('\n').pop() ?? '';
      assert.ok(line.startsWith('{'), `no pid printed: ${r.stderr}`);
      const {pid, dir} = JSON.parse(line) as {pid: number; dir: string};
      assert.equal(await waitUntilGone(pid), true, `slapd ${pid} still runs`);
      assert.equal(existsSync(dir), !removesDir);
      rmSync(dir, {recursive: true, force: true});
    });
  }
});

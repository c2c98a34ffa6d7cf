// A private OpenLDAP directory for the tests: Debian's slapd run as a child process on free loopback
// ports, with its configuration, database and test CA in a temporary directory that goes with it.

import {spawn, spawnSync, type ChildProcess} from 'node:child_process';
import {createHash, randomBytes} from 'node:crypto';
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {Client, DN} from 'ldapts';
import {freePort} from './free-port.js';

const SLAPD = '/usr/sbin/slapd';
const PRLIMIT = '/usr/bin/prlimit';
const SETPRIV = '/usr/bin/setpriv';
const MODULES = '/usr/lib/ldap';
const SCHEMAS = ['core', 'cosine', 'inetorgperson', 'nis'].map((name) => `/etc/ldap/schema/${name}.schema`);
const INSTALL_HINT = 'apt-get install slapd ldap-utils';

let skipReason: string | false | undefined;

/** The `skip` option of a test that needs slapd: why it cannot run here, or false. */
export function slapdSkip(): string | false {
  skipReason ??= findSkipReason();
  return skipReason;
}

function findSkipReason(): string | false {
  if (!existsSync(SLAPD)) return `slapd is not installed: ${INSTALL_HINT}`;
  if (!existsSync(PRLIMIT) || !existsSync(SETPRIV)) return `the slapd tests need prlimit and setpriv: apt-get install util-linux`;
  const missing = [join(MODULES, 'back_mdb.so'), ...SCHEMAS].filter((path) => !existsSync(path));
  if (missing.length > 0) return `slapd lacks ${missing.join(', ')}: ${INSTALL_HINT}`;
  if (spawnSync('openssl', ['version']).status !== 0) return 'openssl is not installed: the slapd tests need it for their test CA';
  const version = spawnSync(SLAPD, ['-VV'], {encoding: 'utf8', timeout: 10_000});
  if (version.status !== 0) return `slapd cannot run here (${version.error?.message ?? version.stderr.trim()})`;
  return false;
}

/** Which certificate the server shows on ldaps and StartTLS. Only `valid` verifies against `caFile`. */
export type ServerCertificate = 'valid' | 'self-signed' | 'other-name';

export interface DirectoryUser {
  uid: string;
  cn: string;
  /** Defaults to cn. */
  sn?: string;
  /** None makes an entry without an e-mail address. */
  mail?: string | string[];
  password: string;
  /** The attribute that names the entry (upstream's own tests name people by cn). Default uid. */
  rdn?: 'uid' | 'cn';
  /** The entry's parent. Default `ou=people,<baseDn>`. */
  parentDn?: string;
  /** More attributes of inetOrgPerson, e.g. employeeType. */
  attributes?: Record<string, string | string[]>;
}

export interface SlapdOptions {
  /** Default dc=acme,dc=example. Its first RDN is dc, o or ou. */
  baseDn?: string;
  users?: DirectoryUser[];
  certificate?: ServerCertificate;
}

export interface Slapd {
  /** ldap://127.0.0.1:port, for plain LDAP and StartTLS. */
  url: string;
  ldapsUrl: string;
  port: number;
  ldapsPort: number;
  baseDn: string;
  /** `ou=people,<baseDn>`, where users go by default. */
  peopleDn: string;
  /** The test CA that signed the `valid` certificate: a file path and its PEM. */
  caFile: string;
  caPem: string;
  /** A read-only service account (not the rootdn): it may search and read entries, not passwords. */
  bindDn: string;
  bindPassword: string;
  /** The temporary directory: slapd.conf, the database, the CA and server keys. */
  dir: string;
  /** The running slapd's pid, or undefined while stopped. */
  readonly pid: number | undefined;
  /** What slapd wrote on stderr (its start-up errors), the last 64 KiB. */
  log(): string;
  /** Adds a user entry (password stored as {SSHA}) and returns its DN. */
  addUser(user: DirectoryUser): Promise<string>;
  /** Adds any entry, as the directory's administrator. */
  addEntry(dn: string, attributes: Record<string, string | string[]>): Promise<void>;
  /** Ends slapd (SIGTERM): connections are refused from then on. The data stays for restart(). */
  stop(): Promise<void>;
  /** Starts slapd again on the same ports with the same data; stops it first if it runs. */
  restart(): Promise<void>;
  /**
   * SIGSTOP: slapd accepts connections (the kernel does) but answers nothing, as a hung server.
   * Resolves once every thread of slapd has stopped.
   */
  pause(): Promise<void>;
  /** SIGCONT after pause(). */
  resume(): void;
  /** Ends slapd and removes its directory. */
  close(): Promise<void>;
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  paused: boolean;
}

/** Whatever is still running when the test process exits is killed, its directory removed. */
const live = new Map<string, () => void>();
process.on('exit', () => {
  for (const kill of live.values()) kill();
});

/** Starts a private slapd and resolves once it answers a bind. */
export async function startSlapd(options: SlapdOptions = {}): Promise<Slapd> {
  const skip = slapdSkip();
  if (skip) throw new Error(skip);
  const baseDn = options.baseDn ?? 'dc=acme,dc=example';
  const peopleDn = `ou=people,${baseDn}`;
  const dir = mkdtempSync(join(tmpdir(), 'wazo-auth-slapd-'));
  const adminDn = `cn=admin,${baseDn}`;
  const adminPassword = randomBytes(12).toString('hex');
  const bindDn = `cn=wazo-auth,${baseDn}`;
  const bindPassword = randomBytes(12).toString('hex');
  let running: Running | undefined;
  let stderr = '';

  live.set(dir, () => {
    running?.child.kill('SIGKILL');
    rmSync(dir, {recursive: true, force: true});
  });

  try {
    const caFile = makeCertificates(dir, options.certificate ?? 'valid');
    const configFile = join(dir, 'slapd.conf');
    mkdirSync(join(dir, 'data'));
    writeFileSync(configFile, slapdConf(dir, baseDn, adminDn, adminPassword), {mode: 0o600});

    let port = 0;
    let ldapsPort = 0;
    const launch = async (): Promise<void> => {
      stderr = '';
      const child = spawn(...slapdCommand(configFile, port, ldapsPort), {stdio: ['ignore', 'ignore', 'pipe']});
      child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-65_536)));
      // A test that forgets close() still ends; the exit handler then kills slapd.
      child.unref();
      (child.stderr as unknown as {unref(): void}).unref();
      // 'close' comes after stderr's last bytes, which say why slapd stopped.
      const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
      const current: Running = {child, exited, paused: false};
      running = current;
      void exited.then(() => {
        if (running === current) running = undefined;
      });
      await waitForBind(`ldap://127.0.0.1:${port}`, adminDn, adminPassword, current, () => stderr);
    };
    const halt = async (): Promise<void> => {
      const current = running;
      if (!current) return;
      current.child.kill('SIGTERM');
      if (current.paused) current.child.kill('SIGCONT');
      const timer = setTimeout(() => current.child.kill('SIGKILL'), 5_000);
      await current.exited;
      clearTimeout(timer);
    };

    // Another process may take a free port before slapd binds it: then new ports, a few times.
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      ldapsPort = await freePort();
      try {
        await launch();
        break;
      } catch (err) {
        if (attempt === 3 || !/errno=98|Address already in use/.test(stderr)) throw err;
      }
    }

    const admin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
      const client = new Client({url: `ldap://127.0.0.1:${port}`, connectTimeout: 5_000, timeout: 5_000});
      try {
        await client.bind(adminDn, adminPassword);
        return await work(client);
      } finally {
        await client.unbind();
      }
    };
    const addEntry = (dn: string, attributes: Record<string, string | string[]>) => admin((c) => c.add(dn, attributes));
    const addUser = async (user: DirectoryUser): Promise<string> => {
      const rdn = user.rdn ?? 'uid';
      const dn = `${new DN({[rdn]: user[rdn]}).toString()},${user.parentDn ?? peopleDn}`;
      const attributes: Record<string, string | string[]> = {
        objectClass: ['top', 'person', 'organizationalPerson', 'inetOrgPerson'],
        uid: user.uid,
        cn: user.cn,
        sn: user.sn ?? user.cn,
        userPassword: ssha(user.password),
        ...user.attributes,
      };
      if (user.mail !== undefined) attributes.mail = user.mail;
      await addEntry(dn, attributes);
      return dn;
    };

    await admin(async (c) => {
      await c.add(baseDn, baseEntry(baseDn));
      await c.add(peopleDn, {objectClass: ['top', 'organizationalUnit'], ou: 'people'});
      await c.add(bindDn, {objectClass: ['top', 'organizationalRole', 'simpleSecurityObject'], cn: 'wazo-auth', userPassword: ssha(bindPassword)});
    });
    for (const user of options.users ?? []) await addUser(user);

    return {
      url: `ldap://127.0.0.1:${port}`,
      ldapsUrl: `ldaps://127.0.0.1:${ldapsPort}`,
      port,
      ldapsPort,
      baseDn,
      peopleDn,
      caFile,
      caPem: readFileSync(caFile, 'utf8'),
      dir,
      bindDn,
      bindPassword,
      get pid() {
        return running?.child.pid;
      },
      log: () => stderr,
      addUser,
      addEntry,
      stop: halt,
      async restart() {
        await halt();
        await launch();
      },
      async pause() {
        if (!running) throw new Error('slapd is not running');
        running.child.kill('SIGSTOP');
        running.paused = true;
        await allThreadsStopped(running.child.pid!);
      },
      resume() {
        if (!running) throw new Error('slapd is not running');
        running.child.kill('SIGCONT');
        running.paused = false;
      },
      async close() {
        await halt();
        live.delete(dir);
        rmSync(dir, {recursive: true, force: true});
      },
    };
  } catch (err) {
    live.get(dir)?.();
    live.delete(dir);
    throw err;
  }
}

/**
 * slapd in the foreground (`-d`; level `none` prints only its errors, 0 would hide them), on
 * loopback only. prlimit: slapd sets up a connection slot per possible descriptor, which makes a
 * high limit cost a start a few hundred milliseconds. setpriv: the kernel kills slapd when the
 * test process dies without running its exit handlers (SIGKILL, a runner's timeout).
 */
function slapdCommand(configFile: string, port: number, ldapsPort: number): [string, string[]] {
  const urls = `ldap://127.0.0.1:${port}/ ldaps://127.0.0.1:${ldapsPort}/`;
  return [PRLIMIT, ['--nofile=1024', '--', SETPRIV, '--pdeathsig', 'KILL', '--', SLAPD, '-d', 'none', '-h', urls, '-f', configFile]];
}

/**
 * Waits until every thread of `pid` is stopped. A process-wide SIGSTOP stops the threads one by
 * one, each when it next runs: on a busy machine a thread woken by a request in the meantime can
 * still answer it.
 */
async function allThreadsStopped(pid: number): Promise<void> {
  const state = (task: string) => {
    try {
      return readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8').split(') ')[1]?.[0];
    } catch {
      return 'gone'; // a thread that ended meanwhile answers nothing either
    }
  };
  for (let i = 0; i < 500; i++) {
    if (readdirSync(`/proc/${pid}/task`).every((task) => ['T', 'gone'].includes(state(task) ?? ''))) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`slapd (pid ${pid}) did not stop within a second of SIGSTOP`);
}

/** Binds until slapd answers, or fails with its log once it exits or 10 s have gone by. */
async function waitForBind(url: string, dn: string, password: string, current: Running, log: () => string): Promise<void> {
  let exited = false;
  void current.exited.then(() => (exited = true));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new Client({url, connectTimeout: 1_000, timeout: 1_000});
    try {
      await client.bind(dn, password);
      await client.unbind();
      return;
    } catch (err) {
      await client.unbind().catch(() => undefined);
      if (exited || Date.now() > deadline) {
        current.child.kill('SIGKILL');
        throw new Error(`slapd did not start on ${url} (${(err as Error).message}): ${log().trim()}`);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function slapdConf(dir: string, baseDn: string, adminDn: string, adminPassword: string): string {
  return [
    ...SCHEMAS.map((path) => `include ${path}`),
    `pidfile ${join(dir, 'slapd.pid')}`,
    `argsfile ${join(dir, 'slapd.args')}`,
    `modulepath ${MODULES}`,
    'moduleload back_mdb',
    `TLSCACertificateFile ${join(dir, 'ca.pem')}`,
    `TLSCertificateFile ${join(dir, 'server.pem')}`,
    `TLSCertificateKeyFile ${join(dir, 'server.key')}`,
    'database mdb',
    'maxsize 67108864',
    `suffix "${baseDn}"`,
    `rootdn "${adminDn}"`,
    `rootpw ${ssha(adminPassword)}`,
    `directory ${join(dir, 'data')}`,
    // No fsync per write: a test directory need not survive a power cut, and each sync is slow.
    'dbnosync',
    'index objectClass,uid,mail,cn eq',
    // As a company directory: anyone may bind, bound users read entries, nobody reads passwords.
    'access to attrs=userPassword by self =xw by anonymous auth by * none',
    'access to * by users read by * none',
    '',
  ].join('\n');
}

function baseEntry(baseDn: string): Record<string, string | string[]> {
  const [attribute, value] = (baseDn.split(',')[0] ?? '').split('=').map((s) => s.trim());
  if (!value) throw new Error(`base DN ${baseDn} has no first RDN`);
  switch (attribute?.toLowerCase()) {
    case 'dc':
      return {objectClass: ['top', 'dcObject', 'organization'], dc: value, o: value};
    case 'o':
      return {objectClass: ['top', 'organization'], o: value};
    case 'ou':
      return {objectClass: ['top', 'organizationalUnit'], ou: value};
    default:
      throw new Error(`base DN ${baseDn}: its first RDN must be dc, o or ou`);
  }
}

/** slapd's {SSHA}: SHA-1 over the password and a salt, then the salt, in base64. */
function ssha(password: string): string {
  const salt = randomBytes(8);
  const digest = createHash('sha1').update(password).update(salt).digest();
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`;
}

/** A test CA and the server's key and certificate (P-256: fast to make); returns the CA's file. */
function makeCertificates(dir: string, certificate: ServerCertificate): string {
  const ca = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca.key');
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2'];
  openssl([
    'req',
    '-x509',
    ...newKey,
    '-keyout',
    caKey,
    '-out',
    ca,
    '-subj',
    '/CN=wazo-auth test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  const names = certificate === 'other-name' ? 'DNS:ldap.elsewhere.invalid' : 'IP:127.0.0.1,DNS:localhost';
  const subject = certificate === 'other-name' ? '/CN=ldap.elsewhere.invalid' : '/CN=127.0.0.1';
  // self-signed: the server's certificate is its own issuer, so the test CA does not vouch for it.
  const issuer = certificate === 'self-signed' ? ['-x509'] : ['-CA', ca, '-CAkey', caKey];
  openssl([
    'req',
    ...issuer,
    ...newKey,
    '-keyout',
    join(dir, 'server.key'),
    '-out',
    join(dir, 'server.pem'),
    '-subj',
    subject,
    '-addext',
    `subjectAltName=${names}`,
    '-addext',
    'basicConstraints=CA:FALSE',
    '-addext',
    'extendedKeyUsage=serverAuth',
  ]);
  return ca;
}

function openssl(args: string[]): void {
  const r = spawnSync('openssl', args, {encoding: 'utf8', timeout: 10_000});
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.error?.message ?? r.stderr}`);
}

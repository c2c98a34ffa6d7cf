// A real SAML identity provider for the tests: Debian's SimpleSAMLphp under PHP's built-in server
// on a free loopback port, with a configuration generated in a temporary folder for each start.
import {execFile, spawn, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {existsSync, rmSync} from 'node:fs';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {promisify} from 'node:util';
import {request} from 'undici';
import {freePort} from './free-port.js';

/** Where Debian's simplesamlphp package puts the web root (`php -S` serves it). */
export const SIMPLESAMLPHP_WWW = '/usr/share/simplesamlphp/www';

const execFileAsync = promisify(execFile);

export const NAMEID_TRANSIENT = 'urn:oasis:names:tc:SAML:2.0:nameid-format:transient';
export const NAMEID_EMAIL = 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress';
const ATTRNAME_FORMAT_UNSPECIFIED = 'urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified';
const HTTP_REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';
const HTTP_POST = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST';

/** The `skip` option of a test that needs the identity provider: why it cannot run here, or false. */
export const samlIdpSkip: string | false = findMissing();

function findMissing(): string | false {
  if (!existsSync(join(SIMPLESAMLPHP_WWW, 'saml2', 'idp', 'SSOService.php'))) {
    return `SimpleSAMLphp is not installed (${SIMPLESAMLPHP_WWW}; apt-get install simplesamlphp, as .ci/run does): SAML tests skipped`;
  }
  const probe = spawnSync('php', ['-r', 'foreach (["dom", "openssl", "mbstring"] as $e) if (!extension_loaded($e)) { echo $e, " "; }'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (probe.error || probe.status !== 0) return 'php (php-cli) cannot run: SAML tests skipped';
  if (probe.stdout.trim()) return `php lacks the extensions ${probe.stdout.trim()} (php-xml, php-mbstring): SAML tests skipped`;
  return false;
}

export interface SamlTestUser {
  username: string;
  password: string;
  /** Attribute name (e.g. Entra ID's `http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name`, or `name`) to values. */
  attributes: Record<string, string | string[]>;
}

export interface SamlTestServiceProvider {
  entityId: string;
  /** Where the provider posts its response (HTTP-POST binding). */
  acsUrl: string;
  /** Where the provider sends logout requests and responses (HTTP-Redirect binding). */
  slsUrl?: string;
  /** The service provider's signing certificate (PEM): given, the provider refuses unsigned requests. */
  cert?: string;
  /** The NameID format issued to it: transient (SimpleSAMLphp's default) unless said. */
  nameIdFormat?: string;
  /** The user attribute whose first value is the NameID (for formats other than transient). */
  nameIdAttribute?: string;
  /** NotOnOrAfter of the assertion and its subject, in seconds from the login (300 by default); negative is already expired. */
  assertionLifetimeSeconds?: number;
  /** Whether the provider signs the Response and the Assertion; both by default. */
  signResponse?: boolean;
  signAssertion?: boolean;
  /** Whether the provider signs its LogoutRequest and LogoutResponse redirects (SigAlg, Signature); yes by default. */
  signLogout?: boolean;
}

export interface SamlIdpOptions {
  users: SamlTestUser[];
  serviceProviders: SamlTestServiceProvider[];
}

export interface RunningSamlIdp {
  /** http://127.0.0.1:port */
  url: string;
  entityId: string;
  /** SingleSignOnService, HTTP-Redirect binding. */
  ssoUrl: string;
  /** SingleLogoutService, HTTP-Redirect binding. */
  sloUrl: string;
  metadataUrl: string;
  /** The provider's metadata as it serves it: what a tenant's administrator uploads. */
  metadataXml: string;
  /** The provider's signing certificate. */
  certPem: string;
  /** The temporary folder with the configuration, the PHP sessions and the log. */
  dir: string;
  /** SimpleSAMLphp's log so far (its file) and PHP's server output, for failure messages. */
  log(): Promise<string>;
  stop(): Promise<void>;
}

/** A self-signed RSA key pair made by openssl, as PEM; `dir` receives the two files. */
export async function selfSignedCertificate(dir: string, name: string): Promise<{keyPem: string; certPem: string; keyFile: string; certFile: string}> {
  const keyFile = join(dir, `${name}.key`);
  const certFile = join(dir, `${name}.crt`);
  await execFileAsync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-sha256',
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
  return {keyPem: await readFile(keyFile, 'utf8'), certPem: await readFile(certFile, 'utf8'), keyFile, certFile};
}

/** The base64 body of a PEM certificate, as SAML metadata carries it. */
export function certBody(pem: string): string {
  return pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
}

// The PHP files only load JSON written next to them: no value is ever spliced into PHP source.
const phpLoadingJson = (variable: string, file: string) =>
  `<?php\n$${variable} = json_decode(file_get_contents(__DIR__ . '/${file}'), true, 512, JSON_THROW_ON_ERROR);\n`;

/** Starts an identity provider; two or more may run side by side. */
export async function startSamlIdp(options: SamlIdpOptions): Promise<RunningSamlIdp> {
  if (samlIdpSkip) throw new Error(samlIdpSkip);
  for (const user of options.users) {
    // exampleauth:UserPass keys its users by "username:password".
    if (user.username.includes(':')) throw new Error(`a test user name cannot hold ':' (${user.username})`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'wazo-auth-saml-idp-'));
  try {
    const idpKeys = await selfSignedCertificate(dir, 'idp');
    for (const sub of ['config', 'metadata', 'sessions', 'data', 'tmp', 'log']) await mkdir(join(dir, sub));
    await writeAuthSources(dir, options.users);
    await writeServiceProviders(dir, options.serviceProviders);
    // The port is in the configuration (baseurlpath, entity id), so a lost race for it means a new configuration.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      await writeIdpConfiguration(dir, port, idpKeys);
      try {
        return await serve(dir, port, idpKeys.certPem);
      } catch (error) {
        if (!(error instanceof PortTaken) || attempt === 5) throw error;
      }
    }
  } catch (error) {
    await rm(dir, {recursive: true, force: true});
    throw error;
  }
}

async function writeAuthSources(dir: string, users: SamlTestUser[]): Promise<void> {
  // exampleauth:UserPass takes its class name at index 0 and its users as "username:password" keys
  // next to it; JSON's "0" becomes PHP's integer key 0.
  const source: Record<string, unknown> = {0: 'exampleauth:UserPass'};
  for (const user of users) {
    source[`${user.username}:${user.password}`] = Object.fromEntries(
      Object.entries(user.attributes).map(([name, value]) => [name, Array.isArray(value) ? value : [value]]),
    );
  }
  await writeFile(join(dir, 'config', 'authsources.json'), JSON.stringify({users: source}));
  await writeFile(join(dir, 'config', 'authsources.php'), phpLoadingJson('config', 'authsources.json'));
}

async function writeServiceProviders(dir: string, serviceProviders: SamlTestServiceProvider[]): Promise<void> {
  const remote: Record<string, Record<string, unknown>> = {};
  for (const sp of serviceProviders) {
    const entry: Record<string, unknown> = {
      AssertionConsumerService: [{Binding: HTTP_POST, Location: sp.acsUrl, index: 0}],
      NameIDFormat: sp.nameIdFormat ?? NAMEID_TRANSIENT,
      // Written as no NameFormat at all, as Microsoft's claims come and as pysaml2's ADFS map (upstream's
      // SAML library) reads them; node-saml keys its profile by Name whatever the format.
      'attributes.NameFormat': ATTRNAME_FORMAT_UNSPECIFIED,
      'saml20.sign.response': sp.signResponse ?? true,
      'saml20.sign.assertion': sp.signAssertion ?? true,
      'sign.logout': sp.signLogout ?? true,
    };
    if (sp.slsUrl) entry.SingleLogoutService = [{Binding: HTTP_REDIRECT, Location: sp.slsUrl}];
    if (sp.nameIdAttribute) entry['simplesaml.nameidattribute'] = sp.nameIdAttribute;
    if (sp.assertionLifetimeSeconds !== undefined) entry['assertion.lifetime'] = sp.assertionLifetimeSeconds;
    if (sp.cert) {
      entry.certData = certBody(sp.cert);
      entry['validate.authnrequest'] = true;
      entry['validate.logout'] = true;
    }
    remote[sp.entityId] = entry;
  }
  await writeFile(join(dir, 'metadata', 'saml20-sp-remote.json'), JSON.stringify(remote));
  await writeFile(join(dir, 'metadata', 'saml20-sp-remote.php'), phpLoadingJson('metadata', 'saml20-sp-remote.json'));
}

async function writeIdpConfiguration(dir: string, port: number, keys: {keyFile: string; certFile: string}): Promise<void> {
  const base = `http://127.0.0.1:${port}/`;
  const config = {
    baseurlpath: base,
    certdir: dir,
    loggingdir: join(dir, 'log'),
    datadir: join(dir, 'data'),
    tempdir: join(dir, 'tmp'),
    metadatadir: join(dir, 'metadata'),
    secretsalt: randomBytes(24).toString('hex'),
    'auth.adminpassword': randomBytes(24).toString('hex'),
    technicalcontact_name: 'wazo-auth tests',
    technicalcontact_email: 'tests@wazo.invalid',
    timezone: 'UTC',
    'logging.handler': 'file',
    'logging.logfile': 'simplesamlphp.log',
    'logging.level': 7, // SimpleSAML\Logger::DEBUG
    'enable.saml20-idp': true,
    'module.enable': {exampleauth: true, core: true, saml: true},
    'store.type': 'phpsession',
    'session.phpsession.savepath': join(dir, 'sessions'),
    'session.phpsession.cookiename': `SimpleSAML${port}`,
    'session.cookie.name': `SimpleSAMLSessionID${port}`,
    'session.authtoken.cookiename': `SimpleSAMLAuthToken${port}`,
    // Plain HTTP on loopback: a Secure cookie would never come back.
    'session.cookie.secure': false,
    'session.cookie.samesite': null,
    'language.cookie.secure': false,
    'admin.checkforupdates': false,
    'metadata.sources': [{type: 'flatfile'}],
    showerrors: true,
    errorreporting: false,
  };
  await writeFile(join(dir, 'config', 'config.json'), JSON.stringify(config));
  await writeFile(join(dir, 'config', 'config.php'), phpLoadingJson('config', 'config.json'));

  const entityId = `${base}saml2/idp/metadata.php`;
  const hosted = {
    [entityId]: {
      host: '__DEFAULT__',
      privatekey: keys.keyFile,
      certificate: keys.certFile,
      auth: 'users',
      'signature.algorithm': 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      SingleSignOnServiceBinding: [HTTP_REDIRECT, HTTP_POST],
      SingleLogoutServiceBinding: [HTTP_REDIRECT],
    },
  };
  await writeFile(join(dir, 'metadata', 'saml20-idp-hosted.json'), JSON.stringify(hosted));
  await writeFile(join(dir, 'metadata', 'saml20-idp-hosted.php'), phpLoadingJson('metadata', 'saml20-idp-hosted.json'));
}

class PortTaken extends Error {}

async function serve(dir: string, port: number, certPem: string): Promise<RunningSamlIdp> {
  const url = `http://127.0.0.1:${port}`;
  const child = spawn('php', ['-d', 'opcache.enable_cli=1', '-S', `127.0.0.1:${port}`, '-t', SIMPLESAMLPHP_WWW], {
    cwd: dir,
    env: {...process.env, SIMPLESAMLPHP_CONFIG_DIR: join(dir, 'config')},
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A test process that ends without stop() must not leave a server or its files behind.
  const killOnExit = () => {
    child.kill('SIGKILL');
    rmSync(dir, {recursive: true, force: true});
  };
  process.once('exit', killOnExit);
  const stopServer = async () => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };

  // PHP says "Development Server (http://127.0.0.1:port) started" once it listens, or why it cannot.
  const listening = await new Promise<boolean>((resolve) => {
    child.stderr!.on('data', (d) => {
      output += d;
      if (output.includes(`(${url}) started`)) resolve(true);
    });
    void exited.then(() => resolve(false));
  });
  if (!listening) {
    await stopServer();
    if (/Address already in use/.test(output)) throw new PortTaken(output);
    throw new Error(`SimpleSAMLphp did not start on ${url}: ${output}`);
  }

  const metadataUrl = `${url}/saml2/idp/metadata.php`;
  try {
    const answer = await request(metadataUrl);
    const metadataXml = await answer.body.text();
    if (answer.statusCode !== 200 || !metadataXml.includes(`entityID="${metadataUrl}"`)) {
      throw new Error(`the identity provider's metadata answered ${answer.statusCode}: ${metadataXml.slice(0, 2000)}\n${await readLog(dir, output)}`);
    }
    return {
      url,
      entityId: metadataUrl,
      ssoUrl: `${url}/saml2/idp/SSOService.php`,
      sloUrl: `${url}/saml2/idp/SingleLogoutService.php`,
      metadataUrl,
      metadataXml,
      certPem,
      dir,
      log: () => readLog(dir, output),
      async stop() {
        await stopServer();
        await rm(dir, {recursive: true, force: true});
      },
    };
  } catch (error) {
    await stopServer();
    throw error;
  }
}

async function readLog(dir: string, serverOutput: string): Promise<string> {
  const log = await readFile(join(dir, 'log', 'simplesamlphp.log'), 'utf8').catch(() => '');
  return `--- simplesamlphp.log\n${log}--- php -S\n${serverOutput}`;
}

// What an upstream wazo-auth install holds, drawn from a seed as upstream's code would have made
// it (its DAOs, and the services that run at its start): the rows upstream-db.ts writes.
import {pbkdf2} from 'node:crypto';
import {promisify} from 'node:util';

export interface FillOptions {
  /** The same seed draws the same rows: uuids, names, salts, passwords, choices. */
  seed?: number;
  /** Tenants below the master tenant, each under the master or an earlier one. */
  tenants?: number;
  usersPerTenant?: number;
  policiesPerTenant?: number;
  groupsPerTenant?: number;
  /** Share (0 to 1) of the users able to log in who hold refresh tokens. */
  refreshTokenShare?: number;
  /** Share (0 to 1) of the users able to log in who have an open (or expired) session. */
  sessionShare?: number;
  /**
   * How many (password, salt) pairs the users with a password share; by default one each, as
   * upstream draws a salt per user. Each pair costs a PBKDF2 of 250 000 rounds (a quarter to half
   * a second here), so a bulk fill asks for a few.
   */
  distinctPasswords?: number;
  /** Seconds since the epoch that token times and refresh-token ages are drawn around. */
  now?: number;
}

export interface UpstreamTenant {
  uuid: string;
  name: string | null;
  slug: string;
  parentUuid: string;
  phone: string | null;
  contactUuid: string | null;
  defaultAuthenticationMethod: string;
  domains: {uuid: string; name: string}[];
  /** auth_address, a row only when some field is set (upstream skips an empty address). */
  address: {line_1: string | null; line_2: string | null; city: string | null; state: string | null; zip_code: string | null; country: string | null} | null;
  allUsersGroupUuid: string;
}

export interface UpstreamUser {
  uuid: string;
  tenantUuid: string;
  username: string | null;
  firstname: string | null;
  lastname: string | null;
  purpose: 'user' | 'internal' | 'external_api';
  enabled: boolean;
  /** auth_user.authentication_method: default, native, ldap or saml. */
  authenticationMethod: string;
  /** The method upstream applies: the tenant's when the user's is `default`. */
  effectiveAuthenticationMethod: string;
  /** The password in clear, known to the tests; null for a user without one. */
  password: string | null;
  /** auth_user.password_salt (bytea) and auth_user.password_hash (hex text), both null or both set. */
  salt: Buffer | null;
  passwordHash: string | null;
  emails: {uuid: string; address: string; main: boolean; confirmed: boolean}[];
  policyUuids: string[];
  /** Its auth_user_group rows: its tenant's all-users group always, as upstream's user creation adds it. */
  groupUuids: string[];
  /** A login that finds it upstream: its username, else a confirmed e-mail (the main one first); null if none. */
  login: string | null;
  /** Whether a password login opens a session upstream: enabled, a password, `native` in effect, a login. */
  passwordLogin: boolean;
}

export interface UpstreamPolicy {
  uuid: string;
  tenantUuid: string;
  name: string;
  slug: string;
  description: string | null;
  acl: string[];
  shared: boolean;
  configManaged: boolean;
}

export interface UpstreamGroup {
  uuid: string;
  tenantUuid: string;
  name: string;
  slug: string;
  systemManaged: boolean;
  /** Its auth_user_group rows. */
  userUuids: string[];
  policyUuids: string[];
}

export interface UpstreamRefreshToken {
  /** The primary key, and the very value the client holds. */
  uuid: string;
  clientId: string;
  userUuid: string;
  backend: string;
  login: string;
  userAgent: string;
  remoteAddr: string;
  /** Seconds since the epoch (a timestamptz upstream). */
  createdAt: number;
  mobile: boolean;
  metadata: Record<string, unknown>;
}

export interface UpstreamSession {
  uuid: string;
  tenantUuid: string;
  mobile: boolean;
  /** Its one auth_token row: the uuid is the token value. */
  token: {
    uuid: string;
    authId: string;
    pbxUserUuid: string | null;
    xivoUuid: string;
    issuedT: number;
    expireT: number;
    acl: string[];
    metadata: Record<string, unknown>;
    userAgent: string;
    remoteAddr: string;
    refreshTokenUuid: string | null;
  };
}

export interface UpstreamLdapConfig {
  tenantUuid: string;
  host: string;
  port: number;
  protocolVersion: number;
  protocolSecurity: 'ldaps' | 'tls' | null;
  bindDn: string | null;
  /** In clear, as upstream keeps it. */
  bindPassword: string | null;
  userBaseDn: string;
  userLoginAttribute: string;
  userEmailAttribute: string;
  searchFilters: string | null;
}

export interface UpstreamSamlConfig {
  tenantUuid: string;
  domainUuid: string;
  entityId: string;
  idpMetadata: string;
  acsUrl: string;
}

export interface UpstreamContents {
  masterTenantUuid: string;
  /** The stack's XIVO_UUID, in every token. */
  xivoUuid: string;
  now: number;
  /** The master tenant first, then the others parents before children. */
  tenants: UpstreamTenant[];
  users: UpstreamUser[];
  /** The fixture's master policy, the configuration's default policies, then the tenants'. */
  policies: UpstreamPolicy[];
  groups: UpstreamGroup[];
  refreshTokens: UpstreamRefreshToken[];
  sessions: UpstreamSession[];
  ldapConfigs: UpstreamLdapConfig[];
  samlConfigs: UpstreamSamlConfig[];
  externalAuth: {
    types: {uuid: string; name: string; enabled: boolean}[];
    /** auth_external_auth_config.data and auth_user_external_auth.data hold these as JSON text. */
    configs: {typeUuid: string; tenantUuid: string; data: Record<string, unknown>}[];
    users: {typeUuid: string; userUuid: string; data: Record<string, unknown>}[];
  };
  /** Rows per table of the database as read back after the fill, alembic_version_auth included. */
  counts: Record<string, number>;
}

const pbkdf2Async = promisify(pbkdf2);
const hashes = new Map<string, Promise<string>>();

/**
 * auth_user.password_hash as upstream's PasswordEncrypter computes it: PBKDF2-HMAC-SHA512 of the
 * UTF-8 password over the salt (auth_user.password_salt, 64 random bytes in a bytea), 250 000
 * rounds, a 64-byte key written as lower-case hex text. Remembered per process: fills with one
 * seed cost their hashes once.
 */
export function upstreamPasswordHash(password: string, salt: Buffer): Promise<string> {
  const key = `${salt.toString('hex')}:${password}`;
  let hash = hashes.get(key);
  if (!hash) {
    hash = pbkdf2Async(Buffer.from(password, 'utf8'), salt, 250_000, 64, 'sha512').then((key) => key.toString('hex'));
    hashes.set(key, hash);
  }
  return hash;
}

/** Python's json.dumps with its defaults, as upstream serialises metadata and external-auth data: ', ' and ': ', ASCII only. */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  return `{${Object.entries(value)
    .map(([key, item]) => `${pythonJson(key)}: ${pythonJson(item)}`)
    .join(', ')}}`;
}

/** Upstream's Slug.from_name: what is not [a-zA-Z0-9_-] dropped, 80 characters at most. */
function slugOf(name: string): string {
  return name.replace(/[^a-zA-Z0-9_-]/g, '').slice(0, 80);
}

/** mulberry32 with the draws the fill needs. */
class Draw {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  /** Up to `max` distinct items, in their order. */
  some<T>(items: readonly T[], max: number): T[] {
    return this.distinct(items, this.int(max + 1));
  }
  /** `count` distinct items (all of them if fewer), in their order. */
  distinct<T>(items: readonly T[], count: number): T[] {
    count = Math.min(items.length, count);
    const chosen = new Set<number>();
    while (chosen.size < count) chosen.add(this.int(items.length));
    return [...chosen].sort((a, b) => a - b).map((i) => items[i] as T);
  }
  bytes(n: number): Buffer {
    return Buffer.from(Array.from({length: n}, () => this.int(256)));
  }
  hex(bytes: number): string {
    return this.bytes(bytes).toString('hex');
  }
  /** A version 4 uuid, as uuid_generate_v4() makes them. */
  uuid(): string {
    const b = this.bytes(16);
    b[6] = (b[6]! & 0x0f) | 0x40;
    b[8] = (b[8]! & 0x3f) | 0x80;
    const h = b.toString('hex');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
}

// What a Wazo stack's configuration makes wazo-auth create at its start: default policies in the
// master tenant (config-managed), the all-users policy of every tenant's all-users group, and a
// default admin group in every tenant. The names are upstream's; the ACLs are samples.
const DEFAULT_USER_POLICY = 'wazo_default_user_policy';
const DEFAULT_ADMIN_POLICY = 'wazo_default_admin_policy';
const DEFAULT_ADMIN_GROUP = 'wazo_default_admin_group';
const DEFAULT_POLICY_ACL: Record<string, string[]> = {
  [DEFAULT_USER_POLICY]: [
    'auth.users.me.read',
    'auth.users.me.password.update',
    'auth.users.me.tokens.*',
    'auth.sessions.my_session.delete',
    'confd.users.me.read',
    'calld.users.me.#',
    'chatd.users.me.#',
    'dird.directories.lookup.*.read',
    'websocketd',
  ],
  [DEFAULT_ADMIN_POLICY]: ['auth.#', 'confd.#', 'calld.#', 'dird.#', 'webhookd.#', '!auth.tenants.*.delete'],
};
const EXTERNAL_AUTH_TYPES = ['google', 'microsoft', 'mobile'];

const ACCESSES = [
  'confd.users.read',
  'confd.users.*.read',
  'confd.users.me.#',
  'confd.lines.*.update',
  'calld.calls.read',
  'calld.users.me.#',
  'dird.directories.lookup.*.read',
  'auth.users.me.read',
  'auth.users.*.read',
  'auth.sessions.my_session.delete',
  'webhookd.#',
  '!confd.users.*.delete',
  'chatd.users.me.presences.read',
  'agentd.agents.by-id.*.read',
  'amid.action.Ping.create',
  'websocketd',
];

type Kind = 'user' | 'email-only' | 'native' | 'disabled' | 'non-ascii' | 'no-password' | 'internal' | 'ldap' | 'external-api' | 'saml';
/** One after the other across all users, so that a fill of ten or more has each. */
const KINDS: Kind[] = ['user', 'email-only', 'native', 'disabled', 'non-ascii', 'no-password', 'internal', 'ldap', 'external-api', 'saml'];
/** One after the other across the tenants below the master. */
const TENANT_METHODS = ['native', 'native', 'ldap', 'native', 'saml'];
const METHOD_OF_KIND: Partial<Record<Kind, string>> = {native: 'native', internal: 'native', 'external-api': 'native', ldap: 'ldap', saml: 'saml'};
const FIRST_NAMES = ['Alice', 'Bruno', 'Chloé', 'Dmitri', 'Eun-ji', 'François', 'Grace', 'Hamid'];
const LAST_NAMES = ['Martin', 'Nguyen', 'Okafor', 'Petrov', 'Quintero', 'Røed', 'Silva', 'Tremblay'];
const CLIENTS = ['wazo-desktop', 'wazo-mobile', 'portal', 'crm-sync'];

/** The rows of the fixture a fill builds on. */
export interface SeedRows {
  master: UpstreamTenant;
  masterPolicy: UpstreamPolicy;
}

/** Draws every row in memory, hashes included, in the order an install makes them. */
export async function drawInstall(seed: SeedRows, options: FillOptions): Promise<UpstreamContents> {
  const install = new InstallDraw(seed, options);
  install.startup();
  install.tenants(options.tenants ?? 5);
  install.policies(options.policiesPerTenant ?? 2);
  install.users(options.usersPerTenant ?? 3, options.groupsPerTenant ?? 2, options.distinctPasswords ?? Infinity);
  await install.hashPasswords();
  install.settings();
  install.sessions(options.refreshTokenShare ?? 0.5, options.sessionShare ?? 0.5);
  return install.contents;
}

class InstallDraw {
  readonly contents: UpstreamContents;
  private readonly d: Draw;
  private readonly master: UpstreamTenant;
  private readonly groups = new Map<string, UpstreamGroup>();
  private readonly policyByUuid = new Map<string, UpstreamPolicy>();
  private readonly passwords: {password: string; salt: Buffer}[] = [];

  constructor({master, masterPolicy}: SeedRows, options: FillOptions) {
    this.d = new Draw(options.seed ?? 1);
    this.master = master;
    this.contents = {
      masterTenantUuid: master.uuid,
      xivoUuid: this.d.uuid(),
      now: options.now ?? Math.floor(Date.now() / 1000),
      tenants: [master],
      users: [],
      policies: [],
      groups: [],
      refreshTokens: [],
      sessions: [],
      ldapConfigs: [],
      samlConfigs: [],
      externalAuth: {types: [], configs: [], users: []},
      counts: {},
    };
    this.addPolicy(masterPolicy);
    const name = `wazo-all-users-tenant-${master.uuid}`;
    this.addGroup({uuid: master.allUsersGroupUuid, tenantUuid: master.uuid, name, slug: name, systemManaged: true, userUuids: [], policyUuids: []});
  }

  /** What the daemon's start writes from a Wazo stack's configuration: external auth types, default policies, the all-users policy. */
  startup(): void {
    const {d, contents} = this;
    contents.externalAuth.types = EXTERNAL_AUTH_TYPES.map((name) => ({uuid: d.uuid(), name, enabled: true}));
    for (const [slug, acl] of Object.entries(DEFAULT_POLICY_ACL)) {
      this.addPolicy({
        uuid: d.uuid(),
        tenantUuid: this.master.uuid,
        name: slug,
        slug,
        description: 'Automatically created',
        acl,
        shared: false,
        configManaged: true,
      });
    }
    this.groups.get(this.master.allUsersGroupUuid)!.policyUuids.push(this.defaultPolicy(DEFAULT_USER_POLICY));
    this.tenantGroups(this.master);
  }

  /** Tenants, each under the master or an earlier one, with domains, an address every other one, and the groups upstream makes with a tenant. */
  tenants(count: number): void {
    const {d, contents} = this;
    for (let t = 0; t < count; t += 1) {
      // The second tenant under the first, the others anywhere: the tree has depth whatever the seed.
      const parent = t === 1 ? contents.tenants[1]! : d.pick(contents.tenants);
      const slug = `t${t}_${d.hex(2)}`;
      const method = TENANT_METHODS[t % TENANT_METHODS.length]!;
      const tenant: UpstreamTenant = {
        uuid: d.uuid(),
        name: d.chance(0.9) ? `Tenant ${t} – ${d.pick(LAST_NAMES)} & Co` : null,
        // Upstream's tenant slugs keep their case; their uniqueness does not ignore it.
        slug: d.chance(0.3) ? slug.toUpperCase() : slug,
        parentUuid: parent.uuid,
        phone: d.chance(0.5) ? `+1 555 01${String(d.int(100)).padStart(2, '0')}` : null,
        contactUuid: null,
        defaultAuthenticationMethod: method,
        domains: Array.from({length: method === 'saml' ? 1 + d.int(2) : d.int(3)}, (_, i) => ({
          uuid: d.uuid(),
          name: `${slug.replace('_', '-')}-${i}.example.com`,
        })),
        address:
          t % 2 === 0
            ? {line_1: `${1 + d.int(999)} rue Sainte-Catherine`, line_2: null, city: 'Montréal', state: 'QC', zip_code: 'H2X 1Z4', country: 'CA'}
            : null,
        allUsersGroupUuid: d.uuid(),
      };
      contents.tenants.push(tenant);
      const name = `wazo-all-users-tenant-${tenant.uuid}`;
      this.addGroup({
        uuid: tenant.allUsersGroupUuid,
        tenantUuid: tenant.uuid,
        name,
        slug: name,
        systemManaged: true,
        userUuids: [],
        policyUuids: [this.defaultPolicy(DEFAULT_USER_POLICY)],
      });
      this.tenantGroups(tenant);
    }
  }

  /** The policies of each tenant but the master; some shared with the tenant's descendants. */
  policies(perTenant: number): void {
    const {d} = this;
    for (const tenant of this.contents.tenants.slice(1)) {
      for (let p = 0; p < perTenant; p += 1) {
        const name = `${d.pick(['Support', 'Sales', 'Agents', 'Reception', 'Night shift'])} ${tenant.slug} ${p}`;
        this.addPolicy({
          uuid: d.uuid(),
          tenantUuid: tenant.uuid,
          name,
          slug: slugOf(name),
          description: d.chance(0.5) ? `Who may do what in ${tenant.name ?? tenant.slug}` : null,
          acl: d.some(ACCESSES, 5),
          shared: this.contents.policies.every((policy) => !policy.shared) || d.chance(0.3),
          configManaged: false,
        });
      }
    }
  }

  /** The bootstrap user, then each tenant's users, their policies and groups. */
  users(perTenant: number, groupsPerTenant: number, distinctPasswords: number): void {
    const {d, contents} = this;
    const cli = this.addUser(this.master, 'internal', {
      username: 'wazo-auth-cli',
      firstname: null,
      lastname: null,
      purpose: 'internal',
      authenticationMethod: 'native',
      ...this.credentials(false, distinctPasswords),
      emails: [],
    });
    cli.policyUuids.push(contents.policies[0]!.uuid);
    let n = 0;
    for (const tenant of contents.tenants.slice(1)) {
      const members: UpstreamUser[] = [];
      for (let u = 0; u < perTenant; u += 1, n += 1) {
        const kind = KINDS[n % KINDS.length]!;
        const first = kind === 'non-ascii' ? 'Hélène' : d.pick(FIRST_NAMES);
        const last = kind === 'non-ascii' ? 'Müller-Šimić' : d.pick(LAST_NAMES);
        const local = `${asciiOf(first)}.${asciiOf(last)}${n}`;
        const emailCount = kind === 'internal' ? 0 : kind === 'email-only' ? 1 : d.int(3);
        const withPassword = !['no-password', 'ldap', 'saml'].includes(kind);
        members.push(
          this.addUser(tenant, kind, {
            username: kind === 'email-only' ? null : d.chance(0.5) ? local : local.toLowerCase(),
            firstname: kind === 'internal' ? null : first,
            lastname: kind === 'internal' ? null : last,
            purpose: kind === 'internal' ? 'internal' : kind === 'external-api' ? 'external_api' : 'user',
            authenticationMethod: METHOD_OF_KIND[kind] ?? 'default',
            ...(withPassword ? this.credentials(kind === 'non-ascii', distinctPasswords) : {password: null, salt: null}),
            emails: Array.from({length: emailCount}, (_, i) => ({
              uuid: d.uuid(),
              // Upstream keeps the case given; its uniqueness ignores it.
              address: `${i === 0 ? local : `${local}.alt${i}`}@${tenant.domains[0]?.name ?? 'example.org'}`.replace(/^./, (c) =>
                d.chance(0.5) ? c.toLowerCase() : c,
              ),
              main: i === 0,
              confirmed: kind === 'email-only' || d.chance(0.6),
            })),
          }),
        );
      }
      if (members.length > 0 && d.chance(0.6)) tenant.contactUuid = d.pick(members).uuid;
      const visible = this.visiblePolicies(tenant);
      const admins = contents.groups.find((group) => group.tenantUuid === tenant.uuid && group.slug === DEFAULT_ADMIN_GROUP)!;
      if (members[0]) this.join(admins, members[0]);
      for (const user of members) user.policyUuids.push(...d.some(visible, 2).map((policy) => policy.uuid));
      for (let g = 0; g < groupsPerTenant; g += 1) {
        const name = `${d.pick(['Team', 'Office', 'Crew'])} ${g} of ${tenant.slug}`;
        const group = this.addGroup({
          uuid: d.uuid(),
          tenantUuid: tenant.uuid,
          name,
          slug: slugOf(name),
          systemManaged: false,
          userUuids: [],
          policyUuids: d.some(visible, 2).map((policy) => policy.uuid),
        });
        for (const user of d.some(members, members.length)) this.join(group, user);
      }
    }
  }

  async hashPasswords(): Promise<void> {
    await Promise.all(
      this.contents.users.map(async (user) => {
        if (user.password !== null && user.salt) user.passwordHash = await upstreamPasswordHash(user.password, user.salt);
      }),
    );
  }

  /** LDAP and SAML where a tenant or one of its users logs in that way; external-auth settings here and there. */
  settings(): void {
    const {d, contents} = this;
    for (const tenant of contents.tenants.slice(1)) {
      const methods = new Set(contents.users.filter((user) => user.tenantUuid === tenant.uuid).map((user) => user.effectiveAuthenticationMethod));
      if (methods.has('ldap')) {
        const security = d.pick(['ldaps', 'tls', null] as const);
        contents.ldapConfigs.push({
          tenantUuid: tenant.uuid,
          host: `ldap.${tenant.slug.toLowerCase()}.example.com`,
          port: security === 'ldaps' ? 636 : 389,
          protocolVersion: 3,
          protocolSecurity: security,
          bindDn: d.chance(0.8) ? 'cn=wazo,ou=services,dc=example,dc=com' : null,
          bindPassword: d.chance(0.8) ? `bind-${d.hex(6)}` : null,
          userBaseDn: 'ou=people,dc=example,dc=com',
          userLoginAttribute: 'uid',
          userEmailAttribute: 'mail',
          searchFilters: d.chance(0.5) ? '(&({user_login_attribute}={user_login})(objectClass=person))' : null,
        });
      }
      const domain = tenant.domains[0];
      if (methods.has('saml') && domain) {
        const idp = `https://idp.example.com/${tenant.slug}`;
        contents.samlConfigs.push({
          tenantUuid: tenant.uuid,
          domainUuid: domain.uuid,
          entityId: `https://${domain.name}/saml`,
          idpMetadata: `<?xml version="1.0"?>\n<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${idp}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${idp}/sso"/></md:IDPSSODescriptor></md:EntityDescriptor>`,
          acsUrl: `https://${domain.name}/api/auth/0.1/saml/acs`,
        });
      }
      for (const type of contents.externalAuth.types) {
        if (d.chance(0.4)) contents.externalAuth.configs.push({typeUuid: type.uuid, tenantUuid: tenant.uuid, data: this.externalConfig(type.name)});
      }
    }
    contents.users
      .filter((user) => user.purpose === 'user')
      .forEach((user, i) => {
        if (i > 0 && !d.chance(0.3)) return;
        const type = d.pick(contents.externalAuth.types);
        const data =
          type.name === 'mobile'
            ? {
                token: d.hex(32),
                apns_token: null,
                apns_voip_token: d.hex(32),
                apns_notification_token: d.hex(32),
                apns_call_topic: null,
                apns_default_topic: null,
              }
            : {access_token: d.hex(24), refresh_token: d.hex(24), scope: ['openid', 'email'], token_expiration: contents.now + 3600};
        contents.externalAuth.users.push({typeUuid: type.uuid, userUuid: user.uuid, data});
      });
  }

  /**
   * Refresh tokens (one or two clients, at most one mobile per user, as upstream since 26.04) and
   * sessions with their token, some expired: the first user able to log in has a mobile and a
   * desktop refresh token and a live session, the second an expired session.
   */
  sessions(refreshTokenShare: number, sessionShare: number): void {
    const {d, contents} = this;
    const acl = (uuid: string) => this.policyByUuid.get(uuid)!.acl;
    contents.users
      .filter((user) => user.passwordLogin)
      .forEach((user, i) => {
        const tokens: UpstreamRefreshToken[] = [];
        if (refreshTokenShare > 0 && (i === 0 || d.chance(refreshTokenShare))) {
          for (const clientId of i === 0 ? ['wazo-mobile', 'wazo-desktop'] : d.distinct(CLIENTS, 1 + d.int(2))) {
            tokens.push({
              uuid: d.uuid(),
              clientId,
              userUuid: user.uuid,
              backend: 'wazo_user',
              login: user.login!,
              userAgent: clientId === 'wazo-mobile' ? 'WazoMobile/4.2 (iOS 18.1)' : 'Mozilla/5.0 (X11; Linux x86_64)',
              remoteAddr: `192.0.2.${1 + d.int(250)}`,
              createdAt: contents.now - d.int(90 * 86400),
              mobile: clientId === 'wazo-mobile',
              metadata: {},
            });
          }
        }
        contents.refreshTokens.push(...tokens);
        if (sessionShare <= 0 || (i > 1 && !d.chance(sessionShare))) return;
        const refresh = tokens.length > 0 && d.chance(0.5) ? d.pick(tokens) : null;
        const expired = i === 1 || (i > 1 && d.chance(0.3));
        const issuedT = expired ? contents.now - 20_000 - d.int(3600) : contents.now - d.int(3600);
        const pbxUserUuid = user.purpose === 'user' ? user.uuid : null;
        contents.sessions.push({
          uuid: d.uuid(),
          tenantUuid: user.tenantUuid,
          mobile: refresh?.mobile ?? false,
          token: {
            uuid: d.uuid(),
            authId: user.uuid,
            pbxUserUuid,
            xivoUuid: contents.xivoUuid,
            issuedT,
            expireT: issuedT + 7200,
            // As upstream's wazo_user backend: its groups' ACL then its own, duplicates kept.
            acl: [...user.groupUuids.flatMap((uuid) => this.groups.get(uuid)!.policyUuids.flatMap(acl)), ...user.policyUuids.flatMap(acl)],
            metadata: {
              uuid: user.uuid,
              tenant_uuid: user.tenantUuid,
              auth_id: user.uuid,
              pbx_user_uuid: pbxUserUuid,
              xivo_uuid: contents.xivoUuid,
              purpose: user.purpose,
            },
            userAgent: refresh?.userAgent ?? 'wazo-auth-cli',
            remoteAddr: refresh?.remoteAddr ?? '127.0.0.1',
            refreshTokenUuid: refresh?.uuid ?? null,
          },
        });
      });
  }

  private addPolicy(policy: UpstreamPolicy): void {
    this.contents.policies.push(policy);
    this.policyByUuid.set(policy.uuid, policy);
  }

  private addGroup(group: UpstreamGroup): UpstreamGroup {
    this.contents.groups.push(group);
    this.groups.set(group.uuid, group);
    return group;
  }

  private defaultPolicy(slug: string): string {
    return this.contents.policies.find((policy) => policy.configManaged && policy.slug === slug)!.uuid;
  }

  /** tenant_default_groups: wazo_default_admin_group with wazo_default_admin_policy, in every tenant. */
  private tenantGroups(tenant: UpstreamTenant): void {
    const policyUuids = [this.defaultPolicy(DEFAULT_ADMIN_POLICY)];
    this.addGroup({
      uuid: this.d.uuid(),
      tenantUuid: tenant.uuid,
      name: DEFAULT_ADMIN_GROUP,
      slug: DEFAULT_ADMIN_GROUP,
      systemManaged: false,
      userUuids: [],
      policyUuids,
    });
  }

  /** The tenant's own policies and those its ancestors share; config-managed ones reach users through groups here. */
  private visiblePolicies(tenant: UpstreamTenant): UpstreamPolicy[] {
    const line: string[] = [];
    for (
      let at: UpstreamTenant | undefined = tenant;
      at && !line.includes(at.uuid);
      at = this.contents.tenants.find((other) => other.uuid === at!.parentUuid)
    ) {
      line.push(at.uuid);
    }
    return this.contents.policies.filter(
      (policy) => !policy.configManaged && (policy.tenantUuid === tenant.uuid || (policy.shared && line.includes(policy.tenantUuid))),
    );
  }

  /** A known password and its salt; past `distinct` pairs, users share the ones drawn. */
  private credentials(nonAscii: boolean, distinct: number): {password: string; salt: Buffer} {
    const {d, passwords} = this;
    if (passwords.length >= distinct) return passwords[d.int(passwords.length)]!;
    const pair = {password: nonAscii ? `Pässwörd € ${d.hex(3)}` : `secret-${d.hex(4)}`, salt: d.bytes(64)};
    passwords.push(pair);
    return pair;
  }

  /** A user as upstream's user creation makes it: a member of its tenant's all-users group. */
  private addUser(
    tenant: UpstreamTenant,
    kind: Kind,
    fields: Pick<UpstreamUser, 'username' | 'firstname' | 'lastname' | 'purpose' | 'authenticationMethod' | 'password' | 'salt' | 'emails'>,
  ): UpstreamUser {
    const effective = fields.authenticationMethod === 'default' ? tenant.defaultAuthenticationMethod : fields.authenticationMethod;
    // Upstream takes any confirmed address as a login, never an unconfirmed one.
    const confirmed = fields.emails.filter((email) => email.confirmed).sort((a, b) => Number(b.main) - Number(a.main));
    const login = fields.username ?? confirmed[0]?.address ?? null;
    const enabled = kind !== 'disabled';
    const user: UpstreamUser = {
      uuid: this.d.uuid(),
      tenantUuid: tenant.uuid,
      ...fields,
      enabled,
      effectiveAuthenticationMethod: effective,
      passwordHash: null,
      policyUuids: [],
      groupUuids: [],
      login,
      passwordLogin: enabled && fields.password !== null && effective === 'native' && login !== null,
    };
    this.contents.users.push(user);
    this.join(this.groups.get(tenant.allUsersGroupUuid)!, user);
    return user;
  }

  private join(group: UpstreamGroup, user: UpstreamUser): void {
    group.userUuids.push(user.uuid);
    user.groupUuids.push(group.uuid);
  }

  private externalConfig(type: string): Record<string, unknown> {
    const {d} = this;
    return type === 'mobile'
      ? {
          fcm_api_key: d.hex(16),
          fcm_sender_id: String(d.int(1e9)),
          ios_apn_certificate: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----',
          ios_apn_private: '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----',
          use_sandbox: d.chance(0.5),
        }
      : {client_id: `${type}-client-${d.hex(4)}`, client_secret: d.hex(12)};
  }
}

/** A name's letters without accents, for usernames and e-mail addresses. */
function asciiOf(text: string): string {
  return text.normalize('NFD').replace(/[^a-zA-Z-]/g, '');
}

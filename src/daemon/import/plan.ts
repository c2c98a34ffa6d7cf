// What an upstream database becomes in this daemon's tables: every source row either copied or
// skipped for a stated reason, so that the counts of both sides can be checked against each other.
import type {LoadRows, TargetKeys} from '../../store/bulk-load.js';
import {tokenDigest} from '../../store/digest.js';
import {loginKey} from '../../store/login-key.js';
import {configContext, userContext} from '../../services/external-auth.js';
import {bindPasswordContext} from '../../services/ldap.js';
import {legacyHash} from '../../services/passwords.js';
import type {SecretBox} from '../../services/secret-box.js';
import type {UpstreamSnapshot, UpstreamTable} from './upstream-source.js';

/** One source table: its rows, those copied (and where), and those left out, by reason. */
export interface TableReport {
  table: UpstreamTable;
  rows: number;
  copied: number;
  /** Where the copied rows went: a table of this daemon, or a column of one. */
  into: string;
  skipped: {count: number; reason: string}[];
}

export interface Plan {
  rows: LoadRows;
  /** The target's tenants removed first: what a daemon's start made in a database that holds nothing yet. */
  removeTenants: string[];
  report: TableReport[];
  /** What the target holds already, when it holds data (empty otherwise). */
  holds: string[];
  /** The rows that would clash with the target's, one line each. */
  clashes: string[];
  /** Rows copied with a change the operator should know of. */
  warnings: string[];
  /** In a merge, the upstream top tenant's uuid as it becomes this daemon's top tenant's. */
  mergedTop: {from: string; into: string} | undefined;
}

export interface PlanOptions {
  merge: boolean;
  /** Seconds since the epoch: tokens expired by then are left out. */
  now: number;
  secrets: SecretBox;
}

const str = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));

/** Tenants parents first; a top tenant is its own parent. Tenants whose parent is missing come last (the load refuses them). */
function parentsFirst(tenants: Record<string, any>[]): Record<string, any>[] {
  const children = new Map<string, Record<string, any>[]>();
  for (const tenant of tenants) {
    if (tenant.parent_uuid === tenant.uuid) continue;
    children.set(tenant.parent_uuid, [...(children.get(tenant.parent_uuid) ?? []), tenant]);
  }
  const ordered: Record<string, any>[] = [];
  const queue = tenants.filter((tenant) => tenant.parent_uuid === tenant.uuid);
  while (queue.length > 0) {
    const tenant = queue.shift()!;
    ordered.push(tenant);
    queue.push(...(children.get(tenant.uuid) ?? []));
  }
  const seen = new Set(ordered.map((tenant) => tenant.uuid));
  return [...ordered, ...tenants.filter((tenant) => !seen.has(tenant.uuid))];
}

class Report {
  readonly tables: TableReport[] = [];
  add(table: UpstreamTable, rows: number, into: string, copied: number, skipped: Record<string, number> = {}): void {
    this.tables.push({
      table,
      rows,
      copied,
      into,
      skipped: Object.entries(skipped)
        .filter(([, count]) => count > 0)
        .map(([reason, count]) => ({count, reason})),
    });
  }
}

/** Counts of each reason. */
function tally(): Record<string, number> & {add(reason: string): void} {
  const counts: Record<string, number> = {};
  return Object.assign(counts, {
    add(reason: string) {
      counts[reason] = (counts[reason] ?? 0) + 1;
    },
  }) as Record<string, number> & {add(reason: string): void};
}

const EMPTY: TargetKeys = {
  tenants: [],
  tenant_domains: [],
  users: [],
  emails: [],
  policies: [],
  groups: [],
  user_policies: [],
  group_users: [],
  group_policies: [],
  ldap_configs: [],
  saml_configs: [],
  external_auth_configs: [],
  user_external_auths: [],
  refresh_tokens: [],
  sessions: [],
  tokens: [],
};

export function planImport(source: UpstreamSnapshot, held: TargetKeys, options: PlanOptions): Plan {
  const report = new Report();
  const warnings: string[] = [];
  const clashes: string[] = [];
  const holds = describeHoldings(held);
  const fresh = holds.length === 0;
  // A target that holds nothing yet is emptied first: nothing of it can clash.
  const target = fresh ? EMPTY : held;

  // In a merge, upstream's top tenant, its all-users group and its policies whose slug names one
  // this daemon's configuration manages become this daemon's own: a tree has one top, a tenant
  // one all-users group.
  const tenantMap = new Map<string, string>();
  const groupMap = new Map<string, string>();
  const policyMap = new Map<string, string>();
  const targetTop = target.tenants.find((tenant) => tenant.uuid === tenant.parent_uuid);
  const sourceTop = source.tenants.find((tenant) => tenant.uuid === tenant.parent_uuid);
  let mergedTop: Plan['mergedTop'];
  if (!fresh && targetTop && sourceTop) {
    tenantMap.set(sourceTop.uuid, targetTop.uuid);
    mergedTop = {from: sourceTop.uuid, into: targetTop.uuid};
    const allUsers = target.groups.find((group) => group.tenant_uuid === targetTop.uuid && group.system_managed);
    for (const group of source.groups) {
      if (group.tenant_uuid === sourceTop.uuid && group.system_managed && allUsers) groupMap.set(group.uuid, allUsers.uuid);
    }
    // The policies this daemon's configuration manages in its top tenant (the defaults, the
    // bootstrap administrator's wazo_default_master_user_policy) stand for upstream's of that slug.
    for (const policy of source.policies) {
      if (policy.tenant_uuid !== sourceTop.uuid) continue;
      const slug = String(policy.slug).toLowerCase();
      const same = target.policies.find((kept) => kept.tenant_uuid === targetTop.uuid && kept.config_managed && kept.slug.toLowerCase() === slug);
      if (same) policyMap.set(policy.uuid, same.uuid);
    }
  }
  const tenantOf = (uuid: string) => tenantMap.get(uuid) ?? uuid;
  const groupOf = (uuid: string) => groupMap.get(uuid) ?? uuid;
  const policyOf = (uuid: string) => policyMap.get(uuid) ?? uuid;
  const clash = (what: string) => clashes.push(what);

  // Tenants, their address folded in.
  const addressOf = new Map<string, Record<string, any>>();
  const addressSkips = tally();
  for (const address of source.addresses) {
    if (addressOf.has(address.tenant_uuid)) addressSkips.add('a second address of the tenant (this daemon keeps one)');
    else addressOf.set(address.tenant_uuid, address);
  }
  const targetTenantUuids = new Set(target.tenants.map((tenant) => tenant.uuid));
  const targetSlugs = new Set(target.tenants.map((tenant) => tenant.slug));
  const tenants: LoadRows['tenants'] = [];
  const tenantSkips = tally();
  for (const tenant of parentsFirst(source.tenants)) {
    if (tenantMap.has(tenant.uuid)) {
      tenantSkips.add(`the top tenant: merged into this daemon's top tenant ${tenantOf(tenant.uuid)}`);
      continue;
    }
    if (targetTenantUuids.has(tenant.uuid)) clash(`tenant ${tenant.uuid}: the uuid is taken`);
    if (targetSlugs.has(tenant.slug)) clash(`tenant ${tenant.uuid}: the slug "${tenant.slug}" is taken`);
    const address = addressOf.get(tenant.uuid);
    tenants.push({
      uuid: tenant.uuid,
      name: str(tenant.name),
      slug: tenant.slug,
      parent_uuid: tenantOf(tenant.parent_uuid),
      contact_uuid: str(tenant.contact_uuid),
      phone: str(tenant.phone),
      address_line_1: str(address?.line_1),
      address_line_2: str(address?.line_2),
      address_city: str(address?.city),
      address_state: str(address?.state),
      address_country: str(address?.country),
      address_zip_code: str(address?.zip_code),
      default_authentication_method: tenant.default_authentication_method,
    });
  }
  const mergedAddresses = [...addressOf.keys()].filter((uuid) => tenantMap.has(uuid)).length;
  if (mergedAddresses > 0) addressSkips["the top tenant's: this daemon's top tenant keeps its own"] = mergedAddresses;
  report.add('auth_tenant', source.counts.auth_tenant, 'tenants', tenants.length, tenantSkips);
  report.add('auth_address', source.counts.auth_address, 'tenants (address columns)', addressOf.size - mergedAddresses, addressSkips);

  const targetDomains = new Set(target.tenant_domains.map((domain) => domain.name.toLowerCase()));
  const targetDomainUuids = new Set(target.tenant_domains.map((domain) => domain.uuid));
  const tenantDomains: LoadRows['tenant_domains'] = source.domains.map((domain) => {
    if (targetDomainUuids.has(domain.uuid)) clash(`domain ${domain.uuid}: the uuid is taken`);
    if (targetDomains.has(String(domain.name).toLowerCase())) clash(`domain "${domain.name}": a tenant of the target has it`);
    return {uuid: domain.uuid, name: domain.name, tenant_uuid: tenantOf(domain.tenant_uuid)};
  });
  report.add('auth_tenant_domain', source.counts.auth_tenant_domain, 'tenant_domains', tenantDomains.length);

  // Users, their upstream PBKDF2 hash in the form this daemon verifies (and replaces at the next login).
  const targetUserUuids = new Set(target.users.map((user) => user.uuid));
  const targetUsernames = new Set(target.users.map((user) => user.username_key).filter(Boolean));
  const now = options.now;
  let withoutHash = 0;
  const users: LoadRows['users'] = source.users.map((user) => {
    const username = str(user.username);
    if (targetUserUuids.has(user.uuid)) clash(`user ${user.uuid}: the uuid is taken`);
    if (username !== null && targetUsernames.has(loginKey(username))) clash(`user ${user.uuid}: the username "${username}" is taken`);
    let passwordHash: string | null = null;
    if (user.password_hash !== null || user.password_salt_hex !== null) {
      try {
        passwordHash = legacyHash(String(user.password_salt_hex ?? ''), String(user.password_hash ?? ''));
      } catch {
        withoutHash += 1;
      }
    }
    return {
      uuid: user.uuid,
      tenant_uuid: tenantOf(user.tenant_uuid),
      username,
      username_key: username === null ? null : loginKey(username),
      firstname: str(user.firstname),
      lastname: str(user.lastname),
      purpose: user.purpose,
      enabled: user.enabled ?? true,
      authentication_method: user.authentication_method,
      password_hash: passwordHash,
      created_at: now,
    };
  });
  if (withoutHash > 0) warnings.push(`${withoutHash} user(s) had a password hash not in upstream's PBKDF2 form: copied without a password`);
  report.add('auth_user', source.counts.auth_user, 'users', users.length);

  const targetEmails = new Set(target.emails.map((email) => email.address_key));
  const targetEmailUuids = new Set(target.emails.map((email) => email.uuid));
  const emails: LoadRows['emails'] = source.emails.map((email) => {
    if (targetEmailUuids.has(email.uuid)) clash(`e-mail ${email.uuid}: the uuid is taken`);
    if (targetEmails.has(loginKey(email.address))) clash(`e-mail "${email.address}" of user ${email.user_uuid}: another user has it`);
    return {
      uuid: email.uuid,
      user_uuid: email.user_uuid,
      address: email.address,
      address_key: loginKey(email.address),
      main: email.main,
      confirmed: email.confirmed,
    };
  });
  report.add('auth_email', source.counts.auth_email, 'emails', emails.length);

  // Policies, their ACL gathered from auth_access through auth_policy_access.
  const targetPolicyUuids = new Set(target.policies.map((policy) => policy.uuid));
  const targetPolicyNames = new Set(target.policies.map((policy) => `${policy.tenant_uuid} ${policy.name}`));
  const targetPolicySlugs = new Set(target.policies.map((policy) => `${policy.tenant_uuid} ${policy.slug.toLowerCase()}`));
  const policySkips = tally();
  const policies: LoadRows['policies'] = [];
  let accesses = 0;
  for (const policy of source.policies) {
    if (policyMap.has(policy.uuid)) {
      policySkips.add("of the top tenant: this daemon's config-managed policy of that slug stands for it");
      continue;
    }
    const tenantUuid = tenantOf(policy.tenant_uuid);
    if (targetPolicyUuids.has(policy.uuid)) clash(`policy ${policy.uuid}: the uuid is taken`);
    if (targetPolicyNames.has(`${tenantUuid} ${policy.name}`)) clash(`policy ${policy.uuid}: its tenant has a policy named "${policy.name}"`);
    if (targetPolicySlugs.has(`${tenantUuid} ${String(policy.slug).toLowerCase()}`))
      clash(`policy ${policy.uuid}: its tenant has a policy with the slug "${policy.slug}"`);
    accesses += policy.acl.length;
    policies.push({
      uuid: policy.uuid,
      tenant_uuid: tenantUuid,
      name: policy.name,
      slug: policy.slug,
      description: str(policy.description),
      acl: policy.acl,
      shared: policy.shared,
      config_managed: Boolean(policy.config_managed),
    });
  }
  report.add('auth_policy', source.counts.auth_policy, 'policies', policies.length, policySkips);
  const mergedAccesses = source.counts.auth_policy_access - accesses;
  report.add('auth_policy_access', source.counts.auth_policy_access, 'policies.acl', accesses, {
    "of a policy this daemon's own stands for": mergedAccesses,
  });
  const used = new Set(policies.flatMap((policy) => policy.acl as string[])).size;
  report.add('auth_access', source.counts.auth_access, 'policies.acl (each access written into the policies granting it)', used, {
    'granted by no policy copied': source.counts.auth_access - used,
  });

  // Groups. The all-users group needs no members: every user of its tenant is one.
  const targetGroupUuids = new Set(target.groups.map((group) => group.uuid));
  const targetGroupNames = new Set(target.groups.map((group) => `${group.tenant_uuid} ${group.name}`));
  const targetGroupSlugs = new Set(target.groups.map((group) => `${group.tenant_uuid} ${group.slug.toLowerCase()}`));
  const groupSkips = tally();
  const groups: LoadRows['groups'] = [];
  const allUsersGroups = new Set<string>();
  for (const group of source.groups) {
    if (group.system_managed) allUsersGroups.add(group.uuid);
    if (groupMap.has(group.uuid)) {
      groupSkips.add("the top tenant's all-users group: this daemon's stands for it");
      continue;
    }
    const tenantUuid = tenantOf(group.tenant_uuid);
    if (targetGroupUuids.has(group.uuid)) clash(`group ${group.uuid}: the uuid is taken`);
    if (targetGroupNames.has(`${tenantUuid} ${group.name}`)) clash(`group ${group.uuid}: its tenant has a group named "${group.name}"`);
    if (targetGroupSlugs.has(`${tenantUuid} ${String(group.slug).toLowerCase()}`))
      clash(`group ${group.uuid}: its tenant has a group with the slug "${group.slug}"`);
    groups.push({uuid: group.uuid, tenant_uuid: tenantUuid, name: group.name, slug: group.slug, system_managed: group.system_managed});
  }
  report.add('auth_group', source.counts.auth_group, 'groups', groups.length, groupSkips);

  // Links: those the target has already (a merge's mapped group and policies) are not written twice.
  const pairs = (list: {[key: string]: string}[], a: string, b: string) => new Set(list.map((row) => `${row[a]} ${row[b]}`));
  const heldGroupUsers = pairs(target.group_users, 'group_uuid', 'user_uuid');
  const heldGroupPolicies = pairs(target.group_policies, 'group_uuid', 'policy_uuid');
  const heldUserPolicies = pairs(target.user_policies, 'user_uuid', 'policy_uuid');
  const ALREADY = 'in the target already';

  const memberSkips = tally();
  const groupUsers: LoadRows['group_users'] = [];
  for (const link of source.userGroups) {
    if (allUsersGroups.has(link.group_uuid)) {
      memberSkips.add('of an all-users group: every user of its tenant is a member without a row');
      continue;
    }
    const row = {group_uuid: groupOf(link.group_uuid), user_uuid: link.user_uuid};
    if (heldGroupUsers.has(`${row.group_uuid} ${row.user_uuid}`)) memberSkips.add(ALREADY);
    else groupUsers.push(row);
  }
  report.add('auth_user_group', source.counts.auth_user_group, 'group_users', groupUsers.length, memberSkips);

  const groupPolicySkips = tally();
  const groupPolicies: LoadRows['group_policies'] = [];
  for (const link of source.groupPolicies) {
    const row = {group_uuid: groupOf(link.group_uuid), policy_uuid: policyOf(link.policy_uuid)};
    if (heldGroupPolicies.has(`${row.group_uuid} ${row.policy_uuid}`)) groupPolicySkips.add(ALREADY);
    else groupPolicies.push(row);
  }
  report.add('auth_group_policy', source.counts.auth_group_policy, 'group_policies', groupPolicies.length, groupPolicySkips);

  const userPolicySkips = tally();
  const userPolicies: LoadRows['user_policies'] = [];
  for (const link of source.userPolicies) {
    const row = {user_uuid: link.user_uuid, policy_uuid: policyOf(link.policy_uuid)};
    if (heldUserPolicies.has(`${row.user_uuid} ${row.policy_uuid}`)) userPolicySkips.add(ALREADY);
    else userPolicies.push(row);
  }
  report.add('auth_user_policy', source.counts.auth_user_policy, 'user_policies', userPolicies.length, userPolicySkips);

  // LDAP: the bind password sealed under the daemon's key, as the LDAP routes store it.
  const targetLdap = new Set(target.ldap_configs.map((config) => config.tenant_uuid));
  const ldapSkips = tally();
  const ldapConfigs: LoadRows['ldap_configs'] = [];
  for (const config of source.ldapConfigs) {
    const tenantUuid = tenantOf(config.tenant_uuid);
    if (!config.user_login_attribute || !config.user_email_attribute) {
      ldapSkips.add('no user_login_attribute or user_email_attribute, which this daemon requires');
      continue;
    }
    if (targetLdap.has(tenantUuid)) clash(`LDAP configuration of tenant ${tenantUuid}: the tenant has one`);
    ldapConfigs.push({
      tenant_uuid: tenantUuid,
      host: config.host,
      port: config.port,
      protocol_version: config.protocol_version ?? 3,
      protocol_security: config.protocol_security,
      bind_dn: str(config.bind_dn),
      bind_password_sealed: config.bind_password ? options.secrets.seal(config.bind_password, bindPasswordContext(tenantUuid)) : null,
      user_base_dn: config.user_base_dn,
      user_login_attribute: config.user_login_attribute,
      user_email_attribute: config.user_email_attribute,
      search_filters: str(config.search_filters),
      ca_certificates: null,
    });
  }
  report.add('auth_ldap_config', source.counts.auth_ldap_config, 'ldap_configs', ldapConfigs.length, ldapSkips);

  const targetSaml = new Set(target.saml_configs.map((config) => config.tenant_uuid));
  const samlSkips = tally();
  const samlConfigs: LoadRows['saml_configs'] = [];
  for (const config of source.samlConfigs) {
    const tenantUuid = tenantOf(config.tenant_uuid);
    if (samlConfigs.some((kept) => kept.tenant_uuid === tenantUuid)) {
      samlSkips.add('a second SAML configuration of the tenant (this daemon keeps one per tenant)');
      continue;
    }
    if (targetSaml.has(tenantUuid)) clash(`SAML configuration of tenant ${tenantUuid}: the tenant has one`);
    samlConfigs.push({
      tenant_uuid: tenantUuid,
      domain_uuid: config.domain_uuid,
      entity_id: config.entity_id,
      idp_metadata: config.idp_metadata,
      acs_url: config.acs_url,
    });
  }
  report.add('auth_saml_config', source.counts.auth_saml_config, 'saml_configs', samlConfigs.length, samlSkips);

  // External auth: each type by its name, the data sealed as the external-auth routes keep it.
  const typeName = new Map(source.externalTypes.map((type) => [type.uuid as string, type.name as string]));
  const targetExternalConfigs = pairs(target.external_auth_configs, 'tenant_uuid', 'type');
  const configSkips = tally();
  const externalConfigs: LoadRows['external_auth_configs'] = [];
  for (const config of source.externalConfigs) {
    const type = typeName.get(config.type_uuid)!;
    const data = parseJson(config.data);
    if (data === undefined) {
      configSkips.add('data that is not JSON');
      continue;
    }
    const tenantUuid = tenantOf(config.tenant_uuid);
    if (targetExternalConfigs.has(`${tenantUuid} ${type}`)) clash(`${type} settings of tenant ${tenantUuid}: the tenant has them`);
    externalConfigs.push({tenant_uuid: tenantUuid, type, data_sealed: options.secrets.seal(JSON.stringify(data), configContext(tenantUuid, type))});
  }
  report.add('auth_external_auth_config', source.counts.auth_external_auth_config, 'external_auth_configs', externalConfigs.length, configSkips);

  const targetUserExternals = pairs(target.user_external_auths, 'user_uuid', 'type');
  const userExternalSkips = tally();
  const userExternals: LoadRows['user_external_auths'] = [];
  for (const link of source.userExternalAuths) {
    const type = typeName.get(link.external_auth_type_uuid)!;
    const data = parseJson(link.data);
    if (data === undefined) {
      userExternalSkips.add('data that is not JSON');
      continue;
    }
    if (targetUserExternals.has(`${link.user_uuid} ${type}`)) clash(`${type} data of user ${link.user_uuid}: the user has some`);
    userExternals.push({user_uuid: link.user_uuid, type, data_sealed: options.secrets.seal(JSON.stringify(data), userContext(link.user_uuid, type))});
  }
  report.add('auth_user_external_auth', source.counts.auth_user_external_auth, 'user_external_auths', userExternals.length, userExternalSkips);
  report.add(
    'auth_external_auth_type',
    source.counts.auth_external_auth_type,
    'external_auth_configs.type, user_external_auths.type (by name)',
    source.counts.auth_external_auth_type,
  );

  // Refresh tokens: upstream's value is the row's uuid; only its digest is kept.
  const targetRefreshUuids = new Set(target.refresh_tokens.map((token) => token.uuid));
  const targetRefreshClients = pairs(target.refresh_tokens, 'user_uuid', 'client_id');
  const refreshSkips = tally();
  const refreshTokens: LoadRows['refresh_tokens'] = [];
  for (const token of source.refreshTokens) {
    if (!token.user_uuid || token.client_id === null) {
      refreshSkips.add('no user or no client_id');
      continue;
    }
    if (targetRefreshUuids.has(token.uuid)) clash(`refresh token ${token.uuid}: the uuid is taken`);
    if (targetRefreshClients.has(`${token.user_uuid} ${token.client_id}`))
      clash(`refresh token of user ${token.user_uuid}: the user has one for client "${token.client_id}"`);
    refreshTokens.push({
      uuid: token.uuid,
      digest: tokenDigest(token.uuid),
      client_id: token.client_id,
      user_uuid: token.user_uuid,
      backend: token.backend ?? 'wazo_user',
      login: token.login ?? '',
      user_agent: token.user_agent ?? '',
      remote_addr: token.remote_addr ?? '',
      mobile: token.mobile,
      created_at: token.created_at_s === null ? now : Number(token.created_at_s),
    });
  }
  report.add('auth_refresh_token', source.counts.auth_refresh_token, 'refresh_tokens', refreshTokens.length, refreshSkips);

  // Sessions whose token still runs, so that what the other services hold goes on working; the
  // token's value is its uuid upstream, kept as a digest here.
  const liveTokens = new Map<string, Record<string, any>[]>();
  const tokenSkips = tally();
  for (const token of source.tokens) {
    if (token.expire_t === null || Number(token.expire_t) <= now) tokenSkips.add('expired');
    else liveTokens.set(token.session_uuid, [...(liveTokens.get(token.session_uuid) ?? []), token]);
  }
  const targetSessions = new Set(target.sessions.map((session) => session.uuid));
  const targetTokens = new Set(target.tokens.map((token) => token.digest));
  const sessionSkips = tally();
  const sessions: LoadRows['sessions'] = [];
  const tokens: LoadRows['tokens'] = [];
  for (const session of source.sessions) {
    const live = liveTokens.get(session.uuid);
    if (!live) {
      sessionSkips.add('no token that is still valid');
      continue;
    }
    liveTokens.delete(session.uuid);
    if (targetSessions.has(session.uuid)) clash(`session ${session.uuid}: the uuid is taken`);
    sessions.push({
      uuid: session.uuid,
      tenant_uuid: tenantOf(session.tenant_uuid),
      user_uuid: live[0]!.auth_id,
      mobile: session.mobile,
      created_at: Math.min(...live.map((token) => Number(token.issued_t ?? now))),
    });
    for (const token of live) {
      const digest = tokenDigest(token.uuid);
      if (targetTokens.has(digest)) clash(`token of session ${session.uuid}: the token is taken`);
      tokens.push({
        digest,
        session_uuid: session.uuid,
        auth_id: token.auth_id,
        pbx_user_uuid: str(token.pbx_user_uuid),
        xivo_uuid: token.xivo_uuid ?? '',
        issued_t: Number(token.issued_t ?? now),
        expire_t: Number(token.expire_t),
        acl: token.acl ?? [],
        metadata: parseJson(token.metadata) ?? {},
        user_agent: token.user_agent ?? '',
        remote_addr: token.remote_addr ?? '',
        refresh_token_uuid: str(token.refresh_token_uuid),
      });
    }
  }
  for (const orphans of liveTokens.values()) for (const _ of orphans) tokenSkips.add('no session');
  report.add('auth_session', source.counts.auth_session, 'sessions', sessions.length, sessionSkips);
  report.add('auth_token', source.counts.auth_token, 'tokens', tokens.length, tokenSkips);

  // What this daemon has no table for.
  const none = (table: UpstreamTable, reason: string) => report.add(table, source.counts[table], '-', 0, {[reason]: source.counts[table]});
  none('auth_saml_session', 'SAML logins in progress: the user logs in again');
  none('auth_saml_pysaml2_cache', "pysaml2's cache of identity-provider answers");
  report.add('alembic_version_auth', source.counts.alembic_version_auth, '-', 0, {"upstream's schema revision": source.counts.alembic_version_auth});

  return {
    rows: {
      tenants,
      tenant_domains: tenantDomains,
      users,
      emails,
      policies,
      user_policies: userPolicies,
      groups,
      group_users: groupUsers,
      group_policies: groupPolicies,
      ldap_configs: ldapConfigs,
      saml_configs: samlConfigs,
      external_auth_configs: externalConfigs,
      user_external_auths: userExternals,
      refresh_tokens: refreshTokens,
      sessions,
      tokens,
    },
    removeTenants: fresh ? held.tenants.map((tenant) => tenant.uuid) : [],
    report: report.tables,
    holds,
    clashes,
    warnings,
    mergedTop,
  };
}

/** An object from upstream's JSON text (token metadata, external-auth data), or undefined. */
function parseJson(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What the target holds beyond what migrations and a daemon's start make (the top tenant, its
 * groups and the configured policies, no user): empty when the import may replace it all.
 */
function describeHoldings(target: TargetKeys): string[] {
  const holds: string[] = [];
  if (target.users.length > 0) holds.push(`${target.users.length} user(s)`);
  if (target.tenants.length > 1) holds.push(`${target.tenants.length} tenants`);
  if (target.refresh_tokens.length > 0) holds.push(`${target.refresh_tokens.length} refresh token(s)`);
  if (target.sessions.length > 0) holds.push(`${target.sessions.length} session(s)`);
  return holds;
}

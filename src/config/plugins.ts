// The plugin switches: upstream's keys and defaults (enabled_*_plugins, purpose_metadata_mapping,
// idp_plugins) and ours, plugin_packages; what each means is in docs/plugins.md.

import { isAbsolute } from 'node:path';

import { ConfigError } from './errors.js';
import { isMapping, type RawMapping } from './merge.js';

/** An identity provider's switch: upstream tries the enabled ones by ascending priority. */
export interface IdpSwitch {
  enabled: boolean;
  priority: number;
}

export interface PluginSettings {
  /** Http plugin name -> whether its routes are served. */
  enabled_http_plugins: Record<string, boolean>;
  enabled_backend_plugins: Record<string, boolean>;
  enabled_metadata_plugins: Record<string, boolean>;
  enabled_external_auth_plugins: Record<string, boolean>;
  /** Purpose -> the metadata plugins a token of such a user gets after the purpose's default one. */
  purpose_metadata_mapping: Record<string, string[]>;
  /** The identity providers beyond `native` and `refresh_token`, which are always there. */
  idp_plugins: Record<string, IdpSwitch>;
  /** npm package name or absolute folder -> whether the daemon imports it at start. */
  plugin_packages: Record<string, boolean>;
}

/** Upstream's priority of an identity provider that names none. */
export const DEFAULT_IDP_PRIORITY = 100;

export function pluginDefaults(): RawMapping {
  return {
    enabled_http_plugins: {
      api: true,
      idp: true,
      backends: true,
      config: true,
      email_confirm: true,
      external: true,
      group_policy: true,
      groups: true,
      ldap_config: true,
      password_reset: true,
      policies: true,
      sessions: true,
      status: true,
      tenants: true,
      tokens: true,
      user_email: true,
      user_group: true,
      user_policy: true,
      user_registration: false,
      user_session: true,
      users: true,
      saml: true,
      saml_config: true,
      // Ours: the failed-login counts of README "Login throttling".
      login_throttle: true,
    },
    enabled_backend_plugins: { ldap_user: true, wazo_user: true },
    enabled_metadata_plugins: { default_user: true, default_internal: true, default_external_api: true },
    purpose_metadata_mapping: { user: [], internal: [], external_api: [] },
    enabled_external_auth_plugins: { google: true, microsoft: true, mobile: true },
    idp_plugins: {
      saml: { enabled: true, priority: 1 },
      ldap: { enabled: true, priority: 2 },
    },
    plugin_packages: {},
  };
}

function fail(path: string, expectation: string): never {
  throw new ConfigError(`config: ${path} must be ${expectation}`);
}

function mapping(value: unknown, path: string): RawMapping {
  if (!isMapping(value)) fail(path, 'a mapping');
  return value;
}

// defineProperty keeps a key named "__proto__" an ordinary entry.
function setEntry<T>(out: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
}

function switches(value: unknown, path: string): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const [name, on] of Object.entries(mapping(value, path))) {
    if (typeof on !== 'boolean') fail(`${path}.${name}`, 'true or false');
    setEntry(out, name, on);
  }
  return out;
}

function purposeMapping(value: unknown): Record<string, string[]> {
  const path = 'purpose_metadata_mapping';
  const out: Record<string, string[]> = {};
  for (const [purpose, names] of Object.entries(mapping(value, path))) {
    if (!Array.isArray(names) || names.some((name) => typeof name !== 'string' || name === '')) {
      fail(`${path}.${purpose}`, 'a list of metadata plugin names');
    }
    setEntry(out, purpose, names as string[]);
  }
  return out;
}

function idpSwitches(value: unknown): Record<string, IdpSwitch> {
  const out: Record<string, IdpSwitch> = {};
  for (const [name, entry] of Object.entries(mapping(value, 'idp_plugins'))) {
    const path = `idp_plugins.${name}`;
    const fields = mapping(entry, path);
    // Upstream's reading: a provider that does not say it is enabled is not.
    const enabled = fields['enabled'] ?? false;
    const priority = fields['priority'] ?? DEFAULT_IDP_PRIORITY;
    if (typeof enabled !== 'boolean') fail(`${path}.enabled`, 'true or false');
    if (typeof priority !== 'number' || !Number.isInteger(priority)) fail(`${path}.priority`, 'an integer');
    setEntry(out, name, { enabled, priority });
  }
  return out;
}

// npm's rule for new package names, scoped or not.
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

function packages(value: unknown): Record<string, boolean> {
  const out = switches(value, 'plugin_packages');
  for (const name of Object.keys(out)) {
    if (!isAbsolute(name) && !PACKAGE_NAME.test(name)) {
      throw new ConfigError(`config: plugin_packages: "${name}" is neither an npm package name nor an absolute folder`);
    }
  }
  return out;
}

export function pluginSettings(raw: RawMapping): PluginSettings {
  const field = (key: string) => (Object.hasOwn(raw, key) ? raw[key] : undefined);
  return {
    enabled_http_plugins: switches(field('enabled_http_plugins'), 'enabled_http_plugins'),
    enabled_backend_plugins: switches(field('enabled_backend_plugins'), 'enabled_backend_plugins'),
    enabled_metadata_plugins: switches(field('enabled_metadata_plugins'), 'enabled_metadata_plugins'),
    enabled_external_auth_plugins: switches(field('enabled_external_auth_plugins'), 'enabled_external_auth_plugins'),
    purpose_metadata_mapping: purposeMapping(field('purpose_metadata_mapping')),
    idp_plugins: idpSwitches(field('idp_plugins')),
    plugin_packages: packages(field('plugin_packages')),
  };
}

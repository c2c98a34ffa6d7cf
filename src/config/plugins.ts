// The plugin switches: upstream's keys and defaults (enabled_*_plugins, purpose_metadata_mapping,
// idp_plugins) and ours, plugin_packages; what each means is in docs/plugins.md.

import {isAbsolute} from 'node:path';

import {ConfigError} from './errors.js';
import type {RawMapping} from './merge.js';

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
    enabled_backend_plugins: {ldap_user: true, wazo_user: true},
    enabled_metadata_plugins: {default_user: true, default_internal: true, default_external_api: true},
    purpose_metadata_mapping: {user: [], internal: [], external_api: []},
    enabled_external_auth_plugins: {google: true, microsoft: true, mobile: true},
    idp_plugins: {
      saml: {enabled: true, priority: 1},
      ldap: {enabled: true, priority: 2},
    },
    plugin_packages: {},
  };
}

// npm's rule for new package names, scoped or not.
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

/** A package is named as npm names it, or by an absolute folder: never relative to wherever the daemon starts. */
export function checkPluginPackages(packages: Record<string, boolean>): void {
  for (const name of Object.keys(packages)) {
    if (!isAbsolute(name) && !PACKAGE_NAME.test(name)) {
      throw new ConfigError(`config: plugin_packages: "${name}" is neither an npm package name nor an absolute folder`);
    }
  }
}

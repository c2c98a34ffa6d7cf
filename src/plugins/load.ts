// Loads the plugins the configuration enables, in upstream's order: metadata, then backends (given
// the purposes), then identity providers (given the backends), then http and external auth. A
// plugin that fails to load stops the start with a ConfigError naming it and its package.

import {ConfigError} from '../config/index.js';
import type {Route} from '../http/route.js';
import type {HttpPluginDependencies} from '../http/routes/index.js';
import {purposesOf} from './metadata/purposes.js';
import type {PluginRegistries, Registry} from './registry.js';
import type {ExternalAuth, PluginDependencies} from './types.js';

export interface LoadedPlugins {
  /** The routes to serve: every enabled http and external auth plugin's. */
  routes: Route[];
}

/** Upstream loads these two whatever idp_plugins says: every daemon takes passwords and refresh tokens. */
const ALWAYS_LOADED_IDPS = ['native', 'refresh_token'] as const;

const ROUTE_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);

type Check = (value: unknown) => string | undefined;

function hasFunctions(value: unknown, names: readonly string[]): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
}

const isBackend: Check = (value) =>
  hasFunctions(value, ['verifyPassword', 'acl', 'metadata']) ? undefined : 'must return a backend: verifyPassword(), acl() and metadata()';

const isIdentityProvider: Check = (value) =>
  hasFunctions(value, ['canAuthenticate', 'verify']) && typeof value.authenticationMethod === 'string' && value.authenticationMethod !== ''
    ? undefined
    : 'must return an identity provider: authenticationMethod, canAuthenticate() and verify()';

const isMetadataProvider: Check = (value) => (hasFunctions(value, ['tokenMetadata']) ? undefined : 'must return a metadata provider: tokenMetadata()');

function routeProblem(route: unknown, i: number): string | undefined {
  const r = route as Partial<Route> | null;
  if (!hasFunctions(r, ['handle'])) return `route ${i} has no handle()`;
  if (typeof r.method !== 'string' || !ROUTE_METHODS.has(r.method)) return `route ${i} has no method among ${[...ROUTE_METHODS].join(', ')}`;
  if (typeof r.path !== 'string' || !r.path.startsWith('/')) return `route ${i} has no path starting with /`;
  if (typeof r.summary !== 'string' || typeof r.tag !== 'string' || typeof r.responses !== 'object' || r.responses === null) {
    return `route ${r.method} ${r.path} lacks its summary, tag or responses (the API document shows them)`;
  }
  return undefined;
}

const areRoutes: Check = (value) => (Array.isArray(value) ? value.map(routeProblem).find((p) => p !== undefined) : 'must return a list of routes');

const isExternalAuth: Check = (value) =>
  typeof value === 'object' && value !== null && Array.isArray((value as ExternalAuth).routes)
    ? areRoutes((value as ExternalAuth).routes)
    : 'must return {routes}';

/** The names a switch map turns on, in its order. */
function enabled(switches: Record<string, boolean>): string[] {
  return Object.keys(switches).filter((name) => switches[name]);
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function loadPlugins(registries: PluginRegistries, deps: PluginDependencies): Promise<LoadedPlugins> {
  const {config, log} = deps.services;

  async function loadEach<P extends {name: string}, T>(
    registry: Registry<P>,
    names: readonly string[],
    load: (plugin: P) => T | Promise<T>,
    check: Check,
    setting?: string,
  ): Promise<Map<string, T>> {
    const {found, missing} = registry.pick(names);
    // Upstream only warns too: its defaults name plugins that an install may leave out.
    if (missing.length && setting) log.info(`${setting}: ${missing.join(', ')} enabled but not installed`);
    const loaded = new Map<string, T>();
    for (const {plugin, origin} of found) {
      const what = `the ${registry.kind} plugin "${plugin.name}" (${origin})`;
      let value: T;
      try {
        value = await load(plugin);
      } catch (error) {
        throw new ConfigError(`${what} cannot load: ${message(error)}`);
      }
      const problem = check(value);
      if (problem) throw new ConfigError(`${what} ${problem}`);
      loaded.set(plugin.name, value);
    }
    return loaded;
  }

  const metadata = await loadEach(
    registries.metadata,
    enabled(config.enabled_metadata_plugins),
    (p) => p.load(deps),
    isMetadataProvider,
    'enabled_metadata_plugins',
  );
  const purposes = purposesOf(config.purpose_metadata_mapping, metadata, log);
  const backends = await loadEach(
    registries.backends,
    enabled(config.enabled_backend_plugins),
    (p) => p.load({...deps, purposes}),
    isBackend,
    'enabled_backend_plugins',
  );

  const byPriority = Object.entries(config.idp_plugins)
    .filter(([name, idp]) => idp.enabled && !(ALWAYS_LOADED_IDPS as readonly string[]).includes(name))
    .sort(([, a], [, b]) => a.priority - b.priority)
    .map(([name]) => name);
  const idpDeps = {...deps, backends};
  // The built-ins first: a missing backend is reported as theirs.
  const always = await loadEach(registries.idp, ALWAYS_LOADED_IDPS, (p) => p.load(idpDeps), isIdentityProvider);
  const others = await loadEach(registries.idp, byPriority, (p) => p.load(idpDeps), isIdentityProvider, 'idp_plugins');
  const [native, refreshToken] = ALWAYS_LOADED_IDPS.map((name) => always.get(name));
  if (!native || !refreshToken) throw new Error('the built-in identity providers native and refresh_token are not registered');
  deps.services.authentication.install({backends, native, refreshToken, others: [...others.values()]});

  const routes: Route[] = [];
  const httpDeps: HttpPluginDependencies = {routes: () => routes};
  const http = await loadEach(registries.http, enabled(config.enabled_http_plugins), (p) => p.load(httpDeps), areRoutes, 'enabled_http_plugins');
  const external = await loadEach(
    registries.external_auth,
    enabled(config.enabled_external_auth_plugins),
    (p) => p.load(httpDeps),
    isExternalAuth,
    'enabled_external_auth_plugins',
  );
  const owners = new Map<string, string>();
  const serve = (owner: string, list: readonly Route[]) => {
    for (const route of list) {
      // Parameter names do not tell two routes apart: /users/{a:uuid} and /users/{b:uuid} clash.
      const key = `${route.method} ${route.path.replace(/\{\w+(:\w+)?\}/g, '{$1}')}`;
      const other = owners.get(key);
      if (other) throw new ConfigError(`${owner} and ${other} both declare the route ${route.method} ${route.path}`);
      owners.set(key, owner);
      routes.push(route);
    }
  };
  for (const [name, list] of http) serve(`the http plugin "${name}"`, list);
  for (const [name, auth] of external) {
    serve(`the external_auth plugin "${name}"`, auth.routes);
    deps.services.externalAuth.enable(name, auth.pluginInfo);
  }

  log.info(
    `plugins: backends ${[...backends.keys()].join(', ') || 'none'}; identity providers ${[...others.keys(), ...ALWAYS_LOADED_IDPS].join(', ')}; ` +
      `metadata ${[...metadata.keys()].join(', ') || 'none'}; ${http.size} http and ${external.size} external auth plugins serving ${routes.length} routes`,
  );
  return {routes};
}

// One registry per plugin kind: the plugins known by name, each with the package that brought it.
// Registering checks a package's shape; the configuration's switches then pick what loads.

import {ConfigError} from '../config/index.js';
import {PLUGIN_KINDS, type BackendPlugin, type ExternalAuthPlugin, type HttpPlugin, type IdpPlugin, type MetadataPlugin, type PluginKind} from './types.js';

export interface Registered<P> {
  plugin: P;
  /** Who registered it, for messages: `built-in` or `package "name"`. */
  origin: string;
}

export class Registry<P extends {name: string}> {
  private readonly byName = new Map<string, Registered<P>>();

  constructor(readonly kind: PluginKind) {}

  add(plugin: P, origin: string): void {
    const other = this.byName.get(plugin.name);
    if (other) throw new ConfigError(`${origin}: the ${this.kind} plugin "${plugin.name}" is already registered (${other.origin})`);
    this.byName.set(plugin.name, {plugin, origin});
  }

  get(name: string): Registered<P> | undefined {
    return this.byName.get(name);
  }

  /** The plugins `names` lists, in that order, and the names no package registered. */
  pick(names: readonly string[]): {found: Registered<P>[]; missing: string[]} {
    const found: Registered<P>[] = [];
    const missing: string[] = [];
    for (const name of names) {
      const registered = this.byName.get(name);
      if (registered) found.push(registered);
      else missing.push(name);
    }
    return {found, missing};
  }
}

export interface PluginRegistries {
  backends: Registry<BackendPlugin>;
  idp: Registry<IdpPlugin>;
  http: Registry<HttpPlugin>;
  metadata: Registry<MetadataPlugin>;
  external_auth: Registry<ExternalAuthPlugin>;
}

export function createRegistries(): PluginRegistries {
  return {
    backends: new Registry('backends'),
    idp: new Registry('idp'),
    http: new Registry('http'),
    metadata: new Registry('metadata'),
    external_auth: new Registry('external_auth'),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Adds every plugin of a package to the registry of its kind, after checking the package's shape. */
export function register(registries: PluginRegistries, pkg: unknown, origin: string): void {
  if (!isObject(pkg)) throw new ConfigError(`${origin}: its default export must be an object of plugin lists (see docs/plugins.md)`);
  for (const key of Object.keys(pkg)) {
    if (!PLUGIN_KINDS.includes(key as PluginKind)) {
      throw new ConfigError(`${origin}: "${key}" is no plugin kind (the kinds are ${PLUGIN_KINDS.join(', ')})`);
    }
  }
  for (const kind of PLUGIN_KINDS) {
    const plugins = pkg[kind];
    if (plugins === undefined) continue;
    if (!Array.isArray(plugins)) throw new ConfigError(`${origin}: "${kind}" must be a list of plugins`);
    for (const [i, plugin] of plugins.entries()) {
      if (!isObject(plugin) || typeof plugin.name !== 'string' || plugin.name === '' || typeof plugin.load !== 'function') {
        throw new ConfigError(`${origin}: ${kind}[${i}] must be an object with a name and a load() function`);
      }
      (registries[kind] as Registry<{name: string}>).add(plugin as {name: string}, origin);
    }
  }
}

/** The registries holding the built-ins and then each third-party package, in the configuration's order. */
export function registriesOf(packages: readonly {origin: string; exports: unknown}[]): PluginRegistries {
  const registries = createRegistries();
  for (const {origin, exports} of packages) register(registries, exports, origin);
  return registries;
}

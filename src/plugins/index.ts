// The daemon's plugins: the built-ins and the packages `plugin_packages` names, registered by kind,
// then loaded as the switches say (see docs/plugins.md).

import {builtinPlugins} from './builtin.js';
import {importPluginPackages} from './packages.js';
import {registriesOf, type PluginRegistries} from './registry.js';

export {loadPlugins, type LoadedPlugins} from './load.js';
export type {PluginRegistries} from './registry.js';

/** Imports the configured packages and registers their plugins after the built-ins; done before anything else starts. */
export async function pluginRegistries(packages: Record<string, boolean>): Promise<PluginRegistries> {
  return registriesOf([{origin: 'built-in', exports: builtinPlugins}, ...(await importPluginPackages(packages))]);
}

// Which metadata providers a token gets, by its user's purpose: the purpose's default plugin, then
// those purpose_metadata_mapping adds, each once (upstream's Purposes).

import type {Purpose} from '../../domain/types.js';
import type {Logger} from '../../log.js';
import type {MetadataProvider, Purposes} from '../types.js';

const DEFAULT_PLUGIN: Record<Purpose, string> = {
  user: 'default_user',
  internal: 'default_internal',
  external_api: 'default_external_api',
};

export function purposesOf(mapping: Record<string, readonly string[]>, providers: ReadonlyMap<string, MetadataProvider>, log: Logger): Purposes {
  const chosen = new Map<string, MetadataProvider[]>();
  for (const [purpose, name] of Object.entries(DEFAULT_PLUGIN)) {
    const provider = providers.get(name);
    if (!provider) log.warning(`tokens of ${purpose} users get no ${name} metadata: enable it in enabled_metadata_plugins`);
    chosen.set(purpose, provider ? [provider] : []);
  }
  for (const [purpose, names] of Object.entries(mapping)) {
    const list = chosen.get(purpose);
    if (!list) {
      log.warning(`purpose_metadata_mapping: "${purpose}" is no purpose (user, internal, external_api)`);
      continue;
    }
    for (const name of names) {
      const provider = providers.get(name);
      if (!provider) log.warning(`purpose_metadata_mapping.${purpose}: the metadata plugin "${name}" is not loaded`);
      else if (!list.includes(provider)) list.push(provider);
    }
  }
  return {of: (purpose) => chosen.get(purpose) ?? []};
}

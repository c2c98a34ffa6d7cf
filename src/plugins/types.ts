// The plugin interface, the same for the built-ins and third parties: what a plugin package
// exports, and what each kind's load() is given and returns (docs/plugins.md).

import type {Purpose, User} from '../domain/types.js';
import type {HttpPlugin, HttpPluginDependencies} from '../http/routes/index.js';
import type {Route} from '../http/route.js';
import type {Services} from '../services/index.js';
import type {Backend, IdentityProvider} from '../services/authentication.js';

export type {Authenticated, Backend, IdentityProvider} from '../services/authentication.js';
export type {LoginRequest} from '../services/tokens.js';
export type {HttpPlugin, HttpPluginDependencies} from '../http/routes/index.js';
export type {Reply, RequestContext, Route} from '../http/route.js';

/** What every load() is given. */
export interface PluginDependencies {
  /** The daemon's services: configuration (`services.config`), log, users, tenants, groups, tokens... */
  services: Services;
  /** The install's xivo_uuid, as tokens carry it. */
  xivoUuid: string;
}

/** Adds fields to the metadata of a token (upstream's wazo_auth.metadata). */
export interface MetadataProvider {
  /** Fields merged over those of the metadata plugins before it, for the user logging in. */
  tokenMetadata(user: User): Promise<Record<string, unknown>> | Record<string, unknown>;
}

/** The metadata providers a token gets, by its user's purpose (purpose_metadata_mapping). */
export interface Purposes {
  of(purpose: Purpose): readonly MetadataProvider[];
}

export interface MetadataPlugin {
  name: string;
  load(deps: PluginDependencies): MetadataProvider | Promise<MetadataProvider>;
}

export interface BackendDependencies extends PluginDependencies {
  purposes: Purposes;
}

export interface BackendPlugin {
  name: string;
  load(deps: BackendDependencies): Backend | Promise<Backend>;
}

export interface IdpDependencies extends PluginDependencies {
  /** The loaded backends, by name; an identity provider names the one that authenticated. */
  backends: ReadonlyMap<string, Backend>;
}

export interface IdpPlugin {
  name: string;
  load(deps: IdpDependencies): IdentityProvider | Promise<IdentityProvider>;
}

/** An external service a user links an account of (upstream's wazo_auth.external_auth): the routes that link it. */
export interface ExternalAuth {
  routes: Route[];
  /** Shown with the type in each user's list (GET /users/{uuid}/external), as upstream's plugin_info. */
  pluginInfo?: Record<string, unknown>;
}

export interface ExternalAuthPlugin {
  name: string;
  load(deps: HttpPluginDependencies): ExternalAuth;
}

/** The default export of a plugin package (and of the built-ins, src/plugins/builtin.ts). */
export interface PluginPackage {
  backends?: readonly BackendPlugin[];
  idp?: readonly IdpPlugin[];
  http?: readonly HttpPlugin[];
  metadata?: readonly MetadataPlugin[];
  external_auth?: readonly ExternalAuthPlugin[];
}

export type PluginKind = keyof PluginPackage;

export const PLUGIN_KINDS: readonly PluginKind[] = ['backends', 'idp', 'http', 'metadata', 'external_auth'];

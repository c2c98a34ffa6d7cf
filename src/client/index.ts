// The client's public surface: import from here.

export {AuthClient, type AuthClientOptions} from './auth-client.js';
export {ApiError, ClientOptionError, ConnectionError} from './errors.js';
export type {TokenRequirement} from './tokens.js';
export type * from './types.js';
export {normalizeUrl} from './url.js';

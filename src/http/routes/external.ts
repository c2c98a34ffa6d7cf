// Upstream's `external` http plugin: the list of a user's linked accounts (never their data), each
// tenant's settings per external type (secrets included, for holders of the config accesses), and
// the users of a tenant who linked an account of a type.

import {readJson} from '../body.js';
import {listFilters, listQuery} from '../list-params.js';
import {InvalidBody} from '../request-errors.js';
import {route, type Route} from '../route.js';

const externalList = listQuery('users', ['type'], 'type');
const externalFilters = listFilters<{type?: string}>('users', {type: {key: 'type', schema: {type: 'string', description: 'Only this type'}}});
const connectedPage = listQuery('users', ['uuid'], 'uuid');

/** Upstream takes any JSON object as a configuration: google and microsoft read client_id and client_secret, mobile its push settings. */
async function readConfig(req: Parameters<typeof readJson>[0], maxBytes: number): Promise<unknown> {
  const body = await readJson(req, maxBytes);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidBody({_schema: [{constraint_id: 'type', constraint: 'dict', message: 'Invalid input type.'}]});
  }
  return body;
}

const CONFIG_SUMMARY =
  'a JSON object: `client_id` and `client_secret` (google, microsoft); `fcm_sender_id`, `fcm_service_account_info`, `fcm_api_key`, ' +
  '`ios_apn_certificate`, `ios_apn_private`, `use_sandbox` (mobile)';

export const externalRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/users/{user_uuid:uuid}/external',
    tag: 'external',
    summary: 'Lists the external auth types and whether the user linked each; never their data',
    access: 'auth.users.{user_uuid}.external.read',
    resource: 'users',
    query: {list: externalList, filters: externalFilters},
    responses: {200: 'The types: {type, enabled, data, plugin_info}', 401: 'Missing or insufficient token', 404: 'No such user in the tenant'},
    async handle({params, query, tenantUuid, services}) {
      const {list, filters} = query;
      return {status: 200, body: await services.externalAuth.list(tenantUuid, params.user_uuid, {...list, type: filters.type ?? null})};
    },
  }),
  route({
    method: 'GET',
    path: '/external/{auth_type}/config',
    tag: 'external',
    summary: "Reads the tenant's settings of this external auth type, secrets included",
    access: 'auth.{auth_type}.external.config.read',
    responses: {200: 'The settings, as stored', 401: 'Missing or insufficient token', 404: 'The tenant has none'},
    async handle({params, tenantUuid, services}) {
      return {status: 200, body: await services.externalAuth.config(tenantUuid, params.auth_type)};
    },
  }),
  route({
    method: 'POST',
    path: '/external/{auth_type}/config',
    tag: 'external',
    summary: `Sets the tenant's settings of this external auth type, kept sealed: ${CONFIG_SUMMARY}`,
    access: 'auth.{auth_type}.external.config.create',
    resource: 'external',
    readForm: readConfig,
    responses: {
      201: 'Created; the body is the JSON string ""',
      400: 'Not a JSON object',
      401: 'Missing or insufficient token',
      409: 'The tenant has settings of this type',
    },
    async handle({params, form, tenantUuid, services}) {
      await services.externalAuth.createConfig(tenantUuid, params.auth_type, form as Record<string, unknown>);
      // Upstream's body is the JSON string "" (its `return '', 201`), which wazo-auth-client's create_config parses.
      return {status: 201, body: ''};
    },
  }),
  route({
    method: 'PUT',
    path: '/external/{auth_type}/config',
    tag: 'external',
    summary: `Replaces the tenant's settings of this external auth type: ${CONFIG_SUMMARY}`,
    access: 'auth.{auth_type}.external.config.update',
    resource: 'external',
    readForm: readConfig,
    responses: {204: 'Replaced', 400: 'Not a JSON object', 401: 'Missing or insufficient token', 404: 'The tenant has none'},
    async handle({params, form, tenantUuid, services}) {
      await services.externalAuth.updateConfig(tenantUuid, params.auth_type, form as Record<string, unknown>);
      return {status: 204};
    },
  }),
  route({
    method: 'DELETE',
    path: '/external/{auth_type}/config',
    tag: 'external',
    summary: "Removes the tenant's settings of this external auth type",
    access: 'auth.{auth_type}.external.config.delete',
    responses: {204: 'Removed', 401: 'Missing or insufficient token', 404: 'The tenant has none'},
    async handle({params, tenantUuid, services}) {
      await services.externalAuth.deleteConfig(tenantUuid, params.auth_type);
      return {status: 204};
    },
  }),
  route({
    method: 'GET',
    path: '/external/{auth_type}/users',
    tag: 'external',
    summary: 'Lists the users of the tenant (and below with recurse) who linked an account of this type',
    access: 'auth.{auth_type}.external.users.read',
    query: {page: connectedPage},
    responses: {200: 'The users: {uuid}', 401: 'Missing or insufficient token', 404: 'No external auth plugin of this type is loaded'},
    async handle({params, query, tenantUuid, services}) {
      const {uuids, total} = await services.externalAuth.connectedUsers(tenantUuid, params.auth_type, query.page.recurse, query.page);
      return {status: 200, body: {filtered: total, total, items: uuids.map((uuid) => ({uuid}))}};
    },
  }),
];

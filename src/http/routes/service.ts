// The service's own routes: status, loaded backends and the API document.

import {stringify} from 'yaml';
import {apiDocument} from '../openapi.js';
import {ServiceUnavailable} from '../request-errors.js';
import {route, type Route} from '../route.js';
import {VERSION} from '../../version.js';

/** The routes of this file need the full route list for the API document. */
export function serviceRoutes(all: () => readonly Route[]): Route[] {
  let document: string | undefined;
  return [
    route({
      method: 'HEAD',
      path: '/status',
      tag: 'status',
      summary: 'Answers 200 when the daemon and its database work, 503 otherwise; the Wazo-Auth-Version header gives the daemon version',
      responses: {200: 'Everything works', 503: 'A component fails'},
      async handle({services}) {
        try {
          await services.store.meta.get('xivo_uuid');
        } catch {
          throw new ServiceUnavailable();
        }
        return {status: 200, body: '', headers: {'Wazo-Auth-Version': VERSION}};
      },
    }),
    route({
      method: 'GET',
      path: '/backends',
      tag: 'backends',
      summary: 'Lists the authentication backends the daemon has loaded (enabled_backend_plugins)',
      responses: {200: 'The backend names'},
      handle: ({services}) => ({status: 200, body: {data: services.authentication.backendNames()}}),
    }),
    route({
      method: 'GET',
      path: '/api/api.yml',
      tag: 'api',
      summary: 'This document',
      responses: {200: 'The API in Swagger 2.0 YAML'},
      handle({services}) {
        document ??= stringify(apiDocument([...all()], services.config.rest_api.port), {sortMapEntries: true});
        return {status: 200, raw: {contentType: 'application/x-yaml', text: document}};
      },
    }),
  ];
}

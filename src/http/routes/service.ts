// The service's own routes: status, loaded backends and the API document.

import {stringify} from 'yaml';
import {apiDocument} from '../openapi.js';
import {ServiceUnavailable} from '../request-errors.js';
import {route, type Route} from '../route.js';
import {VERSION} from '../../version.js';
import type {ServiceStatus} from '../../api/types.js';

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
      // Not GET /status, which upstream answers 405 (it routes HEAD only).
      path: '/bus/status',
      tag: 'status',
      summary: 'Shows the state of each component: the database, and the bus publisher with the events waiting in the outbox',
      access: 'auth.status.read',
      topTenantOnly: true,
      responses: {200: 'The components and their state', 401: 'Missing or insufficient token, or a token outside the top tenant'},
      async handle({services}) {
        const depth = await services.store.outbox.depth().catch(() => null);
        const {events} = services;
        const counters = events.publisher?.status ?? {connected: false, published: 0, dropped: 0};
        const body: ServiceStatus = {
          rest_api: {status: 'ok'},
          database: {status: depth === null ? 'fail' : 'ok'},
          bus_publisher: {
            status: !events.enabled ? 'disabled' : counters.connected ? 'ok' : 'fail',
            outbox_depth: depth,
            published: counters.published,
            dropped: counters.dropped,
          },
        };
        return {status: 200, body};
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

// GET|PATCH /config: the running configuration, for tokens of the top tenant only. PATCH takes
// JSON-patch operations, of which upstream accepts one kind: replacing `/debug`.

import type {ObjectSchema} from '../../schema/schema.js';
import {route, type Route} from '../route.js';

const RESOURCE = 'config';

const patch = {
  type: 'object',
  properties: {
    operations: {
      type: 'array',
      description: 'JSON-patch operations, applied in order; changes last until the daemon stops',
      items: {
        type: 'object',
        properties: {
          op: {type: 'string', enum: ['replace'], description: 'The only operation supported'},
          path: {type: 'string', enum: ['/debug'], description: 'The only setting that changes live'},
          value: {type: 'boolean', description: '`true` logs at debug level, `false` returns to the configured level'},
        },
        required: ['op', 'path', 'value'],
      },
    },
  },
  required: ['operations'],
} as const satisfies ObjectSchema;

export const configRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/config',
    tag: 'config',
    summary: 'Shows the running configuration, passwords masked',
    access: 'auth.config.read',
    topTenantOnly: true,
    resource: RESOURCE,
    responses: {200: 'The configuration', 401: 'Missing or insufficient token, or a token outside the top tenant'},
    handle: ({services}) => ({status: 200, body: services.liveConfig.view()}),
  }),
  route({
    method: 'PATCH',
    path: '/config',
    tag: 'config',
    summary: 'Changes the running configuration (`/debug` only) until the daemon stops',
    access: 'auth.config.update',
    topTenantOnly: true,
    resource: RESOURCE,
    body: patch,
    bodyIsList: 'operations',
    invalidBody: 'every-error',
    responses: {
      200: 'The configuration after the change',
      400: 'Not a list of supported operations',
      401: 'Missing or insufficient token, or a token outside the top tenant',
    },
    handle({body, services}) {
      for (const operation of body.operations) services.liveConfig.setDebug(operation.value);
      return {status: 200, body: services.liveConfig.view()};
    },
  }),
];

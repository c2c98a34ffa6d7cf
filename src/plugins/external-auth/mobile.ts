// The `mobile` external auth plugin (upstream's): a user's phone registers its push tokens (FCM,
// APNs), which wazo-webhookd reads to ring the phone; the phone reads its tenant's FCM sender id.

import {route} from '../../http/route.js';
import type {ExternalAuthPlugin} from '../types.js';

const TYPE = 'mobile';

const token = (description: string) => ({type: 'string', maxLength: 512, nullable: true, description}) as const;

const mobileData = {
  type: 'object',
  properties: {
    token: {type: 'string', minLength: 1, maxLength: 512, nullable: true, description: 'The FCM device token'},
    apns_token: token('The APNs VoIP device token (deprecated: apns_voip_token)'),
    apns_voip_token: token('The APNs VoIP device token'),
    apns_notification_token: token('The APNs device token of text notifications'),
    apns_call_topic: token('The APNs topic of call notifications, e.g. com.example.app.voip'),
    apns_default_topic: token('The APNs topic of other notifications, e.g. com.example.app'),
  },
} as const;

/** Every field, null when not given, as upstream's schema loads it and answers it. */
function devices(body: Partial<Record<keyof typeof mobileData.properties, string | null>>) {
  return {
    token: body.token ?? null,
    apns_token: body.apns_token ?? null,
    apns_voip_token: body.apns_voip_token ?? null,
    apns_notification_token: body.apns_notification_token ?? null,
    apns_call_topic: body.apns_call_topic ?? null,
    apns_default_topic: body.apns_default_topic ?? null,
  };
}

const USER_ERRORS = {401: 'Missing or insufficient token', 404: 'No such user in the tenant, or no device tokens'};

export const mobile: ExternalAuthPlugin = {
  name: TYPE,
  load: () => ({
    routes: [
      route({
        method: 'GET',
        path: '/users/{user_uuid:uuid}/external/mobile',
        tag: 'mobile',
        summary: "Reads the user's push device tokens",
        access: 'auth.users.{user_uuid}.external.mobile.read',
        responses: {200: 'The device tokens', ...USER_ERRORS},
        async handle({params, tenantUuid, services}) {
          const {data} = await services.externalAuth.get(tenantUuid, params.user_uuid, TYPE);
          return {status: 200, body: devices(data as Record<string, string | null>)};
        },
      }),
      route({
        method: 'POST',
        path: '/users/{user_uuid:uuid}/external/mobile',
        tag: 'mobile',
        summary: "Registers the user's push device tokens",
        access: 'auth.users.{user_uuid}.external.mobile.create',
        resource: 'users',
        body: mobileData,
        responses: {
          201: 'The device tokens',
          400: 'Invalid body',
          401: USER_ERRORS[401],
          404: 'No such user in the tenant',
          409: 'The user has device tokens already',
        },
        async handle({params, body, tenantUuid, services}) {
          const data = devices(body);
          await services.externalAuth.create(tenantUuid, params.user_uuid, TYPE, data);
          services.log.info(`Tokens registered for User(${params.user_uuid}) in plugin external mobile`);
          return {status: 201, body: data};
        },
      }),
      route({
        method: 'PUT',
        path: '/users/{user_uuid:uuid}/external/mobile',
        tag: 'mobile',
        summary: "Replaces the user's push device tokens, or registers them",
        access: 'auth.users.{user_uuid}.external.mobile.update',
        resource: 'users',
        body: mobileData,
        responses: {200: 'The device tokens', 400: 'Invalid body', 401: USER_ERRORS[401], 404: 'No such user in the tenant'},
        async handle({params, body, tenantUuid, services}) {
          const data = devices(body);
          await services.externalAuth.put(tenantUuid, params.user_uuid, TYPE, data);
          return {status: 200, body: data};
        },
      }),
      route({
        method: 'DELETE',
        path: '/users/{user_uuid:uuid}/external/mobile',
        tag: 'mobile',
        summary: "Removes the user's push device tokens",
        access: 'auth.users.{user_uuid}.external.mobile.delete',
        responses: {204: 'Removed', ...USER_ERRORS},
        async handle({params, tenantUuid, services}) {
          await services.externalAuth.delete(tenantUuid, params.user_uuid, TYPE);
          return {status: 204};
        },
      }),
      route({
        method: 'GET',
        path: '/users/{user_uuid:uuid}/external/mobile/sender_id',
        tag: 'mobile',
        summary: "The FCM sender id of the user's tenant (its mobile settings' fcm_sender_id)",
        access: 'auth.users.{user_uuid}.external.mobile.sender_id.read',
        responses: {
          200: '{sender_id}, null when the settings have none',
          401: USER_ERRORS[401],
          404: 'No such user in the tenant, or the tenant has no mobile settings',
        },
        async handle({params, tenantUuid, services}) {
          const user = await services.users.get(tenantUuid, params.user_uuid);
          const config = await services.externalAuth.config(user.tenantUuid, TYPE);
          return {status: 200, body: {sender_id: typeof config.fcm_sender_id === 'string' ? config.fcm_sender_id : null}};
        },
      }),
    ],
  }),
};

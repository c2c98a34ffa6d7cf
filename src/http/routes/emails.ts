// PUT /users/{uuid}/emails and PUT /admin/users/{uuid}/emails: replace a user's e-mail
// addresses. Only the admin route may say an address is confirmed, which makes it a login;
// GET|PUT /emails/{uuid}/confirm confirm one address (GET for a link followed from a mail, with
// `?token=`), and GET /users/{uuid}/emails/{email_uuid}/confirm mails that link (again).

import type * as api from '../../api/types.js';
import type {Email} from '../../domain/types.js';
import type {ObjectSchema, Schema} from '../../schema/schema.js';
import {ONE_SHOT_AUTH_ID, type LiveToken} from '../../services/tokens.js';
import type {Services} from '../../services/index.js';
import {linkParams} from '../mail-links.js';
import {route, type Route} from '../route.js';

const RESOURCE = 'emails';

function emailList<A extends Record<string, Schema>>(address: A) {
  return {
    type: 'object',
    properties: {
      emails: {
        type: 'array',
        description: 'Every address of the user: those left out are removed; exactly one is main unless the list is empty',
        items: {
          type: 'object',
          properties: {
            address: {type: 'string', format: 'email', description: 'Unique among all logins, whatever the case'},
            main: {type: 'boolean', default: false, description: 'The address mail goes to'},
            ...address,
          },
          required: ['address'],
        },
      },
    },
    required: ['emails'],
  } as const satisfies ObjectSchema;
}

const userEmails = emailList({});
const adminEmails = emailList({
  confirmed: {
    type: 'boolean',
    nullable: true,
    description: 'A confirmed address is also a login; null or absent keeps what the address had (a new one is unconfirmed)',
  },
});

const emailBody = (email: Email): api.Email => ({uuid: email.uuid, address: email.address, main: email.main, confirmed: email.confirmed});

const replacement = {
  tag: 'users',
  resource: RESOURCE,
  // The first message, however deep, with every error in `details`.
  invalidBody: 'every-error',
  responses: {
    200: 'The new list of addresses',
    400: 'Invalid body: a bad address, no main address or several, an address twice',
    401: 'Missing or insufficient token',
    404: 'No such user in this subtree',
    409: "An address is another user's login",
  },
} as const;

/** Confirms the address; a mailed link's token has done its work and is revoked. */
async function confirm(services: Services, tenantUuid: string, emailUuid: string, token: LiveToken): Promise<void> {
  await services.emails.confirm(tenantUuid, emailUuid);
  if (token.record.authId === ONE_SHOT_AUTH_ID) await services.tokens.revoke(token.value);
}

const confirmation = {
  path: '/emails/{email_uuid:uuid}/confirm',
  tag: 'emails',
  access: 'auth.emails.{email_uuid}.confirm.update',
  resource: RESOURCE,
} as const;

export const emailRoutes: Route[] = [
  route({
    ...replacement,
    method: 'PUT',
    path: '/users/{user_uuid:uuid}/emails',
    summary: "Replaces a user's e-mail addresses; new ones are unconfirmed, kept ones keep their state",
    access: 'auth.users.{user_uuid}.emails.update',
    body: userEmails,
    async handle({body, params, tenantUuid, services}) {
      const emails = await services.emails.replace(tenantUuid, params.user_uuid, body.emails);
      return {status: 200, body: emails.map(emailBody)};
    },
  }),
  route({
    ...replacement,
    method: 'PUT',
    path: '/admin/users/{user_uuid:uuid}/emails',
    summary: "Replaces a user's e-mail addresses, confirming them or not",
    access: 'auth.admin.users.{user_uuid}.emails.update',
    body: adminEmails,
    async handle({body, params, tenantUuid, services}) {
      const emails = await services.emails.replace(tenantUuid, params.user_uuid, body.emails);
      return {status: 200, body: emails.map(emailBody)};
    },
  }),
  route({
    ...confirmation,
    method: 'PUT',
    summary: 'Confirms an e-mail address, which makes it a login',
    responses: {204: 'Confirmed', 401: 'Missing or insufficient token', 404: 'No such address in this subtree'},
    async handle({params, tenantUuid, token, services}) {
      await confirm(services, tenantUuid, params.email_uuid, token);
      return {status: 204};
    },
  }),
  route({
    ...confirmation,
    method: 'GET',
    summary: 'Confirms an e-mail address from a link: the token may come as `?token=`; answers a page',
    responses: {
      200: 'Confirmed: the page of `email_confirmation_get_response_body_template`, as `email_confirmation_get_mimetype`',
      401: 'Missing or insufficient token',
      404: 'No such address in this subtree',
    },
    async handle({params, tenantUuid, token, services}) {
      await confirm(services, tenantUuid, params.email_uuid, token);
      return {status: 200, raw: await services.mailMessages.confirmedPage()};
    },
  }),
  route({
    method: 'GET',
    path: '/users/{user_uuid:uuid}/emails/{email_uuid:uuid}/confirm',
    tag: 'users',
    summary: 'Mails the confirmation link of an unconfirmed address (again); the mail goes out after the answer',
    access: 'auth.users.{user_uuid}.emails.{email_uuid}.confirm.read',
    resource: RESOURCE,
    responses: {
      204: 'The mail is on its way',
      401: 'Missing or insufficient token',
      404: 'No such user in this subtree, or no such address of the user',
      409: 'The address is already confirmed',
    },
    async handle({params, headers, tenantUuid, services}) {
      await services.emails.requestConfirmation(tenantUuid, params.user_uuid, params.email_uuid, linkParams(headers, services.config.email_links));
      return {status: 204};
    },
  }),
];

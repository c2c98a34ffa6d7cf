// PUT /users/{uuid}/emails and PUT /admin/users/{uuid}/emails: replace a user's e-mail
// addresses. Only the admin route may say an address is confirmed, which makes it a login;
// GET|PUT /emails/{uuid}/confirm confirm one address (GET for a link followed from a mail, with
// `?token=`).

import {InvalidEmailList, UnknownEmail, type EmailChange} from '../../services/emails.js';
import type {Email} from '../../domain/types.js';
import {apiError, errors} from '../errors.js';
import type {RequestContext, Route} from '../route.js';
import {firstMessage, type FieldErrors, type ObjectSchema, type Schema} from '../schema.js';
import {asUserAnswer} from './users.js';

const RESOURCE = 'emails';

function emailList(address: Record<string, Schema>): ObjectSchema {
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
  };
}

const userEmails = emailList({});
const adminEmails = emailList({
  confirmed: {
    type: 'boolean',
    nullable: true,
    description: 'A confirmed address is also a login; null or absent keeps what the address had (a new one is unconfirmed)',
  },
});

/** The first message, however deep, with every error in `details`. */
const invalidEmails = (fieldErrors: FieldErrors) => apiError(400, 'invalid-data', firstMessage(fieldErrors), fieldErrors, RESOURCE);

const emailBody = (email: Email) => ({uuid: email.uuid, address: email.address, main: email.main, confirmed: email.confirmed});

async function replace(ctx: RequestContext): Promise<{status: number; body: unknown}> {
  const changes = ctx.body.emails as EmailChange[];
  try {
    const emails = await asUserAnswer(ctx.services.emails.replace(ctx.tenantUuid!, ctx.params.user_uuid!, changes));
    return {status: 200, body: emails.map(emailBody)};
  } catch (error) {
    if (error instanceof InvalidEmailList) {
      const broken = {constraint_id: 'email_list', message: error.message};
      throw errors.invalidData(RESOURCE, {emails: broken});
    }
    throw error;
  }
}

const responses = {
  200: 'The new list of addresses',
  400: 'Invalid body: a bad address, no main address or several, an address twice',
  401: 'Missing or insufficient token',
  404: 'No such user in this subtree',
  409: "An address is another user's login",
};

/** Upstream's page for a followed confirmation link (the default of its configurable template). */
const CONFIRMED_PAGE = 'Email address confirmed';

async function confirm(ctx: RequestContext): Promise<void> {
  try {
    await ctx.services.emails.confirm(ctx.tenantUuid!, ctx.params.email_uuid!);
  } catch (error) {
    if (error instanceof UnknownEmail) throw errors.unknown(RESOURCE, 'email', error.uuid);
    throw error;
  }
}

const confirmation = {
  path: '/emails/{email_uuid:uuid}/confirm',
  tag: 'emails',
  access: 'auth.emails.{email_uuid}.confirm.update',
  resource: RESOURCE,
} as const;

export const emailRoutes: Route[] = [
  {
    method: 'PUT',
    path: '/users/{user_uuid:uuid}/emails',
    tag: 'users',
    summary: "Replaces a user's e-mail addresses; new ones are unconfirmed, kept ones keep their state",
    access: 'auth.users.{user_uuid}.emails.update',
    resource: RESOURCE,
    body: userEmails,
    invalidBody: invalidEmails,
    responses,
    handle: replace,
  },
  {
    method: 'PUT',
    path: '/admin/users/{user_uuid:uuid}/emails',
    tag: 'users',
    summary: "Replaces a user's e-mail addresses, confirming them or not",
    access: 'auth.admin.users.{user_uuid}.emails.update',
    resource: RESOURCE,
    body: adminEmails,
    invalidBody: invalidEmails,
    responses,
    handle: replace,
  },
  {
    ...confirmation,
    method: 'PUT',
    summary: 'Confirms an e-mail address, which makes it a login',
    responses: {204: 'Confirmed', 401: 'Missing or insufficient token', 404: 'No such address in this subtree'},
    async handle(ctx) {
      await confirm(ctx);
      return {status: 204};
    },
  },
  {
    ...confirmation,
    method: 'GET',
    summary: 'Confirms an e-mail address from a link: the token may come as `?token=`; answers a page',
    responses: {200: 'Confirmed: a short HTML page', 401: 'Missing or insufficient token', 404: 'No such address in this subtree'},
    async handle(ctx) {
      await confirm(ctx);
      return {status: 200, raw: {contentType: 'text/html; charset=utf-8', text: CONFIRMED_PAGE}};
    },
  },
];

// Upstream's password_reset plugin. GET /users/password/reset asks for the mail of a forgotten
// password and always answers 204: the lookup and the mail happen after the answer (a job of the
// mail queue), so the answer and its timing say nothing of the user. POST sets the password with
// the mail's token, or an administrator's, of the user `?user_uuid=` names.

import type {ObjectSchema} from '../../schema/schema.js';
import type {ResetLookup} from '../../services/password-reset.js';
import {linkParams} from '../mail-links.js';
import {InvalidResetQuery} from '../request-errors.js';
import {route, type QueryParser, type Route} from '../route.js';
import {firstMessage, validate} from '../schema.js';

const RESOURCE = 'reset';

const lookupSchema = {
  type: 'object',
  properties: {
    username: {type: 'string', minLength: 1, maxLength: 256, description: "The user's username"},
    email: {type: 'string', format: 'email', description: "One of the user's addresses: the mail goes to it"},
    login: {type: 'string', minLength: 1, maxLength: 256, description: 'A username or a confirmed address'},
  },
} as const satisfies ObjectSchema;

const ONE_OF = '"username" or "email" or "login" should be used';

const lookupQuery: QueryParser<ResetLookup> = {
  parameters: Object.entries(lookupSchema.properties).map(([name, schema]) => ({name, schema})),
  parse(query) {
    const given: Record<string, string> = {};
    for (const name of Object.keys(lookupSchema.properties)) {
      const value = query.get(name);
      if (value !== null) given[name] = value;
    }
    const result = validate(lookupSchema, given);
    if (!result.ok) throw new InvalidResetQuery(firstMessage(result.errors));
    const {username, email, login} = result.value;
    if ([username, email, login].filter((v) => v !== undefined).length !== 1) throw new InvalidResetQuery([ONE_OF]);
    return username !== undefined ? {username} : email !== undefined ? {email} : {login: login!};
  },
};

const userUuidQuery: QueryParser<string> = {
  parameters: [{name: 'user_uuid', schema: {type: 'string', format: 'uuid', description: "The user's uuid"}, required: true}],
  parse: (query) => query.get('user_uuid') ?? 'None',
};

const newPassword = {
  type: 'object',
  properties: {
    password: {type: 'string', minLength: 1, nullable: true, description: 'The new password; null removes the password (no password login then)'},
  },
  required: ['password'],
} as const satisfies ObjectSchema;

export const passwordResetRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/users/password/reset',
    tag: 'users',
    summary: "Mails a link to set a new password to the user's confirmed address (or to the address given), whether or not the user exists",
    resource: RESOURCE,
    query: {lookup: lookupQuery},
    responses: {204: 'Taken: a mail goes out if a user matches and has an address', 400: 'Not exactly one of username, email or login, or an invalid one'},
    handle({query, headers, services}) {
      services.passwordReset.request(query.lookup, linkParams(headers, services.config.email_links));
      return {status: 204};
    },
  }),
  route({
    method: 'POST',
    path: '/users/password/reset',
    tag: 'users',
    summary: "Sets the user's password without the old one, with the mailed token or an administrator's; ends the user's sessions",
    access: 'auth.users.password.reset.{user_uuid}.create',
    accessFromQuery: ['user_uuid'],
    resource: RESOURCE,
    query: {userUuid: userUuidQuery},
    body: newPassword,
    invalidBody: 'message-only',
    responses: {
      204: 'Password set (or removed)',
      400: 'Invalid body',
      401: 'Missing or insufficient token, or the user has no login to go with a password',
      404: 'No such user in this subtree',
      405: "The user's password is managed externally (ldap, saml)",
    },
    async handle({query, body, tenantUuid, services}) {
      await services.passwordReset.setPassword(tenantUuid, query.userUuid, body.password ?? null);
      return {status: 204};
    },
  }),
];

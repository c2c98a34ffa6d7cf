// Upstream's user_registration plugin, off by default (`enabled_http_plugins.user_registration`):
// anyone may create an account, which gets a tenant of its own and a confirmation mail.

import type {ObjectSchema} from '../../schema/schema.js';
import {linkParams} from '../mail-links.js';
import {route, type Route} from '../route.js';
import {userBody} from './users.js';

const registration = {
  type: 'object',
  properties: {
    username: {type: 'string', minLength: 1, maxLength: 256, description: 'A login, unique among all usernames and addresses'},
    password: {type: 'string', minLength: 1, description: 'The password of the new account'},
    firstname: {type: 'string', nullable: true},
    lastname: {type: 'string', nullable: true},
    email_address: {type: 'string', format: 'email', description: 'The main address; a login once confirmed through the mailed link'},
  },
  required: ['password', 'email_address'],
} as const satisfies ObjectSchema;

export const userRegistrationRoutes: Route[] = [
  route({
    method: 'POST',
    path: '/users/register',
    tag: 'users',
    summary: 'Creates a user in a new tenant named after it, and mails the link that confirms its address',
    resource: 'users',
    body: registration,
    invalidBody: 'first-field',
    // Anyone may call it: a small body is plenty.
    maxBodyBytes: 16 * 1024,
    responses: {200: 'The new user', 400: 'Invalid body', 409: 'Username or address already used'},
    async handle({body, headers, services}) {
      const user = await services.registration.register(
        {
          username: body.username ?? null,
          password: body.password,
          firstname: body.firstname ?? null,
          lastname: body.lastname ?? null,
          emailAddress: body.email_address,
        },
        linkParams(headers, services.config.email_links),
      );
      return {status: 200, body: userBody(user)};
    },
  }),
];

// POST|GET /users, GET|PUT|DELETE /users/{uuid}, PUT /users/{uuid}/password: the users of the
// tenant the request acts in, and of the tenants below it.

import type * as api from '../../api/types.js';
import type {AuthenticationMethod, User, UserFilters} from '../../domain/types.js';
import type {Infer, ObjectSchema, Schema} from '../../schema/schema.js';
import {defaultAuthenticationMethod, type UserFields} from '../../services/users.js';
import {listFilters, listQuery} from '../list-params.js';
import {InvalidAuthenticationMethod} from '../request-errors.js';
import {route, type Route} from '../route.js';

const RESOURCE = 'users';
const METHODS: ReadonlySet<string> = new Set<AuthenticationMethod>(['default', 'native', 'ldap', 'saml']);
const isMethod = (method: string): method is AuthenticationMethod => METHODS.has(method);
const userList = listQuery(RESOURCE, ['username', 'firstname', 'lastname'], 'username');

const text = (description: string) => ({type: 'string', description}) as const;

/** Upstream's exact-match filters of user lists. */
const userFilters = listFilters<UserFilters>(RESOURCE, {
  uuid: {key: 'uuid', schema: text('Only the user with this uuid')},
  username: {key: 'username', schema: text('Only the user with this username (exact case)')},
  firstname: {key: 'firstname', schema: text('Only the users with this first name')},
  lastname: {key: 'lastname', schema: text('Only the users with this last name')},
  purpose: {key: 'purpose', schema: text('Only the users with this purpose')},
  email_address: {key: 'emailAddress', schema: text('Only the user with this e-mail address (exact case)')},
  group_uuid: {key: 'groupUuid', schema: text('Only the members of this group')},
  policy_uuid: {key: 'policyUuid', schema: text('Only the users holding this policy themselves')},
  policy_slug: {key: 'policySlug', schema: text('Only the users holding themselves a policy with this slug')},
  has_policy_uuid: {key: 'hasPolicyUuid', schema: text('Only the users holding this policy, themselves or through a group')},
  has_policy_slug: {key: 'hasPolicySlug', schema: text('Only the users holding a policy with this slug, themselves or through a group')},
});

const nullableText = (description: string) => ({type: 'string', nullable: true, description}) as const;

const userFields = {
  username: {type: 'string', minLength: 1, maxLength: 256, nullable: true, description: 'Login; unique whatever the case'},
  firstname: nullableText('First name'),
  lastname: nullableText('Last name'),
  purpose: {type: 'string', enum: ['user', 'internal', 'external_api'], default: 'user', description: 'What the account is for'},
  enabled: {type: 'boolean', default: true, description: 'A disabled user cannot log in'},
  authentication_method: {
    type: 'string',
    description: `One of ${[...METHODS].join(', ')}; \`native\` for internal and external_api users when absent, else \`default\``,
  },
} as const satisfies Record<string, Schema>;

const newUser = {
  type: 'object',
  properties: {
    uuid: {type: 'string', format: 'uuid', description: 'Chosen by the daemon when absent'},
    ...userFields,
    password: {type: 'string', minLength: 1, nullable: true, description: 'No password: the user cannot log in with one'},
    email_address: {type: 'string', format: 'email', nullable: true, description: 'Main address, confirmed'},
  },
} as const satisfies ObjectSchema;

const userChanges = {type: 'object', properties: userFields} as const satisfies ObjectSchema;

const passwordChange = {
  type: 'object',
  properties: {
    old_password: {type: 'string', minLength: 1, description: 'The current password'},
    new_password: {type: 'string', minLength: 1, description: 'The password that replaces it'},
  },
  required: ['old_password', 'new_password'],
} as const satisfies ObjectSchema;

/** Upstream's fields in upstream's order. */
export function userBody(user: User): api.User {
  return {
    username: user.username,
    uuid: user.uuid,
    enabled: user.enabled,
    emails: user.emails.map((e) => ({uuid: e.uuid, address: e.address, main: e.main, confirmed: e.confirmed})),
    firstname: user.firstname,
    lastname: user.lastname,
    purpose: user.purpose,
    tenant_uuid: user.tenantUuid,
    authentication_method: user.authenticationMethod,
  };
}

/** The fields shared by creation and replacement; omitted ones are cleared, as upstream's PUT. */
function fieldsOf(body: Infer<typeof userChanges>): UserFields {
  const method = body.authentication_method ?? defaultAuthenticationMethod(body.purpose);
  if (!isMethod(method)) throw new InvalidAuthenticationMethod('authentication_method', method);
  return {
    username: body.username ?? null,
    firstname: body.firstname ?? null,
    lastname: body.lastname ?? null,
    purpose: body.purpose,
    enabled: body.enabled,
    authenticationMethod: method,
  };
}

const userPath = '/users/{user_uuid:uuid}';

export const userRoutes: Route[] = [
  route({
    method: 'POST',
    path: '/users',
    tag: 'users',
    summary: 'Creates a user in the tenant the request acts in',
    access: 'auth.users.create',
    resource: RESOURCE,
    body: newUser,
    invalidBody: 'first-field',
    responses: {200: 'The new user', 400: 'Invalid body', 401: 'Missing or insufficient token', 409: 'Login or uuid already used'},
    async handle({body, tenantUuid, services}) {
      const user = await services.users.create(tenantUuid, {
        ...fieldsOf(body),
        uuid: body.uuid,
        password: body.password ?? null,
        emailAddress: body.email_address ?? null,
      });
      return {status: 200, body: userBody(user)};
    },
  }),
  route({
    method: 'GET',
    path: '/users',
    tag: 'users',
    summary: 'Lists the users of the tenant the request acts in (and below it with `recurse`)',
    access: 'auth.users.read',
    resource: RESOURCE,
    query: {list: userList, filters: userFilters},
    responses: {200: 'The users', 400: 'Invalid list parameter', 401: 'Missing or insufficient token'},
    async handle({query, tenantUuid, services}) {
      const {recurse, ...params} = query.list;
      const {total, filtered, items} = await services.users.list(tenantUuid, params, recurse, query.filters);
      return {status: 200, body: {filtered, total, items: items.map(userBody)}};
    },
  }),
  route({
    method: 'GET',
    path: userPath,
    tag: 'users',
    summary: 'Reads a user',
    access: 'auth.users.{user_uuid}.read',
    resource: RESOURCE,
    responses: {200: 'The user', 401: 'Missing or insufficient token', 404: 'No such user in this subtree'},
    async handle({params, tenantUuid, services}) {
      return {status: 200, body: userBody(await services.users.get(tenantUuid, params.user_uuid))};
    },
  }),
  route({
    method: 'PUT',
    path: userPath,
    tag: 'users',
    summary: 'Replaces a user; omitted fields are cleared, and disabling a user ends its sessions',
    access: 'auth.users.{user_uuid}.update',
    resource: RESOURCE,
    body: userChanges,
    invalidBody: 'first-field',
    responses: {
      200: 'The user',
      400: 'Invalid body',
      401: 'Missing or insufficient token',
      404: 'No such user in this subtree',
      409: 'Login already used',
    },
    async handle({body, params, tenantUuid, services}) {
      const user = await services.users.update(tenantUuid, params.user_uuid, fieldsOf(body));
      return {status: 200, body: userBody(user)};
    },
  }),
  route({
    method: 'DELETE',
    path: userPath,
    tag: 'users',
    summary: 'Deletes a user, revoking its tokens',
    access: 'auth.users.{user_uuid}.delete',
    resource: RESOURCE,
    responses: {204: 'Deleted', 401: 'Missing or insufficient token', 404: 'No such user in this subtree'},
    async handle({params, tenantUuid, services}) {
      await services.users.delete(tenantUuid, params.user_uuid);
      return {status: 204};
    },
  }),
  route({
    method: 'PUT',
    path: `${userPath}/password`,
    tag: 'users',
    summary: "Changes a user's password given the current one; ends the user's sessions",
    access: 'auth.users.{user_uuid}.password.update',
    resource: RESOURCE,
    body: passwordChange,
    invalidBody: 'first-field',
    responses: {
      204: 'Changed',
      400: 'Invalid body',
      401: 'Missing or insufficient token, or wrong current password',
      404: 'No such user in this subtree',
      405: 'The password is managed by an external identity provider',
    },
    async handle({body, params, tenantUuid, services}) {
      await services.users.changePassword(tenantUuid, params.user_uuid, body.old_password, body.new_password);
      return {status: 204};
    },
  }),
];

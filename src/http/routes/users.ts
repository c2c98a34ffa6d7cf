// POST|GET /users, GET|PUT|DELETE /users/{uuid}, PUT /users/{uuid}/password: the users of the
// tenant the request acts in, and of the tenants below it.

import {
  defaultAuthenticationMethod,
  PasswordManagedExternally,
  UnknownUser,
  UserConflict,
  WrongPassword,
  type UserFields,
} from '../../services/users.js';
import type {AuthenticationMethod, Purpose, User, UserFilters} from '../../domain/types.js';
import {apiError, errors} from '../errors.js';
import {listFilters, listQuery} from '../list-params.js';
import type {Route} from '../route.js';
import {firstErrors, type FieldErrors, type ObjectSchema, type Schema, type StringSchema} from '../schema.js';

const RESOURCE = 'users';
const METHODS: readonly AuthenticationMethod[] = ['default', 'native', 'ldap', 'saml'];
const userList = listQuery(RESOURCE, ['username', 'firstname', 'lastname'], 'username');

const text = (description: string): StringSchema => ({type: 'string', description});

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

const nullableText = (description: string): Schema => ({type: 'string', nullable: true, description});

const userFields: ObjectSchema['properties'] = {
  username: {type: 'string', minLength: 1, maxLength: 256, nullable: true, description: 'Login; unique whatever the case'},
  firstname: nullableText('First name'),
  lastname: nullableText('Last name'),
  purpose: {type: 'string', enum: ['user', 'internal', 'external_api'], default: 'user', description: 'What the account is for'},
  enabled: {type: 'boolean', default: true, description: 'A disabled user cannot log in'},
  authentication_method: {
    type: 'string',
    description: `One of ${METHODS.join(', ')}; \`native\` for internal and external_api users when absent, else \`default\``,
  },
};

const newUser: ObjectSchema = {
  type: 'object',
  properties: {
    uuid: {type: 'string', format: 'uuid', description: 'Chosen by the daemon when absent'},
    ...userFields,
    password: {type: 'string', minLength: 1, nullable: true, description: 'No password: the user cannot log in with one'},
    email_address: {type: 'string', format: 'email', nullable: true, description: 'Main address, confirmed'},
  },
};

const userChanges: ObjectSchema = {type: 'object', properties: userFields};

const passwordChange: ObjectSchema = {
  type: 'object',
  properties: {
    old_password: {type: 'string', minLength: 1, description: 'The current password'},
    new_password: {type: 'string', minLength: 1, description: 'The password that replaces it'},
  },
  required: ['old_password', 'new_password'],
};

/** Upstream's 400 names only the first invalid field. */
function invalidUser(fieldErrors: FieldErrors) {
  const [field, error] = Object.entries(firstErrors(fieldErrors))[0]!;
  return errors.invalidData(RESOURCE, {[field]: error});
}

/** Upstream's fields in upstream's order. */
export function userBody(user: User): Record<string, unknown> {
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
function fieldsOf(body: Record<string, unknown>): UserFields {
  const purpose = body.purpose as Purpose;
  const method = (body.authentication_method as string | undefined) ?? defaultAuthenticationMethod(purpose);
  if (!METHODS.includes(method as AuthenticationMethod)) {
    throw apiError(400, 'invalid-data', `Invalid authentication method ${method}`, {authentication_method: method}, RESOURCE);
  }
  return {
    username: (body.username as string | null | undefined) ?? null,
    firstname: (body.firstname as string | null | undefined) ?? null,
    lastname: (body.lastname as string | null | undefined) ?? null,
    purpose,
    enabled: body.enabled as boolean,
    authenticationMethod: method as AuthenticationMethod,
  };
}

/** The service's refusals as upstream's answers. */
export async function asUserAnswer<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof UnknownUser) throw errors.unknown(RESOURCE, 'user', error.uuid);
    if (error instanceof UserConflict) {
      const what = error.field === 'uuid' ? 'uuid' : 'login';
      throw errors.conflict(RESOURCE, error.field, `The ${what} "${error.value}" is already used`);
    }
    if (error instanceof WrongPassword) throw errors.authenticationFailed();
    if (error instanceof PasswordManagedExternally) {
      const message = `Unable to update externally managed password for user : "${error.uuid}"`;
      throw apiError(405, 'password-managed-externally', message, {uuid: error.uuid}, RESOURCE);
    }
    throw error;
  }
}

const userPath = '/users/{user_uuid:uuid}';

export const userRoutes: Route[] = [
  {
    method: 'POST',
    path: '/users',
    tag: 'users',
    summary: 'Creates a user in the tenant the request acts in',
    access: 'auth.users.create',
    resource: RESOURCE,
    body: newUser,
    invalidBody: invalidUser,
    responses: {200: 'The new user', 400: 'Invalid body', 401: 'Missing or insufficient token', 409: 'Login or uuid already used'},
    async handle(ctx) {
      const body = ctx.body;
      const user = await asUserAnswer(
        ctx.services.users.create(ctx.tenantUuid!, {
          ...fieldsOf(body),
          uuid: body.uuid as string | undefined,
          password: (body.password as string | null | undefined) ?? null,
          emailAddress: (body.email_address as string | null | undefined) ?? null,
        }),
      );
      return {status: 200, body: userBody(user)};
    },
  },
  {
    method: 'GET',
    path: '/users',
    tag: 'users',
    summary: 'Lists the users of the tenant the request acts in (and below it with `recurse`)',
    access: 'auth.users.read',
    resource: RESOURCE,
    query: [...userList.parameters, ...userFilters.parameters],
    responses: {200: 'The users', 400: 'Invalid list parameter', 401: 'Missing or insufficient token'},
    async handle(ctx) {
      const {recurse, ...params} = userList.parse(ctx.query);
      const filters = userFilters.parse(ctx.query);
      const {total, filtered, items} = await ctx.services.users.list(ctx.tenantUuid!, params, recurse, filters);
      return {status: 200, body: {filtered, total, items: items.map(userBody)}};
    },
  },
  {
    method: 'GET',
    path: userPath,
    tag: 'users',
    summary: 'Reads a user',
    access: 'auth.users.{user_uuid}.read',
    resource: RESOURCE,
    responses: {200: 'The user', 401: 'Missing or insufficient token', 404: 'No such user in this subtree'},
    async handle(ctx) {
      const user = await asUserAnswer(ctx.services.users.get(ctx.tenantUuid!, ctx.params.user_uuid!));
      return {status: 200, body: userBody(user)};
    },
  },
  {
    method: 'PUT',
    path: userPath,
    tag: 'users',
    summary: 'Replaces a user; omitted fields are cleared, and disabling a user ends its sessions',
    access: 'auth.users.{user_uuid}.update',
    resource: RESOURCE,
    body: userChanges,
    invalidBody: invalidUser,
    responses: {
      200: 'The user',
      400: 'Invalid body',
      401: 'Missing or insufficient token',
      404: 'No such user in this subtree',
      409: 'Login already used',
    },
    async handle(ctx) {
      const fields = fieldsOf(ctx.body);
      const user = await asUserAnswer(ctx.services.users.update(ctx.tenantUuid!, ctx.params.user_uuid!, fields));
      return {status: 200, body: userBody(user)};
    },
  },
  {
    method: 'DELETE',
    path: userPath,
    tag: 'users',
    summary: 'Deletes a user, revoking its tokens',
    access: 'auth.users.{user_uuid}.delete',
    resource: RESOURCE,
    responses: {204: 'Deleted', 401: 'Missing or insufficient token', 404: 'No such user in this subtree'},
    async handle(ctx) {
      await asUserAnswer(ctx.services.users.delete(ctx.tenantUuid!, ctx.params.user_uuid!));
      return {status: 204};
    },
  },
  {
    method: 'PUT',
    path: `${userPath}/password`,
    tag: 'users',
    summary: "Changes a user's password given the current one; ends the user's sessions",
    access: 'auth.users.{user_uuid}.password.update',
    resource: RESOURCE,
    body: passwordChange,
    invalidBody: invalidUser,
    responses: {
      204: 'Changed',
      400: 'Invalid body',
      401: 'Missing or insufficient token, or wrong current password',
      404: 'No such user in this subtree',
      405: 'The password is managed by an external identity provider',
    },
    async handle(ctx) {
      const {old_password, new_password} = ctx.body as {old_password: string; new_password: string};
      await asUserAnswer(ctx.services.users.changePassword(ctx.tenantUuid!, ctx.params.user_uuid!, old_password, new_password));
      return {status: 204};
    },
  },
];

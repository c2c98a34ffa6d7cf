// Builds the access a route requires from its ACL template and the request's path values.

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Fills `{name}` placeholders of a route's required ACL with values, each '.' in a value replaced
 * by '_' so that a path parameter can never add segments.
 * e.g. requiredAccessFor('auth.users.{user_uuid}.read', {user_uuid: 'a.b'}) === 'auth.users.a_b.read'
 * Throws when a placeholder has no value: a half-filled ACL could be granted by a wildcard.
 */
export function requiredAccessFor(template: string, values: Record<string, string>): string {
  return template.replace(PLACEHOLDER, (_, name: string) => {
    if (!Object.hasOwn(values, name)) throw new Error(`no value for {${name}} in required ACL ${template}`);
    return String(values[name]).replaceAll('.', '_');
  });
}

// The key stored beside a login (username, e-mail address) so that uniqueness and lookups ignore
// case in every script, whatever the database engine's own notion of case.

/** The lower-cased login, Unicode-aware. */
export function loginKey(value: string): string {
  return value.toLowerCase();
}

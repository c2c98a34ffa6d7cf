// Which policy the operator means when typing a name: for attaching one to a user.

export interface Named {
  uuid: string;
  name: string;
  slug: string;
}

/**
 * The policy `text` names: its uuid, slug or name (any case), else the only one whose name or
 * slug starts with it.
 *
 * @example
 * matchPolicy(policies, 'oper') // {policy: operators}
 */
export function matchPolicy<P extends Named>(policies: readonly P[], text: string): {policy: P} | {problem: string} {
  const wanted = text.trim().toLowerCase();
  if (!wanted) return {problem: 'a policy name or slug'};
  const exact = policies.find((p) => p.uuid === wanted || p.slug.toLowerCase() === wanted || p.name.toLowerCase() === wanted);
  if (exact) return {policy: exact};
  const prefixed = policies.filter((p) => p.slug.toLowerCase().startsWith(wanted) || p.name.toLowerCase().startsWith(wanted));
  if (prefixed.length === 1) return {policy: prefixed[0]!};
  if (prefixed.length === 0) return {problem: `no policy "${text.trim()}"`};
  const shown = prefixed.slice(0, 4).map((p) => p.name);
  return {problem: `${shown.join(', ')}${prefixed.length > 4 ? ', …' : ''}?`};
}

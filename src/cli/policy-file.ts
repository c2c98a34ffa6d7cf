// Policies described in YAML, as `policy apply` reads them and `policy edit` writes them: a list
// of policies, or one. Read strictly: a misspelt key must not silently clear an ACL, so every
// problem is a usage error that says where it is, and nothing is applied.

import {parseDocument, stringify} from 'yaml';
import type {Policy} from '../client/index.js';
import type {Infer, ObjectSchema} from '../schema/schema.js';
import {validate, type Issue} from '../schema/validate.js';
import {expectation} from '../schema/wording.js';
import {usageError} from './failure.js';
import {accessProblems} from './policy-commands.js';

/** The API's limits. */
const MAX_LENGTH = 80;

const SPEC = {
  type: 'object',
  properties: {
    name: {type: 'string', minLength: 1, maxLength: MAX_LENGTH},
    slug: {type: 'string', minLength: 1, maxLength: MAX_LENGTH, pattern: /^[a-zA-Z0-9_-]+$/, expect: `1 to ${MAX_LENGTH} letters, digits, _ or -`},
    description: {type: 'string', nullable: true, expect: 'text'},
    // `acl:` with nothing after it is an empty ACL.
    acl: {type: 'array', nullable: true, items: {type: 'string', minLength: 1}, expect: 'a list of accesses'},
    shared: {type: 'boolean'},
  },
  required: ['name'],
} as const satisfies ObjectSchema;

/**
 * One policy as a file describes it. A field left out is not managed: an existing policy keeps
 * its own (a new one gets no description, an empty ACL, not shared).
 * @example {name: 'Operators', slug: 'operators', acl: ['confd.users.read', '!confd.users.*.delete']}
 */
export type PolicySpec = Omit<Infer<typeof SPEC>, 'acl'> & {acl?: string[]};

const KEYS = Object.keys(SPEC.properties);
/** Set by the daemon: a policy printed by `policy show --format yaml` carries them, and they are ignored. */
const DAEMON_KEYS = ['uuid', 'tenant_uuid', 'read_only'];

/** The policies of a YAML text; `source` names it in messages (a path, or "standard input"). */
export function parsePolicies(text: string, source: string): PolicySpec[] {
  const document = parseDocument(text, {prettyErrors: true});
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) throw usageError(`${source}: ${yamlProblem(problem.message)}`);
  let data: unknown;
  try {
    data = document.toJS();
  } catch (error) {
    throw usageError(`${source}: ${(error as Error).message}`);
  }
  if (data === null || data === undefined) throw usageError(`${source}: holds no policy`);
  const items = Array.isArray(data) ? data : [data];
  const specs = items.map((item, index) => checkPolicy(item, Array.isArray(data) ? `${source}: policy ${index + 1}` : source));
  assertDistinct(specs, source);
  return specs;
}

/** The text of one policy as `policy edit` shows it, after a comment that says how. */
export function policyDocument(policy: Policy, comment: string[]): string {
  const fields: PolicySpec = {name: policy.name, slug: policy.slug, description: policy.description, acl: policy.acl, shared: policy.shared};
  return `${comment.map((line) => `# ${line}\n`).join('')}${stringify(fields)}`;
}

/** The YAML library's message, with the fix for the two ways an ACL line goes wrong unquoted. */
function yamlProblem(message: string): string {
  if (/^Unresolved tag: !/.test(message)) return `${message.trimEnd()}\nAn access starting with ! must be quoted: "!confd.users.*.delete"`;
  return message;
}

function checkPolicy(item: unknown, where: string): PolicySpec {
  if (!isMapping(item)) throw usageError(`${where}: expected a mapping with ${KEYS.join(', ')}; got ${kindOf(item)}`);
  const result = validate(SPEC, item, {strict: true});
  if (!result.ok && result.issues[0].path[0] === 'name') throw usageError(`${where}: name is required, text of 1 to ${MAX_LENGTH} characters`);
  const named = `${where} (${String(item.name)})`;
  for (const key of Object.keys(item)) {
    if (!KEYS.includes(key) && !DAEMON_KEYS.includes(key)) throw usageError(`${named}: unknown key "${key}" (expected ${KEYS.join(', ')})`);
  }
  if (!result.ok) throw usageError(`${named}: ${problem(result.issues[0])}`);
  const {acl, ...spec} = result.value;
  if (acl === undefined) return spec;
  assertDistinctAccesses(acl ?? [], named);
  const malformed = accessProblems(acl ?? []);
  if (malformed) throw usageError(`${named}: acl ${malformed}`);
  return {...spec, acl: acl ?? []};
}

/** What is wrong with one field; an ACL's items are counted from 1. */
function problem({path: [key, index], schema, value}: Issue): string {
  if (typeof index !== 'number') return `${String(key)} must be ${expectation(schema)}`;
  if (value === null || value === '') return `acl item ${index + 1} is empty (a lone # starts a comment: quote it, "#")`;
  return `acl item ${index + 1} must be text, not ${kindOf(value)}`;
}

function assertDistinctAccesses(acl: readonly string[], where: string): void {
  const seen = new Set<string>();
  for (const access of acl) {
    if (seen.has(access)) throw usageError(`${where}: acl lists ${access} twice`);
    seen.add(access);
  }
}

/** Two policies of one file may not be the same policy: same slug (whatever its case) or same name. */
function assertDistinct(specs: PolicySpec[], source: string): void {
  const slugs = new Set<string>();
  const names = new Set<string>();
  for (const spec of specs) {
    const slug = spec.slug?.toLowerCase();
    if (slug !== undefined && slugs.has(slug)) throw usageError(`${source}: two policies have slug ${spec.slug}`);
    if (names.has(spec.name)) throw usageError(`${source}: two policies have name ${spec.name}`);
    if (slug !== undefined) slugs.add(slug);
    names.add(spec.name);
  }
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
}

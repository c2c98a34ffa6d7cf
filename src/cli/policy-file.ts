// Policies described in YAML, as `policy apply` reads them and `policy edit` writes them: a list
// of policies, or one. Read strictly: a misspelt key must not silently clear an ACL, so every
// problem is a usage error that says where it is, and nothing is applied.

import {parseDocument, stringify} from 'yaml';
import type {Policy} from '../client/index.js';
import {usageError} from './failure.js';

/**
 * One policy as a file describes it. A field left out is not managed: an existing policy keeps
 * its own (a new one gets no description, an empty ACL, not shared).
 * @example {name: 'Operators', slug: 'operators', acl: ['confd.users.read', '!confd.users.*.delete']}
 */
export type PolicySpec = {
  name: string;
  slug?: string;
  description?: string | null;
  acl?: string[];
  shared?: boolean;
};

const KEYS = ['name', 'slug', 'description', 'acl', 'shared'];
/** Set by the daemon: a policy printed by `policy show --format yaml` carries them, and they are ignored. */
const DAEMON_KEYS = ['uuid', 'tenant_uuid', 'read_only'];
/** The API's limits. */
const MAX_LENGTH = 80;
const SLUG = /^[a-zA-Z0-9_-]+$/;

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
  if (!isMapping(item)) throw usageError(`${where}: expected a mapping with name, slug, description, acl, shared; got ${kindOf(item)}`);
  const name = item.name;
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_LENGTH) {
    throw usageError(`${where}: name is required, text of 1 to ${MAX_LENGTH} characters`);
  }
  const named = `${where} (${name})`;
  for (const key of Object.keys(item)) {
    if (!KEYS.includes(key) && !DAEMON_KEYS.includes(key)) throw usageError(`${named}: unknown key "${key}" (expected ${KEYS.join(', ')})`);
  }
  const spec: PolicySpec = {name};
  if (item.slug !== undefined) {
    if (typeof item.slug !== 'string' || !SLUG.test(item.slug) || item.slug.length > MAX_LENGTH) {
      throw usageError(`${named}: slug must be 1 to ${MAX_LENGTH} letters, digits, _ or -`);
    }
    spec.slug = item.slug;
  }
  if (item.description !== undefined) {
    if (item.description !== null && typeof item.description !== 'string') throw usageError(`${named}: description must be text`);
    spec.description = item.description;
  }
  if (item.acl !== undefined) spec.acl = checkAcl(item.acl, named);
  if (item.shared !== undefined) {
    if (typeof item.shared !== 'boolean') throw usageError(`${named}: shared must be true or false`);
    spec.shared = item.shared;
  }
  return spec;
}

function checkAcl(acl: unknown, where: string): string[] {
  // `acl:` with nothing after it is an empty ACL.
  if (acl === null) return [];
  if (!Array.isArray(acl)) throw usageError(`${where}: acl must be a list of accesses`);
  const seen = new Set<string>();
  acl.forEach((access, index) => {
    if (access === null || access === '') throw usageError(`${where}: acl item ${index + 1} is empty (a lone # starts a comment: quote it, "#")`);
    if (typeof access !== 'string') throw usageError(`${where}: acl item ${index + 1} must be text, not ${kindOf(access)}`);
    if (seen.has(access)) throw usageError(`${where}: acl lists ${access} twice`);
    seen.add(access);
  });
  return acl as string[];
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

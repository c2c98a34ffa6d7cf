// `policy edit`: a policy as YAML in a private temporary file, the operator's editor on it, and
// the text that comes back read as `policy apply` reads a file. Whatever goes wrong after the
// editor, the text typed is kept in that file and its path said, so that no work is lost.

import {spawn} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Policy} from '../client/index.js';
import type {Policies} from '../client/policies.js';
import {ExitCode} from './exit-codes.js';
import {CliFailure, failureOf} from './failure.js';
import {currentFactory, onProcessIo} from './factory.js';
import type {AclChange} from './lock-out.js';
import {aclChanges, planPolicies} from './policy-apply.js';
import {readOnly} from './policy-commands.js';
import {parsePolicies, policyDocument} from './policy-file.js';

/** The editor as git chooses it: $VISUAL, else $EDITOR, else vi. May hold arguments (`code --wait`). */
export function editorCommand(env: NodeJS.ProcessEnv = currentFactory().env): string {
  return env.VISUAL || env.EDITOR || 'vi';
}

/** The policy before and after the edit; undefined when the operator changed nothing. */
export type Edit = {before: Policy; after: Policy} | undefined;

/**
 * Lets the operator edit one policy (`ref`: uuid or slug) in `editor`, and applies the result.
 * A read-only policy is refused before the editor opens. `applyCommand` is how the operator
 * applies a kept file later (`wazo-auth policy apply --tenant T -f`), said when one is kept.
 */
export async function editPolicy(
  policies: Pick<Policies, 'get' | 'update'>,
  ref: string,
  editor: string,
  applyCommand: string,
  guard: (change: AclChange) => Promise<void> = async () => undefined,
): Promise<Edit> {
  const before = await policies.get(ref);
  if (before.read_only) throw readOnly(before);
  const original = policyDocument(before, [
    `Policy ${before.slug} (${before.uuid}). Save and quit to apply; quit without a change to change nothing.`,
    'slug and shared cannot change; a field left out keeps its value.',
  ]);
  const draft = writeDraft(`${before.slug}.yml`, original);
  try {
    await runEditor(editor, draft.path);
  } catch (error) {
    draft.remove();
    throw error;
  }
  const edited = readFileSync(draft.path, 'utf8');
  try {
    const after = edited === original ? undefined : await applyEdit(policies, before, edited, draft.path, guard);
    draft.remove();
    return after && {before, after};
  } catch (error) {
    const failure = failureOf(error);
    if (!failure) throw error;
    const hint = `Your text is kept in ${draft.path}; once fixed: ${applyCommand} ${draft.path}`;
    throw new CliFailure(`${failure.message}\n${hint}`, failure.exitCode, {...failure.fields, kept: draft.path});
  }
}

/** The edited text applied; undefined when it means no change. */
async function applyEdit(
  policies: Pick<Policies, 'get' | 'update'>,
  before: Policy,
  edited: string,
  path: string,
  guard: (change: AclChange) => Promise<void>,
): Promise<Policy | undefined> {
  const specs = parsePolicies(edited, path);
  if (specs.length !== 1) throw new CliFailure(`${path}: holds ${specs.length} policies, where one was expected`, ExitCode.usage);
  const spec = specs[0]!;
  if (spec.slug !== undefined && spec.slug.toLowerCase() !== before.slug.toLowerCase()) {
    throw new CliFailure(`${path}: the slug cannot change (${before.slug})`, ExitCode.usage);
  }
  const [step] = planPolicies([{...spec, slug: before.slug}], [before]);
  if (step!.call !== 'update') return undefined;
  // Someone else's change made meanwhile would be overwritten without a word.
  const now = await policies.get(before.uuid);
  if (policyDocument(now, []) !== policyDocument(before, [])) {
    throw new CliFailure(`policy ${before.slug} changed on the daemon while you edited it: nothing applied`, ExitCode.negative);
  }
  for (const change of aclChanges([step!], [before])) await guard(change);
  return policies.update(before.uuid, step!.fields);
}

/** A file only the operator can read (0600, in a 0700 folder of its own). */
function writeDraft(name: string, text: string): {path: string; remove(): void} {
  const dir = mkdtempSync(join(tmpdir(), 'wazo-auth-policy-'));
  const path = join(dir, name);
  writeFileSync(path, text, {mode: 0o600});
  return {path, remove: () => rmSync(dir, {recursive: true, force: true})};
}

/**
 * Runs the editor on `path` and waits for it. Through the shell, as git does, since an editor
 * setting may hold arguments. When stdout is not a terminal (it carries data), the editor gets
 * stderr instead.
 */
function runEditor(editor: string, path: string): Promise<void> {
  const {io, env} = currentFactory();
  // In-process (tests), the command's streams are not file descriptors: the editor's output is copied to its stderr.
  const stdio: ['inherit' | 'ignore', 'inherit' | number | 'pipe', 'inherit' | 'pipe'] = onProcessIo()
    ? ['inherit', process.stdout.isTTY ? 'inherit' : 2, 'inherit']
    : ['ignore', 'pipe', 'pipe'];
  const child =
    process.platform === 'win32'
      ? spawn(`${editor} "${path}"`, {shell: true, stdio, env})
      : spawn('/bin/sh', ['-c', `${editor} "$@"`, editor, path], {stdio, env});
  child.stdout?.pipe(io.stderr, {end: false});
  child.stderr?.pipe(io.stderr, {end: false});
  return new Promise((resolve, reject) => {
    child.on('error', (error) => reject(new CliFailure(`cannot run the editor (${editor}): ${error.message}`, ExitCode.usage)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new CliFailure(`the editor (${editor}) ${signal ? `was stopped by ${signal}` : `exited with ${code}`}: nothing applied`, ExitCode.usage));
    });
  });
}

// The last step of `npm run build`, after tsc has written build/: dist/, what a command loads when
// it starts, in a few files instead of many, since a Node process pays for each file it loads.
// - Each command with the code it imports (chunks shared between commands), the packages left
//   outside but for those of BUNDLED: a command loads about 8 files of ours instead of about 30.
// - @oclif/core in one file, dist/oclif-core/lib/index.cjs, instead of about 110; bin/run.js puts it
//   in the module cache where the package would load, so that every import of '@oclif/core' gets it.
// Together with bin/run.js's own shortcut, `wazo-auth status` goes from about 2.8 to about 2.3 times
// `node -e 0` (npm run bench -- cli).

import {build} from 'esbuild';
import {copyFileSync, readdirSync, readFileSync, renameSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join, relative} from 'node:path';

const root = join(import.meta.dirname, '..');
// tsc's output, kept from one build to the next (incremental: it compiles what changed).
const compiled = join(root, 'build');
const dist = join(root, 'dist');
const bundled = join(root, 'dist.bundled');
// Packages bundled into our chunks rather than loaded from node_modules: kysely's ESM build is
// about 990 files, which cost every start (the daemon's, and each command that reaches a store).
const BUNDLED = new Set(['kysely']);
const dependencies = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).dependencies);
const common = {bundle: true, platform: 'node', target: 'node20', logLevel: 'warning'};

// The commands whose sources exist: build/ may still hold the output of a deleted one.
const commands = readdirSync(join(root, 'commands'), {recursive: true, withFileTypes: true})
  .filter((entry) => entry.isFile() && /\.tsx?$/.test(entry.name))
  .map((entry) => join(compiled, relative(root, entry.parentPath), entry.name.replace(/\.tsx?$/, '.js')));
rmSync(bundled, {recursive: true, force: true});
await build({
  ...common,
  // The hook's path is named in package.json, as the commands' folder is.
  entryPoints: [...commands, join(compiled, 'src', 'cli', 'command-not-found.js')],
  outdir: bundled,
  outbase: compiled,
  format: 'esm',
  splitting: true,
  external: dependencies.filter((name) => !BUNDLED.has(name)).flatMap((name) => [name, `${name}/*`]),
});

const core = createRequire(import.meta.url).resolve('@oclif/core');
await build({
  ...common,
  entryPoints: [core],
  outfile: join(bundled, 'oclif-core', 'lib', 'index.cjs'),
  format: 'cjs',
  // Only ever looked for, in a try: TypeScript's own loaders, for plugins in development.
  external: ['typescript', 'ts-node', 'pnpapi'],
});
// @oclif/core reads its version from the package.json beside its lib/ folder.
copyFileSync(join(dirname(core), '..', 'package.json'), join(bundled, 'oclif-core', 'package.json'));

rmSync(dist, {recursive: true, force: true});
renameSync(bundled, dist);

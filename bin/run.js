#!/usr/bin/env node
// A command's start is what it loads (npm run bench -- cli), hence three shortcuts.
import {readdirSync, readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import {fileURLToPath} from 'node:url';

// oclif checks the Node version against its own engines with semver on every start: 47 modules
// loaded for a check that npm's engines field already makes at install.
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1';
// React's production build for the dashboard (Ink): the development one checks components for
// whoever writes them, at a cost on every frame.
process.env.NODE_ENV ??= 'production';

// The build bundles @oclif/core in one file (scripts/bundle.js): put in the module cache where the
// package would load, it is the one copy every import of '@oclif/core' gets, the plugins' as ours.
const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const core = root + 'dist/oclif-core/lib/index.cjs';
require(core);
require.cache[require.resolve('@oclif/core')] = require.cache[core];

// The core plugins (help, autocomplete) cost oclif a glob match of every dependency's name: a
// command of our own, named by its first word, needs neither.
const pjson = JSON.parse(readFileSync(root + 'package.json', 'utf8'));
const first = process.argv[2];
const ownCommand = first && !first.startsWith('-') && readdirSync(root + 'dist/commands').some((name) => name === first || name === `${first}.js`);
if (ownCommand) pjson.oclif = {...pjson.oclif, plugins: []};

const {execute} = require('@oclif/core');
await execute({loadOptions: {root, pjson}});

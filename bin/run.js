#!/usr/bin/env node
// oclif checks the Node version against its own engines with semver on every start: 47 modules
// loaded for a check that npm's engines field already makes at install.
process.env.OCLIF_DISABLE_ENGINE_WARNING ??= '1';

const {execute} = await import('@oclif/core');
await execute({dir: import.meta.url});

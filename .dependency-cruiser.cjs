// The layers of docs/architecture.md, checked by `npm test` (test/checks.sh; alone: `npm run
// check:boundaries`). Each rule says why it exists; a layer's `onlyTo` rule lists the folders
// it may import, and any other folder of src/ is an error.
//
// Layers: commands -> cli, client, tui (daemon, db, bootstrap: src/daemon's entry points);
// tui -> client; client -> api; daemon -> http, plugins, services, store, config; plugins ->
// services, http, config; http -> services, schema, api; services -> store; config -> schema;
// acl -> domain. Anyone else may use domain, acl and the small leaf modules at the top of src/
// (clock, log, version, ...); acl and client may not. Packages from npm are not checked, except
// that acl imports none (no I/O).

const SRC_LEAVES = '^src/[^/]+[.]tsx?$';
const SHARED = ['^src/domain/', '^src/acl/', SRC_LEAVES];

/** A rule forbidding `from` any local module outside `allowed` (and itself). */
function onlyTo({name, comment, from, allowed}) {
  return {
    name,
    comment,
    severity: 'error',
    from: {path: from},
    to: {pathNot: [from, ...allowed], dependencyTypes: ['local']},
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-cycles-across-folders',
      comment:
        'Arrows point one way: two folders that import each other are one layer in disguise. The rules ' +
        'below allow a one-way graph of folders; this one also catches a module cycle that leaves its folder.',
      severity: 'error',
      from: {path: '^(src/[^/]+|commands)/'},
      to: {circular: true, pathNot: '^$1/'},
    },
    {
      name: 'nothing-imports-commands',
      comment: 'commands/ are the entry points oclif loads; what two commands share belongs in src/cli.',
      severity: 'error',
      from: {pathNot: '^commands/'},
      to: {path: '^commands/'},
    },
    onlyTo({
      name: 'commands-use-cli-client-tui',
      comment: 'Commands are thin and talk to a daemon through the client, never to its database or services.',
      from: '^commands/',
      allowed: ['^src/cli/', '^src/client/', '^src/tui/', '^src/api/', ...SHARED, '^src/daemon/'],
    }),
    {
      name: 'only-daemon-commands-start-the-daemon',
      comment:
        "Only `daemon`, `db` and `bootstrap` run the daemon's code, and only through the entry points of " +
        'src/daemon (run, db, bootstrap); every other command is a client of the REST API.',
      severity: 'error',
      from: {path: '^commands/', pathNot: '^commands/(daemon|bootstrap|db/[^/]+)[.]ts$'},
      to: {path: '^src/daemon/'},
    },
    {
      name: 'daemon-commands-use-entry-points',
      comment: 'The daemon commands reach src/daemon through its entry points, not through start-up internals.',
      severity: 'error',
      from: {path: '^commands/'},
      to: {path: '^src/daemon/', pathNot: '^src/daemon/(run|db|bootstrap)[.]ts$'},
    },
    onlyTo({
      name: 'cli-uses-client',
      comment:
        'src/cli is what commands share: output, profiles, prompts. It reaches a daemon only through the ' +
        'client, and validates policy files with the one schema engine.',
      from: '^src/cli/',
      allowed: ['^src/client/', '^src/api/', '^src/schema/', ...SHARED],
    }),
    onlyTo({
      name: 'tui-uses-client',
      comment: 'The dashboard is a client of the REST API like the commands; it may ask acl whether a policy grants an access.',
      from: '^src/tui/',
      allowed: ['^src/client/', '^src/api/', ...SHARED],
    }),
    onlyTo({
      name: 'client-uses-api-types-only',
      comment: 'The REST client is what other programs may copy: it knows the wire types and nothing of the daemon.',
      from: '^src/client/',
      allowed: ['^src/api/'],
    }),
    onlyTo({
      name: 'api-types-are-leaves',
      comment: 'The shared request and response types are read by both sides and import nothing of either.',
      from: '^src/api/',
      allowed: [],
    }),
    onlyTo({
      name: 'daemon-composes',
      comment: 'src/daemon is the composition root (config -> store -> services -> plugins -> server): the only folder that sees them all.',
      from: '^src/daemon/',
      allowed: ['^src/http/', '^src/plugins/', '^src/services/', '^src/store/', '^src/config/', ...SHARED],
    }),
    onlyTo({
      name: 'plugins-use-services-http-config',
      comment: 'Plugins fill the seams of the services and declare routes; they never open the store themselves.',
      from: '^src/plugins/',
      allowed: ['^src/services/', '^src/http/', '^src/config/', ...SHARED],
    }),
    onlyTo({
      name: 'http-uses-services',
      comment: 'Routes call one service method; the store and the configuration stay behind the services.',
      from: '^src/http/',
      allowed: ['^src/services/', '^src/schema/', '^src/api/', ...SHARED],
    }),
    onlyTo({
      name: 'services-use-store',
      comment: 'The domain rules read and write through the store interface, whatever the engine.',
      from: '^src/services/',
      allowed: ['^src/store/', '^src/config/', ...SHARED],
    }),
    {
      name: 'services-name-the-config-type-only',
      comment:
        'Kept exception to services-use-store: the services bundle hands the plugins the validated ' +
        'configuration (`services.config`, part of the documented plugin interface) and GET /config shows ' +
        'it, so src/services/index.ts and config.ts name its type. No service loads or parses it.',
      severity: 'error',
      from: {path: '^src/services/'},
      to: {path: '^src/config/', dependencyTypesNot: ['type-only']},
    },
    {
      name: 'only-the-services-bundle-names-config',
      comment: 'The other services get their settings as their own small types, built by the daemon.',
      severity: 'error',
      from: {path: '^src/services/', pathNot: '^src/services/(index|config)[.]ts$'},
      to: {path: '^src/config/'},
    },
    onlyTo({
      name: 'store-knows-only-domain',
      comment: 'The store keeps domain records; what it may be asked for is written in src/domain.',
      from: '^src/store/',
      allowed: ['^src/config/', ...SHARED],
    }),
    {
      name: 'store-reads-config-only-to-open',
      comment:
        'Kept exception to store-knows-only-domain: src/store/open.ts reads the db_* keys to open the ' +
        'configured database. The work that parses db_uri once (issue 11) moves this; no other store ' +
        'module may read the configuration.',
      severity: 'error',
      from: {path: '^src/store/', pathNot: '^src/store/open[.]ts$'},
      to: {path: '^src/config/'},
    },
    onlyTo({
      name: 'config-uses-schema',
      comment: 'The configuration is validated by the one schema engine and is read by the daemon, services and plugins.',
      from: '^src/config/',
      allowed: ['^src/schema/', ...SHARED],
    }),
    onlyTo({
      name: 'schema-is-a-leaf',
      comment: 'The schema engine validates the bodies, the configuration and policy files; it knows none of them.',
      from: '^src/schema/',
      allowed: ['^src/domain/'],
    }),
    onlyTo({
      name: 'domain-is-a-leaf',
      comment: 'Domain types and errors are what every layer shares, so they import no layer.',
      from: '^src/domain/',
      allowed: [],
    }),
    onlyTo({
      name: 'leaves-are-leaves',
      comment: 'The modules at the top of src/ (clock, log, bounded map, ...) are small tools any layer may use.',
      from: SRC_LEAVES,
      allowed: [SRC_LEAVES, '^src/domain/'],
    }),
    {
      name: 'acl-is-pure',
      comment:
        'The ACL language is pure (no I/O, no cache): it is run by the daemon on every request and by the ' +
        "dashboard, and a compiled ACL's cache belongs to whoever keeps the tokens (the token service).",
      severity: 'error',
      from: {path: '^src/acl/'},
      to: {pathNot: ['^src/acl/', '^src/domain/']},
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that cannot be resolved would make this check blind to it.',
      severity: 'error',
      from: {},
      to: {couldNotResolve: true},
    },
  ],
  options: {
    doNotFollow: {path: 'node_modules'},
    // Type-only imports are arrows too: a command that names a store type depends on the store.
    tsPreCompilationDeps: true,
    tsConfig: {fileName: 'tsconfig.json'},
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {text: {highlightFocused: true}},
  },
};

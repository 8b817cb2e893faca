/**
 * The import rule (docs/architecture.md): a capability imports the core and other capabilities' index.ts only;
 * the core imports nothing above it; only the entry points import the app; no cycles anywhere in src/.
 */
const CORE = '^src/(people|vle|http|db)/|^src/(config|log|background)\\.ts$';
// every other folder under src/ is a capability (lti, admin, portfolio, mentoring, ...), new ones included
const CAPABILITY = '^src/(?!(?:people|vle|http|db)/)([^/]+)/';
const ENTRY = '^src/(app|boot|server)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-cycles', severity: 'error', comment: 'A cycle makes load order matter and two folders change together.', from: { path: '^src/' }, to: { circular: true } },
    {
      name: 'core-imports-no-capability',
      severity: 'error',
      comment: 'people/, vle/, http/, db/, config and log stand under every capability: they import none.',
      from: { path: CORE },
      to: { path: `${CAPABILITY}|${ENTRY}` },
    },
    {
      name: 'capability-imports-index-only',
      severity: 'error',
      comment: "Another capability is reached through its index.ts, never its internals.",
      from: { path: CAPABILITY },
      to: { path: CAPABILITY, pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    { name: 'nothing-imports-the-app', severity: 'error', comment: 'Only the entry points compose the app.', from: { path: '^src/', pathNot: ENTRY }, to: { path: ENTRY } },
    { name: 'src-does-not-import-tests', severity: 'error', from: { path: '^src/' }, to: { path: '^(test|bench)/' } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    includeOnly: '^src/',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};

// The layers of runtime/ and who may import whom (ARCHITECTURE.md draws the
// same picture). `npm run lint` fails on any arrow pointing the wrong way.
//   language  <- core <- adapters <- drivers <- tools      deploy -> language only
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'language-is-the-base',
      comment:
        'The language (schema, validation, lint, resolve) knows nothing of the engine, the adapters, the drivers or the tools. It may use the compilers and strategies of the core that it checks collectors with (extract, paginate).',
      severity: 'error',
      from: { path: '^runtime/language/' },
      to: { path: '^(runtime/(core/engine|core/fetch|core/output|adapters|drivers|tools)/|deploy/)', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'core-imports-no-edge',
      comment: 'The core works through ports; implementations live in adapters and are chosen by drivers.',
      severity: 'error',
      from: { path: '^runtime/core/' },
      to: { path: '^(runtime/(adapters|drivers|tools)/|deploy/)' },
    },
    {
      name: 'adapters-know-no-driver',
      severity: 'error',
      from: { path: '^runtime/adapters/' },
      to: { path: '^(runtime/(drivers|tools)/|deploy/)' },
    },
    {
      name: 'drivers-know-no-tool',
      comment: 'The CLI drives the local driver, not the other way round; the Lambda driver must not pull tool code into its bundle.',
      severity: 'error',
      from: { path: '^runtime/drivers/' },
      to: { path: '^(runtime/tools/|deploy/)' },
    },
    {
      name: 'drivers-are-separate',
      severity: 'error',
      from: { path: '^runtime/drivers/(local|lambda)/' },
      to: { path: '^runtime/drivers/', pathNot: '^runtime/drivers/$1/' },
    },
    {
      name: 'deploy-reads-only-the-language',
      comment: 'The Terraform generator and the pipeline see collectors through the language layer only.',
      severity: 'error',
      from: { path: '^deploy/' },
      to: { path: '^runtime/', pathNot: '^runtime/language/' },
    },
    {
      name: 'lambda-bundle-has-no-tool-code',
      comment: 'Nothing the Lambda entry points (the HTTP and the browser function) reach may be tool code (CLI, review, codegen).',
      severity: 'error',
      from: { path: '^runtime/drivers/lambda/(browser-)?index\\.ts$' },
      to: { path: '^runtime/tools/', reachable: true },
    },
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      // A cycle counts only when every step of it is a runtime import: a fetch layer names the
      // FetchLayer type of the stack that lists it, which is no cycle when the code runs.
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'runtime-imports-no-test',
      severity: 'error',
      from: { path: '^(runtime|deploy)/' },
      to: { path: '^(test|bench|demo)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|out|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.mts', '.mjs', '.js', '.json'],
    },
  },
};

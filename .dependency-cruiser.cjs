/**
 * The layering rules of the house style, checked by `npm run lint`.
 * A violation names both files.
 */
module.exports = {
  forbidden: [
    {
      name: "core-no-azure-devops",
      comment: "The engine (src/core) knows nothing of Azure Pipelines or the hub.",
      severity: "error",
      from: { path: "^src/core/" },
      to: { path: "azure-pipelines-task-lib|azure-devops-|^react|node_modules/react/" },
    },
    {
      name: "core-no-shells",
      comment: "The engine does not import the command line, the tasks, the hub or the emulators.",
      severity: "error",
      from: { path: "^src/core/", pathNot: "\\.test\\.ts$" },
      to: { path: "^(src/cli|src/pipeline|tasks|hub|emulators)/" },
    },
    {
      name: "core-tests-only-spec-data",
      comment: "Engine tests may read the published Graph spec data the emulator carries, nothing else of the shells.",
      severity: "error",
      from: { path: "^src/core/.*\\.test\\.ts$" },
      to: { path: "^(src/cli|src/pipeline|tasks|hub|emulators)/", pathNot: "^spec/" },
    },
    {
      name: "resources-are-data",
      comment: "Resource declarations import only resource-type.ts.",
      severity: "error",
      from: { path: "^src/core/resources/", pathNot: "\\.test\\.ts$" },
      to: { path: "^src/core/(graph|snapshot|sync|status)/" },
    },
    {
      name: "status-no-io",
      comment: "core/status ships in the hub bundle: no node:* and no I/O.",
      severity: "error",
      from: { path: "^src/core/status/", pathNot: "\\.test\\.ts$" },
      to: { dependencyTypes: ["core"] },
    },
    {
      name: "identity-only-in-credentials",
      comment: "@azure/identity is used only by src/core/graph/credentials.ts.",
      severity: "error",
      from: { path: "^src/core/", pathNot: "^src/core/graph/credentials\\.ts$|\\.test\\.ts$" },
      to: { path: "node_modules/@azure/identity/" },
    },
    {
      name: "emulators-independent",
      comment: "An emulator must not share the code under test (core/graph, core/sync, core/snapshot).",
      severity: "error",
      from: { path: "^emulators/" },
      to: { path: "^src/core/(graph|sync|snapshot)/" },
    },
    {
      name: "pipeline-no-emulators",
      comment: "src/pipeline ships in the task bundles: it never imports the emulators (development only).",
      severity: "error",
      from: { path: "^src/pipeline/", pathNot: "\\.test\\.ts$" },
      to: { path: "^emulators/" },
    },
    {
      name: "task-lib-only-in-pipeline",
      comment: "Only src/pipeline imports azure-pipelines-task-lib.",
      severity: "error",
      from: { pathNot: "^src/pipeline/|^tasks/.*\\.test\\.ts$|^tasks/.*/test/|^test/helpers/mock-task-runner\\.ts$" },
      to: { path: "node_modules/azure-pipelines-task-lib/" },
    },
    {
      name: "pipeline-via-core-index",
      comment: "src/pipeline uses the engine through its public surface, src/core/index.ts.",
      severity: "error",
      from: { path: "^src/pipeline/", pathNot: "\\.test\\.ts$" },
      to: { path: "^src/core/", pathNot: "^src/core/index\\.ts$" },
    },
    {
      name: "task-entries-thin",
      comment: "A task's entry (tasks/<name>/index.ts) imports only src/pipeline and src/core/index.ts.",
      severity: "error",
      from: { path: "^tasks/[^/]+/index\\.ts$" },
      to: { pathNot: "^src/pipeline/|^src/core/index\\.ts$" },
    },
    {
      name: "no-circular-emulators",
      comment: "The emulators form no import cycles.",
      severity: "error",
      from: { path: "^emulators/" },
      to: { circular: true },
    },
    {
      name: "no-circular-core",
      severity: "error",
      from: { path: "^src/core/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    exclude: { path: "^(dist|\\.cache)/" },
  },
};

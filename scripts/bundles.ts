/**
 * bundles — what each esbuild bundle is made of, in one place for scripts/build.ts and the packaging
 * tests: the entry points, the esbuild options, and the data files copied beside a bundle, each with
 * the module that reads it at run time (a file nothing reads does not ship).
 *
 * Task bundles are minified and carry no source map: the agent starts them with plain `node index.js`
 * (no --enable-source-maps), so a map in the .vsix would never be read, and the task reports its
 * errors as messages, not stack traces. The command line's bundle keeps an external map in dist/cli
 * (it is not in the .vsix) for `node --enable-source-maps`.
 */
import { join } from "node:path";
import type { BuildOptions } from "esbuild";

export const root = join(__dirname, "..");

const nodeBundle = {
  bundle: true,
  platform: "node",
  target: "node20",
  format: "cjs",
  minify: true,
  logLevel: "warning",
} as const satisfies BuildOptions;

/** A file copied beside a bundle: where it comes from and where it goes in the bundle's folder. */
export interface ShippedFile {
  /** Relative to the repository root. */
  source: string;
  /** Relative to the bundle's folder. */
  target: string;
}

/** A data file a bundle reads at run time. */
export interface RuntimeFile extends ShippedFile {
  /** The source module (relative to the root) whose code reads the file; it must be in the bundle. */
  readBy: string;
  /** JSON the bundle only parses: shipped without its indentation. */
  compactJson?: boolean;
}

/** A file shipped though nothing reads it, and why. */
export interface NoticeFile extends ShippedFile {
  why: string;
}

const graphDataNotice = {
  source: "spec/graph/SOURCES.md",
  why: "provenance and licences (MIT, CC-BY-4.0) of the Graph data beside it; those licences ask for the notice to travel with the data",
};

/** Copied beside every task bundle. */
export const taskRuntimeFiles: RuntimeFile[] = [
  // spec/locate.ts looks beside the bundle: each task carries its own copy, as the agent runs it from its own folder.
  {
    source: "spec/graph/entities.json",
    target: "spec/graph/entities.json",
    readBy: "src/core/snapshot/schema.ts",
    compactJson: true,
  },
];

export const taskNoticeFiles: NoticeFile[] = [{ ...graphDataNotice, target: "spec/graph/SOURCES.md" }];

/**
 * The rest of a task's folder, written by the build: the bundle and task.json (read by the agent;
 * src/pipeline/run-task.ts reads task.json too, for the task's name) and the icon (the pipeline editor's).
 */
export const taskFolderFiles = ["index.js", "task.json", "icon.png"];

/** Beside the command line's bundle (dist/cli/main.js), relative to dist/cli. */
export const cliRuntimeFiles: RuntimeFile[] = [
  { source: "spec/graph/entities.json", target: "../spec/graph/entities.json", readBy: "src/core/snapshot/schema.ts" },
  // The embedded Graph emulator (emulate, demo) checks permissions and seeds tenants from the examples.
  {
    source: "spec/graph/permissions.json",
    target: "../spec/graph/permissions.json",
    readBy: "emulators/graph/spec.ts",
  },
  { source: "spec/graph/examples", target: "../spec/graph/examples", readBy: "emulators/graph/spec.ts" },
];

export const cliNoticeFiles: NoticeFile[] = [{ ...graphDataNotice, target: "../spec/graph/SOURCES.md" }];

export function taskBundleOptions(task: string, outdir: string): BuildOptions {
  return { ...nodeBundle, entryPoints: [join(root, "tasks", task, "index.ts")], outfile: join(outdir, "index.js") };
}

export function cliBundleOptions(outdir: string): BuildOptions {
  return {
    ...nodeBundle,
    entryPoints: [join(root, "src/cli/main.ts")],
    outfile: join(outdir, "main.js"),
    sourcemap: true,
  };
}

/**
 * The hub page (dist/hub): hub/main.tsx with React and azure-devops-ui for the browser, minified, its
 * CSS (azure-devops-ui's components import theirs) gathered into hub.css beside hub.js and the icon
 * fonts written as files under fonts/; hub.html loads both and holds no script of its own.
 */
export const hubFiles: ShippedFile[] = [{ source: "hub/hub.html", target: "hub.html" }];

const browserBundle = {
  bundle: true,
  platform: "browser",
  target: "es2020",
  format: "iife",
  minify: true,
  logLevel: "warning",
  loader: { ".woff": "file", ".woff2": "file", ".png": "file", ".svg": "file" },
  assetNames: "fonts/[name]-[hash]",
  define: { "process.env.NODE_ENV": '"production"' },
  jsx: "transform",
  tsconfig: join(root, "hub/tsconfig.json"),
} as const satisfies BuildOptions;

export function hubBundleOptions(outdir: string): BuildOptions {
  return { ...browserBundle, entryPoints: { hub: join(root, "hub/main.tsx") }, outdir };
}

/**
 * The fake Azure DevOps host page (dist/hub-host), for development and the browser tests only: it
 * is not in the .vsix. The local Azure DevOps serves it (emulators/local-devops/hub-host.ts).
 */
export const hubHostFiles: ShippedFile[] = [{ source: "hub/host/host.html", target: "host.html" }];

export function hubHostBundleOptions(outdir: string): BuildOptions {
  return { ...browserBundle, entryPoints: { host: join(root, "hub/host/host.ts") }, outdir };
}

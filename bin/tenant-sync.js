#!/usr/bin/env node
// Starts the tenant-sync command line: the TypeScript sources through tsx in a development
// checkout, the esbuild bundle (dist/cli/main.js) in a built package.
"use strict";
const { existsSync } = require("node:fs");
const { join } = require("node:path");

const source = join(__dirname, "..", "src", "cli", "main.ts");
let useSource = existsSync(source);
if (useSource) {
  try {
    require.resolve("tsx/cjs");
  } catch {
    useSource = false;
  }
}
if (useSource) {
  require("tsx/cjs");
  require(source).main(process.argv.slice(2));
} else {
  require(join(__dirname, "..", "dist", "cli", "main.js")).main(process.argv.slice(2));
}

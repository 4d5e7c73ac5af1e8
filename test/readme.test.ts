/**
 * The README's permission table is generated from the resource registry; this keeps it current.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { permissionsTable } from "../src/cli/types";

describe("README", () => {
  it("carries the permission table the registry generates (tenant-sync types --markdown)", () => {
    const readme = readFileSync(join(__dirname, "..", "README.md"), "utf8");
    assert.ok(
      readme.includes(permissionsTable()),
      "README.md is out of date: paste the output of `node bin/tenant-sync.js types --markdown` into its permission table",
    );
  });
});

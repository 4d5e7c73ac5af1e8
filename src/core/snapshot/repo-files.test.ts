import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { allResourceTypes } from "../resources/registry";
import { currentBranch } from "../sync/history-branches";
import { decodeUtf8, isRefusal, maxRepoFileBytes, readRepoBytes } from "./repo-files";
import { snapshotFromFiles } from "./read-snapshot";

describe("repo-files", () => {
  const root = mkdtempSync(join(tmpdir(), "repo-files-"));
  mkdirSync(join(root, "repo", "sub"), { recursive: true });
  writeFileSync(join(root, "repo", "sub", "a.txt"), "a");
  writeFileSync(join(root, "outside.txt"), "secret");
  symlinkSync(join(root, "outside.txt"), join(root, "repo", "sub", "link.txt"));
  symlinkSync(join(root, "repo", "sub"), join(root, "repo", "dirlink"));
  symlinkSync(join(root, "repo"), join(root, "rootlink"));
  const repo = join(root, "repo");

  it("reads plain files, also through a root that is itself a link", () => {
    assert.equal(String(readRepoBytes(repo, "sub/a.txt")), "a");
    assert.equal(String(readRepoBytes(join(root, "rootlink"), "sub/a.txt")), "a");
    assert.equal(readRepoBytes(repo, "sub/missing.txt"), undefined);
  });

  it("refuses links in any component, paths leaving the root, and files above the bound", () => {
    for (const [path, code] of [
      ["sub/link.txt", "repo.unsafePath"],
      ["dirlink/a.txt", "repo.unsafePath"],
      ["../outside.txt", "repo.unsafePath"],
      ["/etc/passwd", "repo.unsafePath"],
      ["sub/../../outside.txt", "repo.unsafePath"],
    ] as const) {
      const r = readRepoBytes(repo, path);
      assert.ok(isRefusal(r), path);
      assert.equal(r.code, code, path);
    }
    if (process.platform !== "win32") {
      execFileSync("mkfifo", [join(repo, "pipe.json")]);
      const pipe = readRepoBytes(repo, "pipe.json");
      assert.ok(
        isRefusal(pipe) && pipe.code === "repo.unsafePath" && /not a regular file/.test(pipe.message),
        "a pipe is refused, not opened (it would block)",
      );
    }
    writeFileSync(join(repo, "big.bin"), Buffer.alloc(maxRepoFileBytes + 1));
    const big = readRepoBytes(repo, "big.bin");
    assert.ok(isRefusal(big) && big.code === "repo.fileTooLarge" && big.file === "big.bin");
  });

  it("decodes UTF-8 exactly (BOM and CRLF kept) and refuses anything else", () => {
    const bom = Buffer.from("\uFEFFa\r\nb\r\n", "utf8");
    assert.deepEqual(Buffer.from(decodeUtf8(bom, "x.ps1", "") as string, "utf8"), bom);
    for (const bytes of [
      Buffer.from("\uFEFFhi", "utf16le"),
      Buffer.from([0xff, 0xfe, 0x68, 0x00]),
      Buffer.from([0x63, 0x61, 0x66, 0xe9]),
      Buffer.from([0x00, 0x9f, 0x92, 0x96]),
    ]) {
      const r = decodeUtf8(bytes, "x.ps1", "hint");
      assert.ok(isRefusal(r) && r.code === "repo.notUtf8", bytes.toString("hex"));
    }
  });

  it("accepts any object name: names never become paths", () => {
    const files = new Map([
      ["intune.roleScopeTag/x.json", JSON.stringify({ id: "", object: { displayName: "../x" } })],
    ]);
    const { snapshot, problems } = snapshotFromFiles(files, allResourceTypes, { strict: true });
    assert.deepEqual(problems, []);
    assert.equal([...snapshot.entries.values()][0].name, "../x");
  });

  it("knows the checked-out branch exactly: unborn, normal, detached", async () => {
    const g = (...args: string[]) => execFileSync("git", args, { cwd: join(root, "git") });
    mkdirSync(join(root, "git"));
    g("init", "-q", "-b", "work");
    assert.equal(await currentBranch(join(root, "git")), "work");
    g("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "x");
    assert.equal(await currentBranch(join(root, "git")), "work");
    g("checkout", "-q", "--detach");
    assert.equal(await currentBranch(join(root, "git")), undefined);
  });
});

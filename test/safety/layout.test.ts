/**
 * Safety, layout: two objects never share one file, whatever the portal calls them (case and Unicode
 * twins, crafted "~hash" suffixes, device names, separators, control characters), and file-backed
 * values (script bodies, .mobileconfig payloads) reach the repository and the tenant byte for byte.
 * Driven through the CLI against the Graph emulator; the tenant is seeded and read with its control API.
 */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { git, gitBytes } from "../../src/core/snapshot/git";
import { foldKey } from "../../src/core/snapshot/layout";
import { runCli } from "../helpers/cli";
import { commitAll } from "../helpers/commit";
import { startTestEmulator, type TestEmulator } from "../helpers/graph-emulator";

const backupBranch = "tenant-sync/backup";

interface Doc {
  id: string;
  object: Record<string, unknown>;
}
interface Cli {
  code: number;
  stdout: string;
  stderr: string;
}

function harness() {
  const h = { t: undefined as unknown as TestEmulator, work: "" };
  const cli = (...args: string[]): Promise<Cli> => runCli(h.t.info, args);
  /** The tenant's objects of a resource key that Tenant Sync manages (built-in ones are not exported). */
  const objects = async (key: string): Promise<Record<string, unknown>[]> =>
    (
      (await h.t.control("GET", `/tenants/${h.t.info.tenantId}/objects/${key}`)).body as Record<string, unknown>[]
    ).filter((o) => o.isBuiltIn !== true && o.isGlobalScript !== true);
  const create = async (key: string, body: Record<string, unknown>): Promise<string> => {
    const r = await h.t.control("POST", `/tenants/${h.t.info.tenantId}/objects/${key}`, body);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  };
  const sync = async (repo: string, n: number) => {
    const r = await cli("sync", "--repo", repo, "--out", join(h.work, `plan-${n}.json`));
    assert.equal(r.code, 0, r.stderr + r.stdout);
    return r;
  };
  const plan = async (repo: string, n: number) => {
    const r = await cli("plan", "--repo", repo, "--out", join(h.work, `plan-${n}.json`));
    assert.equal(r.code, 0, r.stderr + r.stdout);
    return r;
  };
  return { h, cli, objects, create, sync, plan };
}

/** Files of a type folder: in the working tree, or on the backup branch (blob bytes). */
function workingFiles(repo: string, folder: string): Map<string, Buffer> {
  return new Map(readdirSync(join(repo, folder)).map((f) => [f, readFileSync(join(repo, folder, f))]));
}

async function branchFiles(repo: string, folder: string): Promise<Map<string, Buffer>> {
  const listing = await git(["ls-tree", "-z", `${backupBranch}:${folder}`], { cwd: repo });
  const files = new Map<string, Buffer>();
  for (const line of listing.split("\0").filter(Boolean)) {
    const [meta, name] = line.split("\t");
    files.set(name, await gitBytes(["cat-file", "blob", meta.split(" ")[2]], { cwd: repo }));
  }
  return files;
}

function docs(files: Map<string, Buffer>): Map<string, Doc> {
  const out = new Map<string, Doc>();
  for (const [name, bytes] of files)
    if (name.endsWith(".json")) out.set(name.slice(0, -".json".length), JSON.parse(bytes.toString("utf8")));
  return out;
}

/** One JSON file per tenant object, each naming its object exactly, no two sharing a fold key. */
function assertOneFilePerObject(files: Map<string, Buffer>, tenantNames: string[], where: string): void {
  const names = [...docs(files).values()].map((d) => d.object.displayName as string);
  assert.equal(names.length, tenantNames.length, `${where}: ${names.length} files for ${tenantNames.length} objects`);
  assert.deepEqual([...names].sort(), [...tenantNames].sort(), where);
  const keys = [...files.keys()].map(foldKey);
  assert.equal(
    new Set(keys).size,
    keys.length,
    `${where}: two files share a fold key: ${[...files.keys()].join(" | ")}`,
  );
}

const tag = (displayName: string) => ({
  "@odata.type": "#microsoft.graph.roleScopeTag",
  displayName,
  description: "",
  isBuiltIn: false,
});
const shortHash = (id: string) => createHash("sha256").update(id).digest("hex").slice(0, 8);

/** Names that are one file on some file system, or that a careless layout would turn into one. */
const twinNames: Record<string, string[]> = {
  "Windows device names": [
    "CON",
    "con",
    "con.txt",
    "CON_",
    "Nul.json",
    "AUX",
    "com1",
    "LPT9.log",
    "COM¹",
    "CONIN$",
    "nul .txt",
  ],
  "hidden and padded names": [" .hidden", ".hidden", "hidden", "  padded  ", "padded", "trailing dot.", "trailing dot"],
  "separators and reserved characters": ["a/b", "a\\b", "a:b", "a_b", "a*b", "a?b", "a|b", 'a"b', "a<b>"],
  "control characters": ["tab\there", "new\nline", "ctrl\u0001char", "del\u007fchar", "tab_here"],
  "case twins": ["Baseline", "BASELINE", "baseline", "baseline."],
  "case folding beyond toLowerCase": [
    "Straße",
    "STRASSE",
    "strasse",
    "\u212aelvin",
    "Kelvin",
    "İstanbul",
    "Istanbul",
    "istanbul",
    "ıstanbul",
  ],
  "Unicode twins (NFC, NFKC, invisible characters)": [
    "Cafe\u0301",
    "Café",
    "ＡＢＣ",
    "ABC",
    "ﬁle",
    "file",
    "zero\u200bwidth",
    "zerowidth",
  ],
  "the suffix separator": ["~", "a~b", "a～b", "Team ~ old", "Team _ old"],
  "names longer than a file name": [`${"x".repeat(150)}1`, `${"x".repeat(150)}2`, `${"X".repeat(150)}1`],
};

describe("safety: one file per object, whatever the names", function () {
  this.timeout(240_000);
  const { h, objects, create, sync } = harness();
  let repo: string;

  before(async () => {
    h.t = await startTestEmulator({ throttle: { mode: "off" } });
    h.work = mkdtempSync(join(tmpdir(), "tenant-sync-layout-test-"));
    repo = join(h.work, "repo");
  });
  after(async () => h.t.emulator.stop());

  const tenantTags = async () => (await objects("roleScopeTag")).map((o) => o.displayName as string);
  const assertFolders = async (where: string) => {
    const names = await tenantTags();
    assertOneFilePerObject(workingFiles(repo, "intune.roleScopeTag"), names, `working tree ${where}`);
    assertOneFilePerObject(await branchFiles(repo, "intune.roleScopeTag"), names, `backup branch ${where}`);
  };

  it("gives every object of every family of twins a file of its own, and a second sync plans and imports nothing", async () => {
    for (const names of Object.values(twinNames)) for (const name of names) await create("roleScopeTag", tag(name));
    const first = await sync(repo, 1);
    assert.match(first.stdout, /In sync: nothing to deploy\./);
    await assertFolders("after the first sync");
    for (const [family, names] of Object.entries(twinNames)) {
      const found = [...docs(workingFiles(repo, "intune.roleScopeTag")).values()].map((d) => d.object.displayName);
      for (const name of names) assert.ok(found.includes(name), `${family}: ${JSON.stringify(name)} has no file`);
    }

    const head = (await git(["rev-parse", "HEAD"], { cwd: repo })).trim();
    const backupHead = (await git(["rev-parse", backupBranch], { cwd: repo })).trim();
    const again = await sync(repo, 2);
    assert.match(again.stdout, /0 to add, 0 to change, 0 to delete\.\nIn sync: nothing to deploy\./);
    assert.doesNotMatch(again.stdout, /Import/i);
    assert.equal((await git(["rev-parse", "HEAD"], { cwd: repo })).trim(), head, "nothing was imported");
    assert.equal(
      (await git(["rev-parse", backupBranch], { cwd: repo })).trim(),
      backupHead,
      "the backup did not change",
    );
    await assertFolders("after the second sync");
  });

  it("keeps a suffixed object's file when another object is named like that file", async () => {
    const files = docs(workingFiles(repo, "intune.roleScopeTag"));
    const tagged = [...files].filter(
      ([, d]) => d.object.displayName === "Baseline" || d.object.displayName === "Straße",
    );
    assert.equal(tagged.length, 2);
    for (const [file] of tagged) {
      await create("roleScopeTag", tag(file));
      await create("roleScopeTag", tag(file.toUpperCase()));
    }
    const before = await branchFiles(repo, "intune.roleScopeTag");
    await sync(repo, 3);
    await assertFolders("after objects named like suffixed files appeared");
    for (const [file, doc] of tagged)
      assert.equal(
        file,
        `${doc.object.displayName as string}~${shortHash(doc.id)}`,
        "a twin's file carries the hash of its id",
      );
    const after = docs(workingFiles(repo, "intune.roleScopeTag"));
    for (const [file, doc] of tagged) {
      assert.equal(after.get(file)?.id, doc.id, `${file}.json still holds its object in the working tree`);
      assert.equal(
        docs(await branchFiles(repo, "intune.roleScopeTag")).get(file)?.id,
        doc.id,
        `${file}.json still holds its object on the backup branch`,
      );
      assert.ok(before.has(`${file}.json`));
    }
    const again = await sync(repo, 4);
    assert.match(again.stdout, /In sync: nothing to deploy\./);
  });

  it("round-trips objects the portal names '..', '../x', '/etc/passwd' or 'C:\\x'", async () => {
    const names = ["..", "../x", "../../etc/passwd", "/etc/passwd", "\\\\server\\share", "C:\\x", "a/../b"];
    for (const name of names) await create("roleScopeTag", tag(name));
    await sync(repo, 5);
    await assertFolders("after path-like names appeared");
    const head = (await git(["rev-parse", "HEAD"], { cwd: repo })).trim();
    const again = await sync(repo, 6);
    assert.match(again.stdout, /In sync: nothing to deploy\./);
    assert.equal((await git(["rev-parse", "HEAD"], { cwd: repo })).trim(), head);
    await assertFolders("after the second sync of path-like names");
  });
});

const psScript = (displayName: string, body: Buffer) => ({
  "@odata.type": "#microsoft.graph.deviceManagementScript",
  displayName,
  description: "",
  fileName: "script.ps1",
  scriptContent: body.toString("base64"),
  runAsAccount: "system",
  enforceSignatureCheck: false,
  runAs32Bit: false,
  roleScopeTagIds: ["0"],
});

describe("safety: attached files never meet another object's files", function () {
  this.timeout(240_000);
  const { h, objects, create, sync, plan } = harness();
  let repo: string;

  before(async () => {
    h.t = await startTestEmulator({ throttle: { mode: "off" } });
    h.work = mkdtempSync(join(tmpdir(), "tenant-sync-layout-test-"));
    repo = join(h.work, "repo");
  });
  after(async () => h.t.emulator.stop());

  /** Each PowerShell script's JSON points at a .ps1 holding exactly its own body. */
  const assertScripts = async (files: Map<string, Buffer>, where: string) => {
    const tenant = await objects("deviceManagementScript");
    assertOneFilePerObject(
      files,
      tenant.map((o) => o.displayName as string),
      where,
    );
    const bodies = new Map(
      tenant.map((o) => [o.displayName as string, Buffer.from(o.scriptContent as string, "base64")]),
    );
    for (const [base, doc] of docs(files)) {
      const ref = doc.object.scriptContent as { $file: string };
      assert.equal(ref.$file, ".ps1", `${where}: ${base}`);
      assert.ok(
        files.get(`${base}.ps1`)?.equals(bodies.get(doc.object.displayName as string)!),
        `${where}: ${base}.ps1 holds the body of ${JSON.stringify(doc.object.displayName)}`,
      );
    }
    assert.equal(
      [...files.keys()].filter((f) => f.endsWith(".ps1")).length,
      tenant.length,
      `${where}: one .ps1 per script`,
    );
  };

  it("keeps object X's script apart from the JSON of objects named 'X.ps1' and 'X.ps1.ps1'", async () => {
    for (const name of ["Deploy", "Deploy.ps1", "deploy.PS1", "Deploy.ps1.ps1", "Deploy.ps1.json", "Deploy.json"])
      await create("deviceManagementScript", psScript(name, Buffer.from(`Write-Output '${name}'\n`)));
    await sync(repo, 1);
    await assertScripts(workingFiles(repo, "intune.powerShellScript"), "working tree");
    await assertScripts(await branchFiles(repo, "intune.powerShellScript"), "backup branch");
    const again = await sync(repo, 2);
    assert.match(again.stdout, /In sync: nothing to deploy\./);
  });

  it("imports a new object beside hand-named files without touching them or sharing their fold key", async () => {
    const handTag = "intune.roleScopeTag/abc.json";
    writeFileSync(
      join(repo, handTag),
      `${JSON.stringify({ type: "intune.roleScopeTag", object: { displayName: "Made by hand", description: "" } }, null, 2)}\n`,
    );
    const stray = "intune.powerShellScript/Fix.ps1";
    writeFileSync(join(repo, stray), "# notes kept beside the scripts\n");
    await commitAll(repo, "Hand-made files");
    const kept = new Map([handTag, stray].map((f) => [f, readFileSync(join(repo, f))]));

    await create("roleScopeTag", tag("ＡＢＣ"));
    await create("deviceManagementScript", psScript("Fix", Buffer.from("Write-Output 'Fix'\n")));
    await create("deviceManagementScript", psScript("deploy.ps1", Buffer.from("Write-Output 'deploy.ps1'\n")));
    const r = await plan(repo, 3);
    assert.match(r.stdout, /1 to add/, "the hand-made tag is still to be added");
    for (const [f, bytes] of kept) assert.ok(readFileSync(join(repo, f)).equals(bytes), `${f} is untouched`);

    const tags = workingFiles(repo, "intune.roleScopeTag");
    assertOneFilePerObject(
      tags,
      [...(await objects("roleScopeTag")).map((o) => o.displayName as string), "Made by hand"],
      "tags in the working tree",
    );
    const scripts = workingFiles(repo, "intune.powerShellScript");
    scripts.delete("Fix.ps1");
    await assertScripts(scripts, "scripts in the working tree");
    const fix = [...docs(scripts)].find(([, d]) => d.object.displayName === "Fix")!;
    assert.notEqual(
      foldKey(`${fix[0]}.ps1`),
      foldKey("Fix.ps1"),
      "the new script's body does not land on the hand-named file",
    );

    const head = (await git(["rev-parse", "HEAD"], { cwd: repo })).trim();
    await plan(repo, 4);
    assert.equal((await git(["rev-parse", "HEAD"], { cwd: repo })).trim(), head, "nothing more to import");
  });

  it("moves an object whose new attached file would land on a hand-named file, rather than writing over it", async () => {
    rmSync(join(repo, "intune.roleScopeTag/abc.json"));
    await git(
      ["-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-am", "No hand-made tag"],
      { cwd: repo },
    );
    const id = await create("deviceManagementScript", psScript("Notes", Buffer.from([0xff, 0x00, 0xfe])));
    await sync(repo, 5);
    assert.ok(
      readFileSync(join(repo, "intune.powerShellScript/Notes.json")),
      "a binary body stays in the JSON, no Notes.ps1",
    );
    const stray = "intune.powerShellScript/notes.PS1";
    writeFileSync(join(repo, stray), "# hand-written notes\n");
    await commitAll(repo, "Notes");

    await h.t.control("PATCH", `/tenants/${h.t.info.tenantId}/objects/deviceManagementScript/${id}`, {
      scriptContent: Buffer.from("Write-Output 'now text'\n").toString("base64"),
    });
    await sync(repo, 6);
    assert.equal(readFileSync(join(repo, stray), "utf8"), "# hand-written notes\n", `${stray} is untouched`);
    const scripts = workingFiles(repo, "intune.powerShellScript");
    for (const f of ["Fix.ps1", "notes.PS1"]) scripts.delete(f);
    await assertScripts(scripts, "scripts after the body became text");
    const notes = [...docs(scripts)].find(([, d]) => d.object.displayName === "Notes")!;
    assert.equal(notes[0], `Notes~${shortHash(id)}`);
  });
});

/** Bodies a tenant can hold; `text` says whether the repository keeps them as a file (else base64 in the JSON). */
const bodies: Record<string, { bytes: Buffer; text: boolean }> = {
  "UTF-8 with BOM and CRLF": {
    bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("Write-Output 'a'\r\nWrite-Output 'b'\r\n")]),
    text: true,
  },
  "UTF-8 without a final newline": { bytes: Buffer.from("exit 0"), text: true },
  "UTF-8 with blank lines at the end": { bytes: Buffer.from("exit 0\n\n\n"), text: true },
  "UTF-8 beyond ASCII": { bytes: Buffer.from("Write-Output 'Grüße 设备 😀'\n"), text: true },
  "a lone CR and a NUL": { bytes: Buffer.from("a\rb\u0000c\n"), text: true },
  "UTF-16LE with BOM": {
    bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("Write-Output 'x'\r\n", "utf16le")]),
    text: false,
  },
  "every byte value": { bytes: Buffer.from(Array.from({ length: 256 }, (_, i) => i)), text: false },
  "invalid UTF-8 (a cut sequence)": { bytes: Buffer.from([0x61, 0xc3, 0x28, 0x0a]), text: false },
  "an encoded surrogate (CESU-8)": { bytes: Buffer.from([0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]), text: false },
};

/** The four types with file-backed values, as the portal would create them. */
const fileTypes: Record<
  string,
  {
    key: string;
    folder: string;
    properties: Record<string, string>;
    make: (name: string, body: string) => Record<string, unknown>;
  }
> = {
  "PowerShell script": {
    key: "deviceManagementScript",
    folder: "intune.powerShellScript",
    properties: { scriptContent: ".ps1" },
    make: (name, body) => psScript(name, Buffer.from(body, "base64")),
  },
  "shell script": {
    key: "deviceShellScript",
    folder: "intune.shellScript",
    properties: { scriptContent: ".sh" },
    make: (displayName, scriptContent) => ({
      "@odata.type": "#microsoft.graph.deviceShellScript",
      displayName,
      description: "",
      fileName: "script.sh",
      scriptContent,
      runAsAccount: "system",
      roleScopeTagIds: ["0"],
    }),
  },
  "remediation script": {
    key: "deviceHealthScript",
    folder: "intune.remediationScript",
    properties: { detectionScriptContent: ".detection.ps1", remediationScriptContent: ".remediation.ps1" },
    make: (displayName, body) => ({
      "@odata.type": "#microsoft.graph.deviceHealthScript",
      displayName,
      description: "",
      publisher: "Contoso IT",
      detectionScriptContent: body,
      remediationScriptContent: body,
      runAsAccount: "system",
      enforceSignatureCheck: false,
      runAs32Bit: false,
      isGlobalScript: false,
      version: "1",
      roleScopeTagIds: ["0"],
    }),
  },
  "custom macOS profile": {
    key: "deviceConfiguration",
    folder: "intune.deviceConfiguration",
    properties: { payload: ".mobileconfig" },
    make: (displayName, payload) => ({
      "@odata.type": "#microsoft.graph.macOSCustomConfiguration",
      displayName,
      description: "",
      version: 1,
      roleScopeTagIds: ["0"],
      payloadName: "Profile",
      payloadFileName: "profile.mobileconfig",
      payload,
      deploymentChannel: "deviceChannel",
    }),
  },
};

describe("safety: file-backed values round-trip byte for byte", function () {
  this.timeout(240_000);
  const { h, cli, objects, sync } = harness();
  let repo: string;
  const tenantIds = new Map<string, string>();

  before(async () => {
    h.t = await startTestEmulator({ throttle: { mode: "off" } });
    h.work = mkdtempSync(join(tmpdir(), "tenant-sync-layout-test-"));
    repo = join(h.work, "repo");
  });
  after(async () => h.t.emulator.stop());

  const tenantObject = async (key: string, name: string) => (await objects(key)).find((o) => o.displayName === name)!;

  /** Every value of every seeded object: in a file holding exactly the tenant's bytes, or base64 exactly as the tenant has it. */
  const assertSide = async (read: (folder: string) => Promise<Map<string, Buffer>>, where: string) => {
    for (const [typeName, type] of Object.entries(fileTypes)) {
      const files = await read(type.folder);
      const byName = new Map([...docs(files)].map(([base, d]) => [d.object.displayName as string, { base, d }]));
      for (const [bodyName, body] of Object.entries(bodies)) {
        const name = `${typeName}: ${bodyName}`;
        const { base, d } = byName.get(name)!;
        const tenant = await tenantObject(type.key, name);
        for (const [property, suffix] of Object.entries(type.properties)) {
          const value = d.object[property];
          const wanted = Buffer.from(tenant[property] as string, "base64");
          if (body.text) {
            assert.deepEqual(value, { $file: suffix }, `${where}: ${name} keeps ${property} in a file`);
            assert.ok(
              files.get(`${base}${suffix}`)?.equals(wanted),
              `${where}: ${base}${suffix} holds the tenant's bytes`,
            );
          } else {
            assert.equal(value, tenant[property], `${where}: ${name} keeps ${property} as the tenant's base64`);
            assert.ok(!files.has(`${base}${suffix}`), `${where}: no ${base}${suffix}`);
          }
        }
      }
    }
  };

  it("backs up every body exactly: text files holding the tenant's bytes on the backup branch and in the repository, anything else base64", async () => {
    for (const [typeName, type] of Object.entries(fileTypes)) {
      for (const [bodyName, body] of Object.entries(bodies)) {
        const name = `${typeName}: ${bodyName}`;
        const r = await h.t.control(
          "POST",
          `/tenants/${h.t.info.tenantId}/objects/${type.key}`,
          type.make(name, body.bytes.toString("base64")),
        );
        assert.equal(r.status, 201, JSON.stringify(r.body));
        tenantIds.set(name, r.body.id);
      }
    }
    await sync(repo, 1);
    await assertSide(async (folder) => branchFiles(repo, folder), "backup branch");
    await assertSide(async (folder) => workingFiles(repo, folder), "working tree");
    const again = await sync(repo, 2);
    assert.match(again.stdout, /0 to add, 0 to change, 0 to delete\.\nIn sync: nothing to deploy\./);
  });

  it("deploys exactly the repository's bytes: an edited text body, an edited base64 body, and the untouched ones as they were", async () => {
    const edited = new Map<string, Buffer>();
    for (const [typeName, type] of Object.entries(fileTypes)) {
      const files = docs(workingFiles(repo, type.folder));
      const find = (name: string) => [...files].find(([, d]) => d.object.displayName === name)!;
      const [textBase] = find(`${typeName}: UTF-8 with BOM and CRLF`);
      const newText = Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from("Write-Output 'changed'\r\n# Grüße\r\nexit 0"),
      ]);
      for (const suffix of Object.values(type.properties))
        writeFileSync(join(repo, type.folder, `${textBase}${suffix}`), newText);
      edited.set(`${typeName}: UTF-8 with BOM and CRLF`, newText);
      const [binaryBase, binaryDoc] = find(`${typeName}: every byte value`);
      const newBinary = Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i));
      for (const property of Object.keys(type.properties)) binaryDoc.object[property] = newBinary.toString("base64");
      writeFileSync(join(repo, type.folder, `${binaryBase}.json`), `${JSON.stringify(binaryDoc, null, 2)}\n`);
      edited.set(`${typeName}: every byte value`, newBinary);
    }
    await commitAll(repo, "New bodies");
    const planPath = join(h.work, "plan-3.json");
    const planned = await cli("plan", "--repo", repo, "--out", planPath, "--json");
    assert.equal(planned.code, 0, planned.stderr);
    assert.equal(JSON.parse(planned.stdout.trim()).summary, `0 to add, ${edited.size} to change, 0 to delete.`);
    const deployed = await cli("deploy", "--plan", planPath, "--repo", repo);
    assert.equal(deployed.code, 0, deployed.stderr + deployed.stdout);

    for (const [typeName, type] of Object.entries(fileTypes)) {
      for (const [bodyName, body] of Object.entries(bodies)) {
        const name = `${typeName}: ${bodyName}`;
        const tenant = await tenantObject(type.key, name);
        for (const property of Object.keys(type.properties)) {
          const got = Buffer.from(tenant[property] as string, "base64");
          assert.ok(
            got.equals(edited.get(name) ?? body.bytes),
            `${name}: the tenant's ${property} is exactly the repository's bytes`,
          );
        }
      }
    }
    const head = (await git(["rev-parse", "HEAD"], { cwd: repo })).trim();
    const again = await sync(repo, 4);
    assert.match(again.stdout, /In sync: nothing to deploy\./);
    assert.equal(
      (await git(["rev-parse", "HEAD"], { cwd: repo })).trim(),
      head,
      "nothing came back from the tenant to import",
    );
    await assertSide(async (folder) => branchFiles(repo, folder), "backup branch after the deploy");
  });
});

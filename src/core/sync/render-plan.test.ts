import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ResourceTypeId } from "../resources/resource-type";
import type { JsonObject } from "../snapshot/pointer";
import type { Action, Change, Conflict, FieldChange, GateFinding, Plan } from "./plan";
import { renderMarkdown, renderText, summaryLine } from "./render-plan";

const testdata = join(__dirname, "testdata");
const isUpdatingGolden = process.env.UPDATE_GOLDEN === "1";

/** Compares with testdata/<file>; UPDATE_GOLDEN=1 writes the file instead (review the diff before committing). */
function assertGolden(file: string, actual: string): void {
  const path = join(testdata, file);
  if (isUpdatingGolden) {
    mkdirSync(testdata, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  let want: string;
  try {
    want = readFileSync(path, "utf8");
  } catch {
    assert.fail(`The golden file ${path} is missing. Run UPDATE_GOLDEN=1 npm test -- --grep render and review it.`);
  }
  assert.equal(
    actual,
    want,
    `The rendering differs from ${file}. If the change is intended, run UPDATE_GOLDEN=1 npm test -- --grep render and review the diff.`,
  );
}

const addressOf = (type: ResourceTypeId, name: string) => `${type}[${JSON.stringify(name)}]`;
const groupRef = (name: string, id: string): JsonObject => ({ $ref: addressOf("entra.group", name), id });
const secret = (pointer: string): JsonObject => ({
  $secret: pointer,
  note: `Secret value at ${pointer}: not stored in git. Keep this placeholder to leave the tenant's value as it is.`,
});

function change(
  action: Action,
  type: ResourceTypeId,
  name: string,
  fields: FieldChange[] = [],
  object: JsonObject = { displayName: name },
): Change {
  return {
    address: addressOf(type, name),
    type,
    name,
    action,
    ...(action === "create" ? {} : { tenantId: `${type}-${name}`, fingerprint: "sha256:0000" }),
    ...(action === "delete" ? { before: { object, files: {} } } : { after: { object, files: {} } }),
    fields: action === "create" ? [{ path: "", after: object }] : fields,
  };
}

function planOf(o: { changes?: Change[]; conflicts?: Conflict[]; findings?: GateFinding[] } = {}): Plan {
  return {
    formatVersion: 1,
    tenantId: "contoso.onmicrosoft.com",
    createdAt: "2025-03-01T08:00:00.000Z",
    repoCommit: "a".repeat(40),
    tenantCommit: "b".repeat(40),
    baseCommit: "c".repeat(40),
    changes: o.changes ?? [],
    conflicts: o.conflicts ?? [],
    findings: o.findings ?? [],
    tenantCounts: {},
    counts: {},
  };
}

const longDescription =
  "Requires BitLocker, Secure Boot and code integrity on every corporate Windows device, checked daily by the compliance engine.";
const oddName = "Pilot | ring `1` *beta* <new>";

/** A plan with every kind of change, conflicts and findings, as makePlan orders them. */
const fullPlan = planOf({
  changes: [
    change("create", "entra.group", oddName, [], {
      displayName: oddName,
      mailEnabled: false,
      mailNickname: "pilot-ring-1",
      securityEnabled: true,
    }),
    change("update", "intune.compliancePolicy", "Windows baseline", [
      { path: "/description", before: "Baseline", after: longDescription },
      { path: "/notes", after: "Changed by\n  the platform team" },
      { path: "/passwordMinimumLength", before: 8, after: 12 },
      { path: "/roleScopeTagIds", before: ["0"], after: ["0", "3"] },
      { path: "/scheduledActionsForRule/0/ruleName", before: "PasswordRequired" },
    ]),
    change("update", "intune.deviceConfiguration", "Kiosk OMA", [
      {
        path: "/omaSettings/0/value",
        before: secret("/omaSettings/0/value"),
        after: secret("/omaSettings/0/value~1new"),
      },
      {
        path: "/omaSettings/1/omaUri",
        before: "./Device/Vendor/MSFT/Policy/Config/A|B",
        after: "./Device/Vendor/MSFT/Policy/Config/A_B",
      },
    ]),
    change("assign", "intune.deviceConfiguration", "Kiosk lockdown", [
      { path: "/assignments/0/target/groupId", before: groupRef("All staff", "g-1"), after: groupRef(oddName, "g-2") },
    ]),
    change("delete", "intune.assignmentFilter", "Legacy devices"),
  ],
  conflicts: [
    {
      address: addressOf("entra.conditionalAccessPolicy", "Block legacy auth"),
      type: "entra.conditionalAccessPolicy",
      resolution: "stopped",
      fields: [{ path: "/state", before: "enabledForReportingButNotEnforced", after: "enabled" }],
    },
    {
      address: addressOf("entra.namedLocation", "Head office"),
      type: "entra.namedLocation",
      resolution: "tenantWins",
      fields: [{ path: "/ipRanges/0/cidrAddress", before: "192.0.2.0/24", after: "198.51.100.0/24" }],
    },
  ],
  findings: [
    {
      kind: "delete",
      confirm: "deletes",
      addresses: ['intune.assignmentFilter["Legacy devices"]'],
      message:
        '1 object will be deleted from the tenant: intune.assignmentFilter["Legacy devices"]. Confirm deletes to allow it.',
    },
    {
      kind: "secret",
      confirm: "secrets",
      addresses: ['intune.deviceConfiguration["Kiosk OMA"]'],
      message:
        'Secret-bearing settings change in intune.deviceConfiguration["Kiosk OMA"]. Confirm secrets to allow it.',
    },
    {
      kind: "missingReference",
      addresses: ['intune.deviceConfiguration["Kiosk lockdown"]'],
      message:
        'intune.deviceConfiguration["Kiosk lockdown"] refers to entra.group["Nowhere"], which the tenant does not have and the plan does not create.',
    },
    {
      kind: "conflict",
      addresses: ['entra.conditionalAccessPolicy["Block legacy auth"]'],
      message:
        '1 object was changed both in the repo and in the tenant since the last sync: entra.conditionalAccessPolicy["Block legacy auth"].',
    },
  ],
});

/** One update with more settings than the renderings show. */
const manyFieldsPlan = planOf({
  changes: [
    change(
      "update",
      "intune.settingsCatalogPolicy",
      "Edge",
      Array.from({ length: 30 }, (_, i) => ({ path: `/settings/${i}/value`, before: i, after: i + 100 })),
    ),
  ],
});

const emptyPlan = planOf();

const goldens: Record<string, Plan> = { full: fullPlan, "many-fields": manyFieldsPlan, empty: emptyPlan };

/** A VPP token the repository changed, which the plan leaves to a person. */
const refusedFinding: GateFinding = {
  kind: "refusedWrite",
  addresses: ['intune.vppToken["Contoso | Oslo"]'],
  message: 'intune.vppToken["Contoso | Oslo"] is not deployed: Tenant Sync cannot create this object.',
  refused: {
    action: "create",
    why: "a VPP token is uploaded from the file Apple gives.",
    instead: "upload it in the Intune admin center, then run the backup.",
    fields: [{ path: "/automaticallyUpdateApps", before: false, after: true }],
  },
};

describe("summaryLine", () => {
  const finding = (confirm?: GateFinding["confirm"]): GateFinding => ({
    kind: confirm ? "delete" : "missingReference",
    confirm,
    addresses: [],
    message: "",
  });
  const conflict: Conflict = { address: 'entra.group["A"]', type: "entra.group", resolution: "stopped", fields: [] };
  const cases: Record<string, { plan: Plan; want: string }> = {
    "counts nothing in an empty plan": { plan: emptyPlan, want: "0 to add, 0 to change, 0 to delete." },
    "counts creates as added, updates and assigns as changed, deletes as deleted": {
      plan: planOf({
        changes: [
          change("create", "entra.group", "A"),
          change("update", "entra.group", "B"),
          change("assign", "entra.group", "C"),
          change("delete", "entra.group", "D"),
          change("delete", "entra.group", "E"),
        ],
      }),
      want: "1 to add, 2 to change, 2 to delete.",
    },
    "mentions one conflict": {
      plan: planOf({ conflicts: [conflict] }),
      want: "0 to add, 0 to change, 0 to delete (1 conflict).",
    },
    "mentions conflicts, findings to confirm and blocking findings": {
      plan: planOf({ conflicts: [conflict, conflict], findings: [finding("deletes"), finding("mass"), finding()] }),
      want: "0 to add, 0 to change, 0 to delete (2 conflicts, 2 findings to confirm, blocked by 1 finding).",
    },
    "mentions refused writes apart from what blocks": {
      plan: planOf({ findings: [refusedFinding, finding("deletes")] }),
      want: "0 to add, 0 to change, 0 to delete (1 finding to confirm, 1 refused write left to a person).",
    },
    "mentions one finding to confirm and several blocking ones": {
      plan: planOf({ findings: [finding("secrets"), finding(), finding()] }),
      want: "0 to add, 0 to change, 0 to delete (1 finding to confirm, blocked by 2 findings).",
    },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => assert.equal(summaryLine(c.plan), c.want));
  }
});

describe("renderMarkdown", () => {
  for (const [name, plan] of Object.entries(goldens)) {
    it(`renders the ${name} plan as in testdata/plan-${name}.md`, () =>
      assertGolden(`plan-${name}.md`, renderMarkdown(plan)));
  }

  const full = renderMarkdown(fullPlan);
  const cases: Record<string, string[]> = {
    "opens with the tenant and the summary line": [
      "## Tenant Sync plan for contoso.onmicrosoft.com\n\n**1 to add, 3 to change, 1 to delete (2 conflicts, 2 findings to confirm, blocked by 2 findings).**\n",
    ],
    "says which confirmation each finding needs, and which findings block": [
      "> **Needs confirmation (deletes):** 1 object",
      "> **Needs confirmation (secrets):**",
      '> **Blocked:** intune.deviceConfiguration\\["Kiosk lockdown"\\]',
    ],
    "groups changes under the title and id of their type": [
      "### Group (`entra.group`)",
      "### Compliance policy (`intune.compliancePolicy`)",
      "### Assignment filter (`intune.assignmentFilter`)",
    ],
    "escapes |, backticks and other Markdown in names": ["- Pilot \\| ring \\`1\\` \\*beta\\* \\<new\\>"],
    "escapes | in values so the table keeps its columns": ["./Device/Vendor/MSFT/Policy/Config/A\\|B"],
    "shows a $secret placeholder as (secret), never its note": ["| `/omaSettings/0/value` | (secret) | (secret) |"],
    "shows a reference by its address": [
      '| `/assignments/0/target/groupId` | entra.group\\["All staff"\\] | entra.group\\["Pilot \\| ring \\`1\\` \\*beta\\* \\<new\\>"\\] |',
    ],
    "truncates long values to 80 characters with an ellipsis": [`| ${longDescription.slice(0, 79)}… |`],
    "collapses whitespace in values": ["| — | Changed by the platform team |"],
    "shows an absent side as a dash": ["| `/scheduledActionsForRule/0/ruleName` | PasswordRequired | — |"],
    "lists conflicts with what each resolution means": [
      '- entra.conditionalAccessPolicy\\["Block legacy auth"\\] — stopped: not deployed',
      '- entra.namedLocation\\["Head office"\\] — the tenant wins',
      "  | setting | tenant | repo |",
    ],
  };
  for (const [name, wants] of Object.entries(cases)) {
    it(name, () => {
      for (const want of wants) assert.ok(full.includes(want), `missing ${JSON.stringify(want)} in:\n${full}`);
    });
  }

  it("lists a refused write apart, with the settings, why and what to do instead, not as blocking", () => {
    const text = renderMarkdown(
      planOf({ changes: [change("update", "entra.group", "B")], findings: [refusedFinding] }),
    );
    assert.ok(!text.includes("**Blocked:**"), text);
    for (const want of [
      "### Not deployed: writes the service leaves to a person",
      '- intune.vppToken\\["Contoso \\| Oslo"\\] — create: a VPP token is uploaded from the file Apple gives. **Instead:** upload it in the Intune admin center, then run the backup.',
      "  | `/automaticallyUpdateApps` | false | true |",
    ])
      assert.ok(text.includes(want), `missing ${JSON.stringify(want)} in:\n${text}`);
  });

  it("never prints the note of a $secret placeholder", () => assert.ok(!full.includes("not stored in git"), full));

  it("shows at most 25 settings of a change and counts the rest", () => {
    const text = renderMarkdown(manyFieldsPlan);
    assert.equal(text.match(/^ {2}\| `\/settings\//gm)?.length, 25);
    assert.ok(text.includes("| … 5 more | | |"), text);
  });

  it("says there is nothing to deploy when the tenant matches the repository", () => {
    assert.ok(renderMarkdown(emptyPlan).includes("The tenant already matches the repository. Nothing to deploy."));
    assert.ok(!full.includes("Nothing to deploy"));
  });

  it("ends with exactly one newline", () => assert.ok(full.endsWith("\n") && !full.endsWith("\n\n")));
});

describe("renderText", () => {
  for (const [name, plan] of Object.entries(goldens)) {
    it(`renders the ${name} plan as in testdata/plan-${name}.txt`, () =>
      assertGolden(`plan-${name}.txt`, renderText(plan)));
  }

  const full = renderText(fullPlan);
  const lines = full.trimEnd().split("\n");
  const cases: Record<string, string[]> = {
    "marks creates with +, updates and assigns with ~ and deletes with -": [
      `  + entra.group["${oddName}"]`,
      '  ~ intune.compliancePolicy["Windows baseline"]',
      '  ~ intune.deviceConfiguration["Kiosk lockdown"] (assignments)',
      '  - intune.assignmentFilter["Legacy devices"]',
    ],
    "indents the changed settings of an update below it": [
      "      /passwordMinimumLength: 8 → 12",
      '      /assignments/0/target/groupId: entra.group["All staff"] → entra.group["Pilot | ring `1` *beta* <new>"]',
    ],
    "shows a $secret placeholder as (secret)": ["      /omaSettings/0/value: (secret) → (secret)"],
    "truncates long values to 50 characters with an ellipsis": [
      `      /description: Baseline → ${longDescription.slice(0, 49)}…`,
    ],
    "shows conflicts with their resolution and both versions": [
      '  ! entra.conditionalAccessPolicy["Block legacy auth"]: conflict (stopped)',
      "      /state: tenant enabledForReportingButNotEnforced / repo enabled",
    ],
    "says which confirmation each finding needs, and which findings block": [
      "  needs --confirm deletes: 1 object will be deleted",
      '  BLOCKED: intune.deviceConfiguration["Kiosk lockdown"] refers to',
    ],
  };
  for (const [name, wants] of Object.entries(cases)) {
    it(name, () => {
      for (const want of wants)
        assert.ok(
          lines.some((l) => l.startsWith(want)),
          `no line starts with ${JSON.stringify(want)} in:\n${full}`,
        );
    });
  }

  it("marks a refused write as not deployed, not as blocked", () => {
    const text = renderText(planOf({ findings: [refusedFinding] }));
    assert.ok(text.includes(`  NOT DEPLOYED: ${refusedFinding.message}`), text);
    assert.ok(!text.includes("BLOCKED"), text);
  });

  it("does not list the fields of a create", () =>
    assert.equal(
      lines[lines.indexOf(`  + entra.group["${oddName}"]`) + 1],
      '  ~ intune.compliancePolicy["Windows baseline"]',
    ));

  it("ends with the summary line", () => assert.equal(lines.at(-1), summaryLine(fullPlan)));

  it("shows at most 12 settings of a change and counts the rest", () => {
    const text = renderText(manyFieldsPlan);
    assert.equal(text.match(/^ {6}\/settings\//gm)?.length, 12);
    assert.ok(text.includes("      … 18 more\n"), text);
  });

  it("prints only the summary for an empty plan", () =>
    assert.equal(renderText(emptyPlan), "0 to add, 0 to change, 0 to delete.\n"));
});

describe("render-plan with tenant text that would command the agent or the terminal", () => {
  const payloads = [
    "\n##vso[task.setvariable variable=pwned]1",
    "  ##[group]x",
    "\r##vso[task.complete]x",
    "\x1b]8;;http://evil\x07link\x1b]8;;\x07",
    "\x1b[31mred",
    "\x9b31m",
    "\u202e",
    "\x00\x07\b",
  ];
  const unsafe = (line: string) =>
    /##vso\[/i.test(line) ||
    /^\s*##\[/.test(line) ||
    /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/.test(line); // eslint-disable-line no-control-regex -- what must not be printed
  for (const [i, p] of payloads.entries()) {
    it(`keeps payload ${i} (${JSON.stringify(p)}) harmless in names, keys, values, conflicts and findings`, () => {
      const name = `Name ${p} end`;
      const changed = {
        ...change("update", "intune.compliancePolicy", name, [
          {
            path: `/key ${p} end/nested ${p}`,
            before: `was ${p} end`,
            after: { $ref: `entra.group[${JSON.stringify(name)}]` },
          },
        ]),
        name,
      };
      const conflict: Conflict = {
        address: addressOf("intune.roleScopeTag", name),
        type: "intune.roleScopeTag",
        resolution: "stopped",
        fields: [{ path: `/k ${p}`, before: `tenant ${p}`, after: `repo ${p}` }],
      };
      const finding: GateFinding = {
        kind: "missingReference",
        addresses: [changed.address],
        message: `Missing ${p} end`,
      };
      const plan = {
        ...planOf({ changes: [changed], conflicts: [conflict], findings: [finding] }),
        tenantId: `contoso ${p}`,
      };
      for (const [where, text] of [
        ["renderMarkdown", renderMarkdown(plan)],
        ["renderText", renderText(plan)],
      ]) {
        assert.deepEqual(text.split("\n").filter(unsafe), [], where);
        assert.ok(
          text.includes("Name ") && text.includes("Missing ") && text.includes("was "),
          `${where} stays readable`,
        );
      }
    });
  }
});

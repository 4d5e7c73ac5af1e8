/**
 * The expression language of the local runner: conversions, comparisons without regard to case,
 * functions, property access and the errors a bad expression gives.
 */
import assert from "node:assert/strict";
import { evaluateText, ExpressionError, toStringValue, type Value } from "../../emulators/azdo/runner/expressions";

const context = {
  named: (name: string): Value | undefined =>
    ({
      parameters: { mode: "sync", confirm: true, count: 3, list: ["a", "B"] },
      variables: { "Build.Reason": "Manual", empty: "" },
      dependencies: { Plan: { result: "Succeeded", outputs: { "makePlan.plan.deployable": "true" } } },
    })[name.toLowerCase()],
};

describe("runner expressions", () => {
  const table: [string, Value][] = [
    ["eq('Sync', 'sync')", true],
    ["ne(parameters.mode, 'backupOnly')", true],
    ["eq(parameters.confirm, true)", true],
    ["eq('true', parameters.confirm)", true],
    ["eq(parameters.count, '3')", true],
    ["eq(parameters.count, 'three')", false],
    ["eq(1, 1.0)", true],
    ["and(true, not(false), or(false, 'x'))", true],
    ["and(true, '')", false],
    ["iif(parameters.confirm, 'deletes', '')", "deletes"],
    ["iif(eq(parameters.mode, 'revert'), 'revert', 'plan')", "plan"],
    ["in(parameters.mode, 'sync', 'revert')", true],
    ["notIn('x', 'a', 'b')", true],
    ["contains('Tenant Sync', 'SYNC')", true],
    ["contains(parameters.list, 'b')", true],
    ["startsWith('refs/heads/main', 'REFS/heads')", true],
    ["endsWith('plan.json', '.JSON')", true],
    ["format('{0}-{1}-{{x}}', 'a', parameters.confirm)", "a-True-{x}"],
    ["variables['Build.Reason']", "Manual"],
    ["variables.build.reason", null],
    ["variables['build.reason']", "Manual"],
    ["dependencies.Plan.outputs['makePlan.plan.deployable']", "true"],
    ["eq(dependencies.plan.result, 'succeeded')", true],
    ["dependencies.Nope.outputs['x']", null],
    ["coalesce(variables.empty, null, 'third')", "third"],
    ["length(parameters.list)", 2],
    ["join(';', parameters.list)", "a;B"],
    ["upper('it''s')", "IT'S"],
    ["gt(parameters.count, 2)", true],
    ["le('a', 'B')", true],
    ["xor(true, false)", true],
    ["eq(null, '')", false],
  ];
  for (const [expression, expected] of table) {
    it(`${expression} → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(evaluateText(expression, context), expected);
    });
  }

  it("prints booleans as True/False and null as empty, as templates render them", () => {
    assert.equal(toStringValue(true), "True");
    assert.equal(toStringValue(false), "False");
    assert.equal(toStringValue(null), "");
    assert.equal(toStringValue(2.5), "2.5");
  });

  it("and stops at the first false argument (the rest is not evaluated)", () => {
    assert.equal(evaluateText("and(false, nosuch.value)", context), false);
  });

  const errors: [string, RegExp][] = [
    ["eq('a')", /'eq' takes 2 argument/],
    ["frobnicate(1)", /Unrecognized function: 'frobnicate'/],
    ["resources.repositories", /Unrecognized value: 'resources'/],
    ["eq('a', 'b'", /Expected '\)'/],
    ["'open", /Unclosed string/],
    ["eq('a', 'b') extra", /Unexpected 'extra'/],
  ];
  for (const [expression, message] of errors) {
    it(`refuses ${expression}`, () => {
      assert.throws(
        () => evaluateText(expression, context),
        (e: Error) => e instanceof ExpressionError && message.test(e.message),
      );
    });
  }
});

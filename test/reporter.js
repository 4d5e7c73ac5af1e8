/* The spec reporter, then the closing line CI reads: "N passed, N failed" (mocha prints "N passing"). */
"use strict";
const Mocha = require("mocha");
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const { passes, failures, pending } = runner.stats;
      // After the spec reporter's own epilogue.
      process.nextTick(() =>
        console.log(`${passes} passed, ${failures} failed${pending ? `, ${pending} skipped` : ""}`),
      );
    });
  }
}
module.exports = SummaryReporter;

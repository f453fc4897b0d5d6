"use strict";
/** Mocha's spec reporter, plus the run's pass/fail counts written to $IDFED_MOCHA_STATS for scripts/test.js. */
const fs = require("fs");
const Mocha = require("mocha");

class SummaryReporter extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const file = process.env.IDFED_MOCHA_STATS;
            if (file)
                fs.writeFileSync(
                    file,
                    JSON.stringify({ passes: runner.stats.passes, failures: runner.stats.failures, pending: runner.stats.pending }),
                );
        });
    }
}
module.exports = SummaryReporter;

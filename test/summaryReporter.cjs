// Mocha's spec output for people, plus one JSON line of counts for scripts/test.mjs's closing line.
const { appendFileSync } = require('node:fs');
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const file = process.env.FLOTILLA_TEST_SUMMARY;
      if (!file) return;
      const { passes, failures, pending } = runner.stats;
      appendFileSync(file, `${JSON.stringify({ stage: process.env.FLOTILLA_TEST_STAGE ?? 'unit', passes, failures, pending })}\n`);
    });
  }
}

module.exports = SummaryReporter;

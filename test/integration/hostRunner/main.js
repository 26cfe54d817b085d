// Test-only extension. The launcher (scripts/runIntegration.mjs) starts code-server with
// FLOTILLA_IT_ENTRY (the built suites' index.js) and FLOTILLA_IT_RESULTS (where to write results);
// this runs them once the workbench has started. Without those variables it does nothing.
const { writeFileSync } = require('node:fs');

exports.activate = function activate() {
  const entry = process.env.FLOTILLA_IT_ENTRY;
  const results = process.env.FLOTILLA_IT_RESULTS;
  if (!entry || !results) return;
  setTimeout(() => {
    try {
      require(entry)
        .run(results)
        .catch(() => undefined); // failures are in the results file
    } catch (error) {
      writeFileSync(results, JSON.stringify({ crashed: String(error && error.stack ? error.stack : error) }));
    }
  }, 0);
};

exports.deactivate = function deactivate() {};

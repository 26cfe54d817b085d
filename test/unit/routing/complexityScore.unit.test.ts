import assert from 'node:assert/strict';
import { classify, CLASS_THRESHOLDS, describeScore, scoreComplexity } from '../../../src/core/routing/complexityScore';
import { COMPLEXITY_SIGNALS, extractFeatures } from '../../../src/core/routing/complexitySignals';
import { ticket, words } from './routingFixtures';

describe('scoreComplexity', () => {
  it('classifies at the documented thresholds', () => {
    assert.equal(classify(CLASS_THRESHOLDS.standard - 1), 'mechanical');
    assert.equal(classify(CLASS_THRESHOLDS.standard), 'standard');
    assert.equal(classify(CLASS_THRESHOLDS.complex - 1), 'standard');
    assert.equal(classify(CLASS_THRESHOLDS.complex), 'complex');
  });

  it('rates a short docs typo as mechanical and says why', () => {
    const result = scoreComplexity(ticket({ title: 'Fix typo in README', body: 'Spelled "recieve".', labels: ['docs'] }));
    assert.equal(result.complexityClass, 'mechanical');
    assert.equal(result.score, 0);
    const reason = describeScore(result);
    assert.match(reason, /^mechanical: /);
    assert.match(reason, /label docs/);
    assert.match(reason, /\(score 0\)$/);
  });

  it('rates a long auth + migration change as complex and names both domains', () => {
    const body = `We need to move sessions to the new auth service and write a migration for the users table. ${words(300)}`;
    const result = scoreComplexity(ticket({ title: 'Move login sessions', body, files: ['src/auth/session.ts', 'db/migrations/0042.sql'] }));
    assert.equal(result.complexityClass, 'complex');
    assert.ok(result.score >= CLASS_THRESHOLDS.complex);
    assert.deepEqual(result.features.domains, ['auth', 'migration']);
    assert.match(describeScore(result), /^complex: touches auth \+ migration/);
  });

  it('grows with size, domains, breadth, files and dependencies', () => {
    const small = scoreComplexity(ticket({ body: words(20) })).score;
    const longer = scoreComplexity(ticket({ body: words(400) })).score;
    assert.ok(longer > small);
    const withDomain = scoreComplexity(ticket({ body: `${words(20)} payment refunds` })).score;
    assert.ok(withDomain > small);
    const broad = scoreComplexity(ticket({ body: `${words(20)} refactor across modules` })).score;
    assert.ok(broad > small);
    const withFiles = scoreComplexity(ticket({ body: words(20), files: ['a.ts', 'b.ts'], dependsOn: ['T0'] })).score;
    assert.ok(withFiles > small);
  });

  it('counts a domain named only by a label, and file paths mentioned in the text', () => {
    const f = extractFeatures(ticket({ body: 'see src/app/main.py and utils.py', labels: ['Security'] }));
    assert.deepEqual(f.domains, ['security']);
    assert.equal(f.fileCount, 2);
  });

  it('keeps every score within 0..100 and lists contributions strongest first', () => {
    const huge = scoreComplexity(
      ticket({ title: 'Refactor auth', body: `auth payment migration security race condition ${words(2000)}`, labels: ['feature'], files: ['a', 'b', 'c', 'd', 'e', 'f'], dependsOn: ['A', 'B', 'C'] }),
    );
    assert.equal(huge.score, 100);
    const points = huge.contributions.map((c) => Math.abs(c.points));
    assert.deepEqual(points, [...points].sort((a, b) => b - a));
  });

  it('keeps its weights in one table with distinct signal names', () => {
    const names = COMPLEXITY_SIGNALS.map((s) => s.name);
    assert.equal(new Set(names).size, names.length);
    assert.ok(COMPLEXITY_SIGNALS.some((s) => s.weight < 0), 'some signals mark a ticket as mechanical');
  });
});

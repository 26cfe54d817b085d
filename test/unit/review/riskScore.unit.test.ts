import assert from 'node:assert/strict';
import { decideLevel, scoreRisk } from '../../../src/core/review/riskScore';
import { RISK_BASE_SCORE } from '../../../src/core/review/riskSignals';
import { fakeDiff, lines } from './diffFixtures';

describe('scoreRisk: the risk table', () => {
  const cases: { name: string; diff: ReturnType<typeof fakeDiff>; level: string }[] = [
    { name: 'docs only', diff: fakeDiff([{ path: 'README.md', added: lines(40, 'Some prose') }, { path: 'docs/guide/setup.txt', added: ['x'] }]), level: 'minimal' },
    { name: 'docs that mention DROP TABLE', diff: fakeDiff([{ path: 'docs/db.md', added: ['Run `DROP TABLE users;` to reset'] }]), level: 'minimal' },
    { name: 'tests only', diff: fakeDiff([{ path: 'test/unit/foo.unit.test.ts', added: lines(60) }, { path: 'src/app/bar.spec.ts', added: lines(5) }]), level: 'minimal' },
    { name: 'a test fixture that deletes rows', diff: fakeDiff([{ path: 'tests/fixtures/reset.sql', added: ['DELETE FROM users;'] }]), level: 'minimal' },
    { name: 'a small code change', diff: fakeDiff([{ path: 'src/util/format.ts', added: lines(12) }]), level: 'standard' },
    { name: 'raw SQL in application code', diff: fakeDiff([{ path: 'src/repo/users.ts', added: ['const q = "SELECT id FROM users WHERE name = " + name;'] }]), level: 'standard' },
    { name: 'an auth path', diff: fakeDiff([{ path: 'src/server/authService.ts', added: lines(20) }]), level: 'thorough' },
    { name: 'a migration with ALTER TABLE', diff: fakeDiff([{ path: 'db/migrations/0042_add_col.sql', added: ['ALTER TABLE users ADD COLUMN age int;'] }]), level: 'thorough' },
    { name: 'a large change over many files', diff: fakeDiff(Array.from({ length: 30 }, (_, i) => ({ path: `src/mod${i}/part.ts`, added: lines(80) }))), level: 'thorough' },
    { name: 'a migration with DROP TABLE', diff: fakeDiff([{ path: 'db/migrations/0043_drop_legacy.sql', added: ['drop table legacy_orders;'] }]), level: 'comprehensive' },
    {
      name: 'auth + payment with a large change',
      diff: fakeDiff([{ path: 'src/auth/login.ts', added: lines(700) }, { path: 'src/payments/checkout.ts', added: lines(700) }]),
      level: 'comprehensive',
    },
  ];
  for (const c of cases) {
    it(`${c.name} → ${c.level}`, () => {
      const risk = scoreRisk(c.diff);
      assert.equal(risk.level, c.level, `score ${risk.score}: ${risk.contributions.map((x) => `${x.points} ${x.phrase}`).join('; ')}`);
    });
  }

  it('explains the score: base + contributions = score, strongest first, each with a phrase', () => {
    const risk = scoreRisk(fakeDiff([{ path: 'db/migrations/0043_drop.sql', added: ['DROP TABLE legacy;', 'ALTER TABLE users DROP COLUMN x;'] }]));
    const sum = RISK_BASE_SCORE + risk.contributions.reduce((s, c) => s + c.points, 0);
    assert.equal(risk.score, Math.min(100, Math.round(sum)));
    assert.deepEqual(risk.contributions.map((c) => c.name), ['destructiveSql', 'sensitiveArea', 'schemaSql']);
    assert.match(risk.contributions[0]?.phrase ?? '', /DROP TABLE, DROP COLUMN in db\/migrations\/0043_drop\.sql/);
    assert.match(risk.contributions[1]?.phrase ?? '', /touches migration/);
  });

  it('counts only added lines for SQL: removing a DELETE FROM is not destructive', () => {
    const risk = scoreRisk(fakeDiff([{ path: 'src/jobs/cleanup.ts', removed: ['db.run("DELETE FROM sessions")'] }]));
    assert.equal(risk.features.destructiveSql.length, 0);
  });

  it('recognises raw SQL in code by upper-case keywords or raw-query calls, not prose', () => {
    const raw = scoreRisk(fakeDiff([{ path: 'src/repo/users.ts', added: ['q("SELECT id FROM users")', 'prisma.$queryRaw`x`', '// select the rows from the list'] }]));
    assert.deepEqual(raw.features.rawSql.map((h) => h.statement), ['SELECT … FROM', '$queryRaw(…)']);
    assert.ok(raw.contributions.some((c) => c.name === 'rawSql' && c.points === 10));
    const prose = scoreRisk(fakeDiff([{ path: 'src/a.ts', added: ['// select the rows from the list, then update x set y'] }]));
    assert.equal(prose.features.rawSql.length, 0);
  });

  it('raises the score for dependency manifests', () => {
    const plain = scoreRisk(fakeDiff([{ path: 'src/a.ts', added: ['x'] }]));
    const withManifest = scoreRisk(fakeDiff([{ path: 'src/a.ts', added: ['x'] }, { path: 'package.json', added: ['"dep": "1"'] }]));
    assert.ok(withManifest.contributions.some((c) => c.name === 'buildConfig'));
    assert.ok(withManifest.score > plain.score);
  });

  it('gives an empty diff score 0 and minimal', () => {
    const risk = scoreRisk({ files: [], unified: '' });
    assert.equal(risk.score, 0);
    assert.equal(risk.level, 'minimal');
  });
});

describe('alwaysFullFor', () => {
  const docs = fakeDiff([{ path: 'docs/billing/overview.md', added: ['prose'] }]);

  it('forces comprehensive on a path substring, even for docs', () => {
    const risk = scoreRisk(docs, { alwaysFullFor: ['Billing'] });
    assert.equal(risk.level, 'comprehensive');
    assert.deepEqual(risk.forcedBy, { entry: 'Billing', matchedIn: 'path', path: 'docs/billing/overview.md' });
  });

  it('matches globs against whole paths: ** crosses folders, * does not', () => {
    const diff = fakeDiff([{ path: 'src/core/crypto/keys.ts', added: ['x'] }]);
    assert.equal(scoreRisk(diff, { alwaysFullFor: ['src/**/keys.ts'] }).level, 'comprehensive');
    assert.equal(scoreRisk(diff, { alwaysFullFor: ['src/*/keys.ts'] }).forcedBy, undefined);
    assert.equal(scoreRisk(diff, { alwaysFullFor: ['*.ts'] }).forcedBy?.entry, '*.ts');
  });

  it('matches a word in changed lines, as a whole word only', () => {
    const diff = fakeDiff([{ path: 'src/a.ts', added: ['await refundPayment(order);', 'const prepaid = 1;'] }]);
    assert.equal(scoreRisk(diff, { alwaysFullFor: ['paid'] }).forcedBy, undefined);
    assert.deepEqual(scoreRisk(diff, { alwaysFullFor: ['refundPayment'] }).forcedBy, { entry: 'refundPayment', matchedIn: 'diff', path: 'src/a.ts' });
  });
});

describe('decideLevel', () => {
  const risky = scoreRisk(fakeDiff([{ path: 'db/migrations/1.sql', added: ['DROP TABLE t;'] }]));

  it('uses the risk level for review: auto', () => {
    assert.equal(decideLevel(risky, 'auto').level, 'comprehensive');
  });

  it('lets the ticket override the score in either direction and says so', () => {
    const lowered = decideLevel(risky, 'minimal');
    assert.equal(lowered.level, 'minimal');
    assert.ok(lowered.reasons.some((r) => r.includes('ticket sets review: minimal (risk alone gives comprehensive)')));
    const docs = scoreRisk(fakeDiff([{ path: 'README.md', added: ['x'] }]));
    assert.equal(decideLevel(docs, 'thorough').level, 'thorough');
  });

  it('does not let a ticket go below an alwaysFullFor match', () => {
    const forced = scoreRisk(fakeDiff([{ path: 'README.md', added: ['x'] }]), { alwaysFullFor: ['README'] });
    const decision = decideLevel(forced, 'minimal');
    assert.equal(decision.level, 'comprehensive');
    assert.ok(decision.reasons.some((r) => r.includes('alwaysFullFor "README" matches path README.md')));
  });

  it('starts the reasons with the score and its level', () => {
    assert.match(decideLevel(risky).reasons[0] ?? '', /^risk \d+ → comprehensive$/);
  });
});

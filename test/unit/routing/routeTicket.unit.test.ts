import assert from 'node:assert/strict';
import type { OutcomeRow } from '../../../src/core/routing/outcomesTable';
import { routableFromInputLine, routableFromTicket, routeInputLineSchema } from '../../../src/core/routing/routableTicket';
import { routeTicket, toRouteLine } from '../../../src/core/routing/routeTicket';
import { checkSpecification } from '../../../src/core/routing/specification';
import type { Ticket } from '../../../src/core/tickets/ticketSchema';
import { ticket } from './routingFixtures';

const WELL_SPECIFIED = 'Calling `parse("")` raises a TypeError. Expected: it should return an empty list.\n\n```\n>>> parse("")\nTypeError\n```';

describe('checkSpecification', () => {
  it('leaves a ticket with an example, an expectation or files at the strong ceiling', () => {
    assert.deepEqual(checkSpecification(ticket({ body: WELL_SPECIFIED })), { underspecified: false, maxTier: 'strong', missing: [] });
    assert.equal(checkSpecification(ticket({ body: 'make it faster', files: ['src/a.ts'] })).maxTier, 'strong');
    assert.equal(checkSpecification(ticket({ body: 'it should not crash' })).maxTier, 'strong');
  });

  it('flags an underspecified ticket; only a very short one is capped (at fast), a longer one keeps strong', () => {
    const vague = checkSpecification(ticket({ title: 'Improve the dashboard', body: 'make it better' }));
    assert.equal(vague.underspecified, true);
    assert.equal(vague.maxTier, 'fast');
    assert.deepEqual(vague.missing, ['an example or reproduction', 'the expected behaviour', 'the files involved']);
    const longer = checkSpecification(ticket({ body: Array.from({ length: 60 }, () => 'blah').join(' ') }));
    assert.equal(longer.underspecified, true);
    assert.equal(longer.maxTier, 'strong');
    assert.equal(longer.missing.length, 3);
  });
});

describe('routeTicket', () => {
  it('starts every class on fast by default; the score still names the class', () => {
    const hard = routeTicket(ticket({ title: 'Rework the auth session handling across services', body: `${WELL_SPECIFIED}\n${'The session tokens and payment refunds interact. '.repeat(40)}`, labels: ['security'] }));
    assert.equal(hard.complexityClass, 'complex');
    assert.equal(hard.tier, 'fast');
    assert.equal(hard.maxTier, 'strong');
  });

  it('asks for detail on a longer underspecified ticket without lowering its ceiling', () => {
    const d = routeTicket(ticket({ title: 'Improve the dashboard', body: Array.from({ length: 40 }, () => 'better').join(' ') }));
    assert.equal(d.underspecified, true);
    assert.equal(d.maxTier, 'strong');
    assert.match(d.reason, /underspecified, ask for an example or reproduction and the expected behaviour$/);
  });

  it('routes by score to the class default tier with a one-line reason', () => {
    const d = routeTicket(ticket({ title: 'Fix typo in docs', body: WELL_SPECIFIED, labels: ['docs'] }));
    assert.equal(d.complexityClass, 'mechanical');
    assert.equal(d.tier, 'fast');
    assert.equal(d.source, 'score');
    assert.equal(d.maxTier, 'strong');
    assert.ok(!d.reason.includes('\n'));
  });

  it('lets the ticket model field override the score, and a user pick override both', () => {
    const t = ticket({ title: 'Fix typo', body: WELL_SPECIFIED, model: 'strong' });
    const byTicket = routeTicket(t);
    assert.equal(byTicket.tier, 'strong');
    assert.equal(byTicket.source, 'ticket');
    assert.match(byTicket.reason, /strong set by the ticket/);
    const byUser = routeTicket(t, { userPick: 'fast' });
    assert.equal(byUser.tier, 'fast');
    assert.equal(byUser.source, 'user');
    const byId = routeTicket(t, { userPick: 'claude-custom-1' });
    assert.equal(byId.tier, null);
    assert.equal(byId.modelId, 'claude-custom-1');
    assert.equal(toRouteLine(byId).tier, 'claude-custom-1');
    // `auto` is no pick at all.
    assert.equal(routeTicket(ticket({ body: WELL_SPECIFIED, model: 'auto' }), { userPick: 'auto' }).source, 'score');
  });

  it('raises the ceiling to a tier the user picked, even on an underspecified ticket', () => {
    const d = routeTicket(ticket({ title: 'Improve things', body: 'better please' }), { userPick: 'strong' });
    assert.equal(d.tier, 'strong');
    assert.equal(d.maxTier, 'strong');
  });

  it('caps the start tier at maxTier and asks for detail on underspecified tickets', () => {
    const d = routeTicket(ticket({ title: 'Rework auth and payment flows', body: 'auth payment security things' }), {
      tierByClass: { mechanical: 'strong', standard: 'strong', complex: 'strong' },
    });
    assert.equal(d.underspecified, true);
    assert.equal(d.maxTier, 'fast');
    assert.equal(d.tier, 'fast');
    assert.match(d.reason, /underspecified, ask for an example or reproduction and the expected behaviour \(max fast\)/);
  });

  it('uses learned outcomes once they clear the threshold', () => {
    const outcomes: OutcomeRow[] = [{ class: 'mechanical', tier: 'fast', successes: 19, attempts: 20, fixLoops: 1, costUsd: 0.4 }];
    const t = ticket({ title: 'Fix typo', body: WELL_SPECIFIED, labels: ['docs'] });
    const learned = routeTicket(t, { outcomes, tierByClass: { mechanical: 'strong', standard: 'strong', complex: 'strong' }, adaptive: { random: () => 0.99 } });
    assert.equal(learned.tier, 'fast');
    assert.equal(learned.source, 'learned');
    assert.match(learned.reason, /19\/20/);
  });

  it('produces the CLI route line with exactly the contract fields', () => {
    const line = routeInputLineSchema.parse({ id: 42, title: 'Fix typo', body: WELL_SPECIFIED, difficulty: 'ignored' });
    const out = toRouteLine(routeTicket(routableFromInputLine(line)));
    assert.deepEqual(Object.keys(out).sort(), ['class', 'id', 'maxTier', 'reason', 'score', 'tier']);
    assert.equal(out.id, '42');
    assert.equal(out.class, 'mechanical');
    assert.equal(out.tier, 'fast');
  });

  it('routes a parsed ticket file, reading its description as the body', () => {
    const parsed: Ticket = {
      id: 'R03', title: 'Migrate the auth tables', labels: [], dependsOn: ['R01'], files: ['db/migrations/1.sql'],
      model: 'auto', review: 'auto', acceptance: [], status: 'open', description: 'Expected: the users table moves.',
      file: '/repo/.flotilla/tickets/R03.md', extra: {}, positions: { id: { line: 2, column: 5 }, dependsOn: [] },
    };
    const r = routableFromTicket(parsed);
    assert.equal(r.body, 'Expected: the users table moves.');
    assert.notEqual(routeTicket(r).complexityClass, 'mechanical');
  });
});

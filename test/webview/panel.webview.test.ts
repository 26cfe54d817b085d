import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { PANEL_PROTOCOL_VERSION } from '../../src/core/panel/panelProtocol';
import { emptyHistory, finishedTwelve, hostileText, midRunThree, nextMessage, XSS } from './panelFixtures';
import { launchChromium, openPanel, type PanelPage } from './panelPage';
import { theme, THEMES } from './themes';
import { formatUsd } from '../../src/core/vocabulary/amounts';

const SHOTS = process.env.FLOTILLA_WEBVIEW_SHOTS ?? mkdtempSync(join(tmpdir(), 'flotilla-webview-shots-'));

/** What the view's rows say, cell by cell (text as a person reads it). */
async function rows(panel: PanelPage): Promise<Record<string, string[]>> {
  return panel.page.evaluate(() =>
    Object.fromEntries(Array.from(document.querySelectorAll('.row.ticket')).map((row) => [row.getAttribute('data-id'), Array.from(row.querySelectorAll('[role="cell"]')).map((cell) => (cell.textContent ?? '').trim())])),
  );
}

/** The timeline's lanes: each rectangle's class, per ticket. */
async function lanes(panel: PanelPage): Promise<Record<string, string[]>> {
  return panel.page.evaluate(() =>
    Object.fromEntries(Array.from(document.querySelectorAll('svg.plot g[data-lane]')).map((g) => [g.getAttribute('data-lane'), Array.from(g.querySelectorAll('rect')).map((r) => r.getAttribute('class') ?? '')])),
  );
}

const text = (panel: PanelPage, selector: string) => panel.page.locator(selector).first().innerText();
// The panel says amounts with the one formatter every view uses (src/core/vocabulary/amounts.ts).
const usd = (v: number | null | undefined) => formatUsd(v ?? null);

describe('batch panel in Chromium (production bundle, the extension\'s CSP)', function () {
  this.timeout(60_000);
  let browser: Browser;
  const open: PanelPage[] = [];
  const panel = async (name: Parameters<typeof theme>[0] = 'dark', viewport?: { width: number; height: number }) => {
    const p = await openPanel(browser, theme(name), viewport);
    open.push(p);
    return p;
  };

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await launchChromium();
  });
  afterEach(async () => {
    for (const p of open.splice(0)) {
      assert.deepEqual(p.errors, [], 'no uncaught error in the view');
      assert.deepEqual(p.refused, [], 'the view loads nothing but its own files');
      assert.deepEqual(await p.violations(), [], 'nothing the CSP had to block');
      await p.close();
    }
  });
  after(async () => {
    await browser?.close();
    process.stdout.write(`\n  webview screenshots: ${SHOTS}\n`);
  });

  it('says ready with its protocol version before anything is sent, and shows the empty state', async () => {
    const p = await panel();
    await p.page.waitForFunction(() => (window as unknown as { __posted: unknown[] }).__posted.length > 0);
    assert.deepEqual(await p.posted(), [{ type: 'ready', protocol: PANEL_PROTOCOL_VERSION }]);
    const fixture = emptyHistory();
    await p.send(fixture.snapshot, fixture.snapshot.rev);
    assert.match(await text(p, '.current .empty'), /No batch has run in this workspace yet/);
    assert.equal(await p.page.locator('.row.ticket').count(), 0);
    await p.page.getByRole('tab', { name: 'History' }).click();
    assert.match(await text(p, '.history .empty'), /No batches yet/);
    assert.equal(await p.page.locator('td.outcome.none').count(), 9, 'every (class, tier) cell says it has no tries yet');
    await p.screenshot(join(SHOTS, 'panel-empty-history-dark.png'));
  });

  it('renders a 3-ticket batch mid-run: rows, live progress, totals and the timeline', async () => {
    const p = await panel();
    const fixture = midRunThree();
    await p.send(fixture.snapshot, fixture.snapshot.rev);
    const current = fixture.snapshot.snapshot.current;
    assert.ok(current);
    const r = await rows(p);
    assert.deepEqual(Object.keys(r), ['R1', 'R2', 'R3']);
    assert.match(r.R1?.[5] ?? '', /^awaiting review$/);
    assert.match(r.R2?.[5] ?? '', /^running\s*turn 3 of 40 · edit_file src\/wordCount\.js$/);
    assert.match(r.R3?.[5] ?? '', /^waiting\s*after R2$/, 'R3 says what it waits for');
    assert.equal(r.R2?.[7], usd(current.rows[1]?.costUsd));
    assert.match(r.R2?.[2] ?? '', /^standard · balanced/);
    assert.match(r.R1?.[8] ?? '', /✓ build\s*✓ test/);
    assert.equal(await text(p, '[data-figure="spent"] .value'), usd(current.header.spentUsd));
    assert.match(await text(p, '[data-figure="budget"]'), /\$17\.58[\s\S]*of \$25\.00/);
    assert.match(await text(p, '[data-counts]'), /^3 tickets: 1 of 3 done · 1 awaiting review · 2 queued or running$/);
    assert.match(await text(p, '.badge.live'), /live/);
    assert.match(await text(p, '.title-line'), /simulated/);
    const l = await lanes(p);
    assert.deepEqual(l.R1, ['seg seg-queued', 'seg seg-working tier-fast', 'seg seg-gates', 'seg seg-review']);
    assert.deepEqual(l.R2, ['seg seg-queued', 'seg seg-working tier-balanced']);
    assert.deepEqual(l.R3, ['seg seg-waiting'], 'R3 waits for R2');
    await p.page.getByRole('button', { name: 'Cancel R2' }).click();
    const posted = await p.posted();
    assert.deepEqual(posted.at(-1), { type: 'ticketAction', action: 'cancel', batchId: current.header.batchId, ticketId: 'R2' });
    await p.screenshot(join(SHOTS, 'panel-mid-run-dark.png'));
  });

  it('applies updates in place: only the changed rows are rebuilt; a gap in revisions asks for a resync', async () => {
    const p = await panel();
    const fixture = midRunThree();
    await p.send(fixture.snapshot, fixture.snapshot.rev);
    await p.page.evaluate(() => {
      (document.querySelector('.row.ticket[data-id="R1"]') as unknown as { __mark: boolean }).__mark = true;
    });
    fixture.clock.advance(900);
    fixture.batch.state('R2', { state: 'reviewing' });
    const update = nextMessage(fixture.model);
    assert.equal(update.type, 'update');
    await p.send(update, update.rev);
    assert.match((await rows(p)).R2?.[5] ?? '', /^gates and review/);
    assert.equal(await p.page.evaluate(() => (document.querySelector('.row.ticket[data-id="R1"]') as unknown as { __mark?: boolean }).__mark), true, 'R1 was not rebuilt');
    assert.deepEqual((await lanes(p)).R2, ['seg seg-queued', 'seg seg-working tier-balanced', 'seg seg-gates']);

    fixture.batch.state('R2', { state: 'done' });
    nextMessage(fixture.model); // lost on the way
    fixture.batch.state('R3', { state: 'running' });
    const after = nextMessage(fixture.model);
    await p.send(after);
    await p.page.waitForFunction(() => (window as unknown as { __posted: { type?: string }[] }).__posted.some((m) => m.type === 'resync'));
    assert.match((await rows(p)).R2?.[5] ?? '', /^gates and review/, 'an update that does not follow the last one is not applied');
    const full = fixture.model.takeMessage(true);
    assert.ok(full);
    await p.send(full, full.rev);
    assert.match((await rows(p)).R3?.[5] ?? '', /^running/);
  });

  it('renders a finished 12-ticket batch with an escalation and a failed gate; totals to the cent', async () => {
    const p = await panel('dark', { width: 1400, height: 1000 });
    const fixture = finishedTwelve();
    await p.send(fixture.snapshot, fixture.snapshot.rev);
    const summary = fixture.summary;
    assert.ok(summary);
    const r = await rows(p);
    assert.equal(Object.keys(r).length, 12);
    assert.equal(r.T03?.[4], 'fast → balanced1 fix loop', 'the tier path shows the escalation and the fix loop');
    assert.equal(r.T03?.[3], 'Built-in', 'the engine that ran it');
    assert.match(r.T07?.[5] ?? '', /^failed\s*test gate failed/, 'a failed ticket says why beside its state');
    assert.match(r.T07?.[8] ?? '', /✗ test/);
    assert.match(r.T01?.[5] ?? '', /^accepted$/);
    assert.match(r.T05?.[5] ?? '', /^rejected$/);
    assert.match(r.T04?.[5] ?? '', /^awaiting review$/);
    assert.equal(r.T01?.[9], 'standard · PASS');
    for (const record of summary.tickets) assert.equal(r[record.id]?.[7], usd(record.costUsd), `${record.id}'s cost`);
    assert.equal(await text(p, '[data-figure="spent"] .value'), usd(summary.totals.costUsd), 'the total is the summary\'s');
    assert.equal(await text(p, '[data-figure="single-agent"] .value'), usd(summary.analysis.singleAgentEstimateUsd));
    assert.match(await text(p, '.batch-header .badge'), /failed/);
    assert.match(await text(p, '[data-counts]'), /^12 tickets: 11 of 12 done · 8 awaiting review · 2 accepted · 1 rejected · 1 failed$/);
    const routing = fixture.snapshot.snapshot.current?.savings.find((s) => s.kind === 'routing');
    assert.match(await text(p, '[data-savings="routing"]'), new RegExp(`\\(${routing?.savedPct?.toFixed(1)}%\\)`));
    assert.equal(await p.page.locator('[data-savings] .basis').count(), 3);
    const l = await lanes(p);
    assert.equal(Object.keys(l).length, 12);
    assert.ok(l.T03?.includes('seg seg-working tier-fast') && l.T03.includes('seg seg-working tier-balanced'), l.T03?.join(', '));
    assert.equal(l.T10?.[0], 'seg seg-waiting', 'T10 waited for T09');
    const plot = await p.page.evaluate(() => ({
      viewBox: document.querySelector('svg.plot')?.getAttribute('viewBox'),
      maxEnd: Math.max(...Array.from(document.querySelectorAll('svg.plot rect')).map((r) => Number(r.getAttribute('x')) + Number(r.getAttribute('width')))),
    }));
    const nowMs = fixture.snapshot.snapshot.current?.timeline.nowMs ?? 0;
    assert.match(plot.viewBox ?? '', new RegExp(`^0 0 ${nowMs} `), 'the time axis spans the batch');
    assert.ok(plot.maxEnd <= nowMs && plot.maxEnd > nowMs - 1000, `the last lane ends as the batch ends (${plot.maxEnd} of ${nowMs})`);
    await p.page.getByRole('button', { name: 'test gate fail: show its output' }).first().click();
    assert.deepEqual((await p.posted()).at(-1), { type: 'showGateOutput', batchId: summary.batchId, ticketId: 'T07', gate: 'test' });
    await p.page.getByRole('button', { name: 'Accept T04' }).click();
    assert.deepEqual((await p.posted()).at(-1), { type: 'ticketAction', action: 'accept', batchId: summary.batchId, ticketId: 'T04' });
    await p.page.getByRole('button', { name: 'Open Report' }).click();
    assert.deepEqual((await p.posted()).at(-1), { type: 'showReport', batchId: summary.batchId });
  });

  it('renders ticket titles, model summaries, tool calls, file paths and model ids as text; nothing runs', async () => {
    const p = await panel();
    const fixture = hostileText();
    await p.send(fixture.snapshot, fixture.snapshot.rev);
    await p.page.getByRole('button', { name: 'Show details of X1' }).click();
    const found = await p.page.evaluate((needle) => {
      const body = document.body.innerText;
      let count = 0;
      for (let at = body.indexOf(needle); at >= 0; at = body.indexOf(needle, at + 1)) count++;
      return { images: document.querySelectorAll('img').length, count };
    }, XSS);
    assert.equal(found.images, 0, 'no <img> element was made from the text');
    assert.ok(found.count >= 5, `the markup shows as text (${found.count} times: title, summary, tool, gate, file)`);
    await p.page.getByRole('tab', { name: 'History' }).click();
    assert.match(await text(p, '.history .mix'), new RegExp(XSS.replace(/[()]/g, '\\$&')));
    assert.equal(await p.page.evaluate(() => document.querySelectorAll('img').length), 0);
    await p.page.waitForTimeout(200);
    assert.deepEqual(p.dialogs, [], 'no alert ran');
  });

  it('rejects a malformed message from the host and keeps working', async () => {
    const p = await panel();
    const fixture = midRunThree();
    await p.send(fixture.snapshot, fixture.snapshot.rev);
    const before = await rows(p);
    await p.send({ type: 'update', protocol: PANEL_PROTOCOL_VERSION, baseRev: fixture.snapshot.rev, rev: fixture.snapshot.rev + 1, rows: [{ id: 'R1', title: 42 }], lanes: [] });
    await p.send('not a message');
    await p.send({ type: 'snapshot', protocol: PANEL_PROTOCOL_VERSION + 1, rev: 99, snapshot: {} });
    await p.page.waitForFunction(() => (window as unknown as { __posted: { type?: string }[] }).__posted.some((m) => m.type === 'resync'));
    assert.match(await text(p, '.notice'), /Ignored a malformed message from Flotilla/);
    assert.deepEqual(await rows(p), before, 'what was shown stays');
    const resync = (await p.posted()).find((m) => (m as { type?: string }).type === 'resync') as { reason: string };
    assert.match(resync.reason, /rows\.0\.title/);
    fixture.batch.state('R3', { state: 'running' });
    const update = nextMessage(fixture.model);
    await p.send(update, update.rev);
    assert.match((await rows(p)).R3?.[5] ?? '', /^running/, 'the next valid update still applies');
    assert.equal(await p.page.locator('.notice').isVisible(), false, 'the notice clears');
  });

  it('is usable from the keyboard: tabs with arrow keys, rows with up/down, visible focus', async () => {
    const p = await panel('high-contrast');
    const fixture = finishedTwelve();
    await p.send(fixture.snapshot, fixture.snapshot.rev);
    await p.page.getByRole('tab', { name: 'Current batch' }).focus();
    await p.page.keyboard.press('ArrowRight');
    assert.equal(await p.page.getByRole('tab', { name: 'History' }).getAttribute('aria-selected'), 'true');
    assert.equal(await p.page.evaluate(() => document.activeElement?.textContent), 'History');
    assert.equal(await p.page.locator('#panel-current').isVisible(), false);
    await p.page.keyboard.press('Home');
    assert.equal(await p.page.locator('#panel-current').isVisible(), true);
    await p.page.getByRole('button', { name: 'Open ticket T01' }).focus();
    await p.page.keyboard.press('ArrowDown');
    await p.page.keyboard.press('ArrowDown');
    assert.equal(await p.page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Open ticket T03');
    await p.page.keyboard.press('Tab');
    const outline = await p.page.evaluate(() => {
      const s = getComputedStyle(document.activeElement as Element);
      return { style: s.outlineStyle, width: s.outlineWidth, color: s.outlineColor };
    });
    assert.notEqual(outline.style, 'none', 'the focused control has an outline');
    assert.equal(outline.color, 'rgb(243, 133, 24)', 'in the theme\'s focus colour');
    await p.page.keyboard.press('Enter');
    assert.deepEqual((await p.posted()).at(-1), { type: 'showGateOutput', batchId: fixture.summary?.batchId, ticketId: 'T03', gate: 'build' }, 'the next stop is the first gate; its output is one key away');
  });

  it('keeps its tab and open rows in VS Code\'s webview state, and comes back with them (hidden and shown, or after a reload)', async () => {
    const first = await panel();
    const fixture = finishedTwelve();
    await first.send(fixture.snapshot, fixture.snapshot.rev);
    await first.page.getByRole('button', { name: 'Show details of T03' }).click();
    await first.page.getByRole('tab', { name: 'History' }).click();
    const saved = await first.page.evaluate(() => (window as unknown as { __state: unknown }).__state);
    assert.deepEqual(saved, { expanded: ['T03'], tab: 'history' });

    // A new page for the same panel: the view VS Code makes again, with the state it kept.
    const again = await openPanel(browser, theme('dark'), undefined, saved);
    open.push(again);
    await again.send(fixture.snapshot, fixture.snapshot.rev);
    assert.equal(await again.page.getByRole('tab', { name: 'History' }).getAttribute('aria-selected'), 'true');
    assert.equal(await again.page.locator('#panel-current').isVisible(), false);
    await again.page.getByRole('tab', { name: 'Current batch' }).click();
    assert.equal(await again.page.locator('#details-T03').isVisible(), true, 'T03 is still open');
    assert.equal(await again.page.getByRole('button', { name: 'Hide details of T03' }).getAttribute('aria-expanded'), 'true');
  });

  it('lays rows out as cards in a narrow editor group, every action still on screen', async () => {
    const p = await panel('dark', { width: 720, height: 1000 });
    const fixture = finishedTwelve();
    await p.send(fixture.snapshot, fixture.snapshot.rev);
    const offscreen = await p.page.evaluate(() =>
      Array.from(document.querySelectorAll('.row.ticket button')).filter((b) => b.getBoundingClientRect().right > window.innerWidth).length,
    );
    assert.equal(offscreen, 0, 'no button is cut off at the right');
    assert.equal(await p.page.locator('.tickets .thead').isVisible(), false);
    await p.screenshot(join(SHOTS, 'panel-current-narrow-dark.png'));
  });

  for (const t of THEMES) {
    it(`is readable in the ${t.name} theme (screenshots)`, async () => {
      const p = await panel(t.name, { width: 1400, height: 1000 });
      const fixture = finishedTwelve();
      await p.send(fixture.snapshot, fixture.snapshot.rev);
      await p.page.getByRole('button', { name: 'Show details of T03' }).click();
      const colours = await p.page.evaluate(() => {
        const body = getComputedStyle(document.body);
        return { fg: body.color, bg: body.backgroundColor };
      });
      assert.notEqual(colours.fg, colours.bg);
      await p.screenshot(join(SHOTS, `panel-current-${t.name}.png`));
      await p.page.getByRole('tab', { name: 'History' }).click();
      await p.screenshot(join(SHOTS, `panel-history-${t.name}.png`));
    });
  }
});

import type { BatchSummary } from '../../src/core/batch/batchTypes';
import { buildPanelHistory } from '../../src/core/panel/panelHistory';
import { PanelModel, panelSettings } from '../../src/core/panel/panelModel';
import type { HostMessage, SnapshotMessage } from '../../src/core/panel/panelProtocol';
import type { HistoryBatch, PanelHistory } from '../../src/core/panel/panelSnapshot';
import { defaultSettings } from '../../src/core/settings/settingsSchema';
import { ScriptedBatch, VirtualClock } from '../unit/panel/scriptedBatch';

/*
 * The panel states the webview tests render, produced by the real PanelModel from scripted batch
 * events (so the view is tested against what the host really sends).
 */

export const XSS = '<img src=x onerror=alert(1)>';

export interface Fixture {
  readonly model: PanelModel;
  readonly clock: VirtualClock;
  readonly batch: ScriptedBatch;
  /** The snapshot the view gets on ready. */
  readonly snapshot: SnapshotMessage;
  readonly summary?: BatchSummary;
}

function newModel(monthlyUsd = 25): { model: PanelModel; clock: VirtualClock } {
  const clock = new VirtualClock();
  const settings = { ...defaultSettings(), 'budget.monthlyUsd': monthlyUsd };
  const model = new PanelModel({ clock: clock.now, settings: () => panelSettings(settings) });
  model.setMonthSpend(7.42);
  return { model, clock };
}

function snapshotOf(model: PanelModel): SnapshotMessage {
  const message = model.takeMessage(true);
  if (message?.type !== 'snapshot') throw new Error('expected a snapshot');
  return message;
}

/** Three tickets mid-run: R1 done, R2 working (turn 3, a tool), R3 waiting for R2. */
export function midRunThree(): Fixture {
  const { model, clock } = newModel();
  model.setDependencies(new Map([['R3', ['R2']]]));
  const batch = new ScriptedBatch(model, clock, '20261102-0900-demo', [
    { id: 'R1', title: 'Fix the spelling of "Installation" in the README' },
    { id: 'R2', title: 'Count words separated by tabs and newlines, not just spaces', tier: 'balanced', complexityClass: 'standard', score: 45 },
    { id: 'R3', title: 'Document the word-count options in the CLI help' },
  ]);
  batch.start();
  clock.advance(1500);
  batch.runToDone('R1', 1800, 3);
  model.setGates(batch.batchId, 'R1', [{ name: 'build', status: 'pass' }, { name: 'test', status: 'pass' }]);
  batch.state('R2', { state: 'running', detail: 'working on claude-sonnet-5-5' });
  for (let turn = 1; turn <= 3; turn++) {
    clock.advance(2500);
    batch.worker('R2', { kind: 'turn', turn, model: 'claude-sonnet-5-5' });
    batch.call('R2', 'work', 'balanced', { input: 1500, output: 420, cacheRead: turn > 1 ? 6000 : 0, cacheWrite: turn === 1 ? 6000 : 0 });
  }
  batch.worker('R2', { kind: 'tool', turn: 3, name: 'edit_file', summary: 'src/wordCount.js' });
  clock.advance(1200);
  return { model, clock, batch, snapshot: snapshotOf(model) };
}

const TITLES = [
  'Rename getUserName to getDisplayName across the profile module',
  'Add a --json flag to the export command',
  'Retry uploads on HTTP 503 with exponential backoff',
  'Remove the deprecated v1 settings migration',
  'Validate e-mail addresses in the sign-up form',
  'Paginate the audit log endpoint',
  'Cache parsed templates between renders',
  'Move date formatting into one helper',
  'Fix the off-by-one in the CSV exporter header row',
  'Add tests for the rate limiter',
  'Replace the hand-written YAML reader with the yaml package',
  'Log slow database queries above 500 ms',
];

/** Twelve tickets, finished: T03 escalated fast → balanced after a failed test gate; T07 failed its test gate for good. */
export function finishedTwelve(): Fixture {
  const { model, clock } = newModel();
  const specs = TITLES.map((title, i) => ({ id: `T${String(i + 1).padStart(2, '0')}`, title, ...(i % 4 === 1 ? { tier: 'balanced' as const, complexityClass: 'standard', score: 48 } : {}) }));
  const batch = new ScriptedBatch(model, clock, '20261102-1015-a1b2', specs, 'orchestrated');
  model.setDependencies(new Map([['T10', ['T09']]]));
  batch.start();
  batch.planning('started');
  clock.advance(4000);
  batch.call(null, 'plan', 'balanced', { input: 11000, output: 2200 });
  batch.planning('done', 'twelve tickets, no shared files; T09 before T10');
  const fates = new Map<string, Fate>([['T03', 'escalate'], ['T07', 'fail']]);
  runPool(batch, clock, specs.map((s) => s.id).filter((id) => id !== 'T10'), fates, 3);
  runPool(batch, clock, ['T10'], fates, 1);
  const passGates = [{ name: 'build', status: 'pass' }, { name: 'lint', status: 'pass' }, { name: 'test', status: 'pass' }];
  for (const s of specs) model.setGates(batch.batchId, s.id, s.id === 'T07' ? [passGates[0] as Gate, passGates[1] as Gate, { name: 'test', status: 'fail' }] : passGates);
  batch.cost();
  clock.advance(300);
  const summary = batch.finish('failed');
  model.setDecisions(batch.batchId, { T01: 'accepted', T02: 'accepted', T05: 'rejected' });
  model.setHistory(pastHistory(summary));
  return { model, clock, batch, snapshot: snapshotOf(model), summary };
}

type Fate = 'pass' | 'escalate' | 'fail';
type Gate = { name: string; status: string };

/** What one ticket does, one step at a time, so several can run interleaved like the scheduler runs them. */
function steps(batch: ScriptedBatch, id: string, fate: Fate): (() => void)[] {
  const record = batch.record(id);
  const tier = () => batch.record(id).tier ?? 'fast';
  const work = (turn: number) => () => {
    batch.worker(id, { kind: 'turn', turn, model: batch.record(id).model });
    batch.call(id, 'work', tier(), { input: 1200 + turn * 150, output: 320, cacheRead: turn > 1 ? 5200 : 0, cacheWrite: turn === 1 ? 5200 : 0 });
  };
  const running = () => batch.state(id, { state: 'running', detail: `working on ${batch.record(id).model}` });
  const reviewing = () => {
    record.stages.push({ stage: 'work', model: record.model, tier: record.tier, tokens: 0, costUsd: 0, result: 'done', engine: batch.engine.name });
    batch.state(id, { state: 'reviewing', detail: 'running gates and review', branch: `flotilla/${batch.batchId}/${id}`, diffStats: [{ path: `src/${id.toLowerCase()}/index.ts`, added: 12, deleted: 3 }] });
  };
  const review = () => batch.call(id, 'review', 'fast', { input: 3200, output: 240 }, 200);
  const pass = () => {
    batch.state(id, { review: { level: 'standard', result: 'PASS', findings: 0 } });
    batch.state(id, { state: 'done', detail: `Changed src/${id.toLowerCase()}/index.ts (+12 −3); build, lint and tests pass.` });
  };
  const fail = () => batch.state(id, { review: { level: 'standard', result: 'FAIL', findings: 1 }, detail: 'test gate failed' });
  if (fate === 'fail') {
    return [running, work(1), work(2), reviewing, fail, () => batch.state(id, { state: 'failed', detail: 'test gate failed: 2 of 48 tests fail in templates.test.ts after 1 fix loop; balanced is its ceiling' })];
  }
  if (fate === 'escalate') {
    return [
      running, work(1), work(2), reviewing, fail,
      () => batch.state(id, { state: 'running', fixLoops: 1, detail: 'fixing on claude-haiku-5-5' }), work(3), reviewing, fail,
      () => batch.escalate(id, 'balanced', 'test gate failed after 1 fix loop on fast; moving up to balanced'),
      running, work(1), work(2), work(3), reviewing, review, pass,
    ];
  }
  return [running, work(1), work(2), work(3), reviewing, review, pass];
}

/** Runs tickets `concurrency` at a time, one step of each in turn, the clock moving between steps. */
function runPool(batch: ScriptedBatch, clock: VirtualClock, ids: readonly string[], fates: ReadonlyMap<string, Fate>, concurrency: number): void {
  const pending = [...ids];
  const active: { id: string; steps: (() => void)[] }[] = [];
  const fill = () => {
    while (active.length < concurrency && pending.length > 0) {
      const id = pending.shift() as string;
      active.push({ id, steps: steps(batch, id, fates.get(id) ?? 'pass') });
    }
  };
  fill();
  let n = 0;
  while (active.length > 0) {
    for (const ticket of [...active]) {
      clock.advance(280 + ((n++ * 137) % 420));
      ticket.steps.shift()?.();
      if (ticket.steps.length === 0) active.splice(active.indexOf(ticket), 1);
    }
    fill();
  }
}

/** Two earlier batches beside this one, and a router table with measured and trusted cells. */
function pastHistory(summary: BatchSummary): PanelHistory {
  const base = buildPanelHistory({
    batches: [],
    outcomes: [
      { class: 'mechanical', tier: 'fast', successes: 17, attempts: 19, fixLoops: 3, costUsd: 0.21 },
      { class: 'mechanical', tier: 'balanced', successes: 4, attempts: 4, fixLoops: 0, costUsd: 0.38 },
      { class: 'standard', tier: 'fast', successes: 5, attempts: 9, fixLoops: 6, costUsd: 0.14 },
      { class: 'standard', tier: 'balanced', successes: 11, attempts: 12, fixLoops: 2, costUsd: 1.3 },
      { class: 'complex', tier: 'strong', successes: 2, attempts: 3, fixLoops: 2, costUsd: 2.1 },
    ],
    threshold: 0.7,
    minSamples: 5,
    problems: [],
  });
  const tierOf = (model: string) => (model.includes('haiku') ? 'fast' : model.includes('sonnet') ? 'balanced' : 'strong');
  const mix = (parts: readonly [string, number][]): HistoryBatch['modelMix'] => {
    const total = parts.reduce((s, p) => s + p[1], 0);
    return parts.map(([model, costUsd]) => ({ model, tier: tierOf(model), costUsd, share: costUsd / total }));
  };
  const cost = summary.totals.costUsd ?? 0;
  const batches: HistoryBatch[] = [
    { id: summary.batchId, createdAt: summary.startedAt, status: 'failed', mode: 'orchestrated', tickets: 12, done: 11, accepted: 2, costUsd: cost, costPerAcceptedUsd: cost / 2, cacheReadShare: summary.totals.cacheReadShare, modelMix: mix([['claude-haiku-5-5', cost * 0.35], ['claude-sonnet-5-5', cost * 0.65]]) },
    { id: '20261030-1410-9f3c', createdAt: '2026-10-30T14:10:00.000Z', status: 'done', mode: 'direct', tickets: 2, done: 2, accepted: 2, costUsd: 0.0412, costPerAcceptedUsd: 0.0206, cacheReadShare: 0.31, modelMix: mix([['claude-haiku-5-5', 0.0412]]) },
    { id: '20261028-0930-77aa', createdAt: '2026-10-28T09:30:00.000Z', status: 'interrupted', mode: 'orchestrated', tickets: 6, done: 3, accepted: 1, costUsd: 0.93, costPerAcceptedUsd: 0.93, cacheReadShare: null, modelMix: mix([['claude-sonnet-5-5', 0.6], ['claude-opus-5-5', 0.33]]) },
  ];
  return { ...base, batches };
}

/** No batch has run: the first time a person opens the panel. */
export function emptyHistory(): Fixture {
  const { model, clock } = newModel(0);
  const batch = new ScriptedBatch({ onBatchEvent: () => undefined, onUsage: () => undefined }, clock, 'unused', []);
  return { model, clock, batch, snapshot: snapshotOf(model) };
}

/** A ticket whose title, the worker's summary, the tool it runs, its file and a model id are markup. */
export function hostileText(): Fixture {
  const { model, clock } = newModel();
  const batch = new ScriptedBatch(model, clock, 'b-xss', [{ id: 'X1', title: XSS }, { id: 'X2', title: `${XSS} second` }]);
  batch.start();
  batch.runToDone('X1', 500, 1);
  batch.state('X1', { detail: XSS, diffStats: [{ path: XSS, added: 1, deleted: 0 }] });
  batch.state('X2', { state: 'running' });
  batch.worker('X2', { kind: 'tool', turn: 1, name: 'read_file', summary: XSS });
  model.setGates(batch.batchId, 'X1', [{ name: XSS, status: 'fail' }]);
  const history = buildPanelHistory({ batches: [], outcomes: [], threshold: 0.7, minSamples: 5, problems: [`ledger/${XSS}.jsonl:1: ${XSS}`] });
  model.setHistory({ ...history, batches: [{ id: 'b-xss', createdAt: '2026-11-02T09:00:00.000Z', status: 'done', mode: 'direct', tickets: 2, done: 1, accepted: 0, costUsd: 0.01, costPerAcceptedUsd: null, cacheReadShare: 0.5, modelMix: [{ model: XSS, tier: XSS, costUsd: 0.01, share: 1 }] }] });
  return { model, clock, batch, snapshot: snapshotOf(model) };
}

/** The next message the model hands out (an update, when something changed). */
export function nextMessage(model: PanelModel): HostMessage {
  const message = model.takeMessage();
  if (!message) throw new Error('nothing changed');
  return message;
}

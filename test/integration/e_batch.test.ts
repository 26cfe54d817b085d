import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { BatchSummary } from '../../src/core/batch/batchTypes';
import type { UsageRecord } from '../../src/core/llm/usageRecord';
import type { FlotillaApi } from '../../src/vscode/api';
import type { Notice } from '../../src/vscode/notices';
import { TicketLifecycles } from '../../src/vscode/ticketLifecycles';
import { git, tick, ticketNode, useDemoWorkspace } from './demoWorkspace';
import { activateFlotilla, eventually, screenshot, workspaceRoot } from './flotillaApi';

async function treeItem(api: FlotillaApi, id: string): Promise<vscode.TreeItem> {
  return api.ticketsView.getTreeItem(await ticketNode(api, id));
}

/** The run text of a ticket row in a batch: its description ("fast · done · $0.004"); the label keeps the title. */
function runText(item: vscode.TreeItem): string {
  return String(item.description ?? '');
}

describe('batches from VS Code (simulated provider)', () => {
  let api: FlotillaApi;
  let root: string;
  let undoDemo: () => Promise<void> = async () => undefined;
  const usage: UsageRecord[] = [];
  const started: string[] = [];
  const subscriptions: vscode.Disposable[] = [];
  /** The batch whose D3 failed its gate once and then passed: the review test opens it. */
  let d3Batch: string | undefined;

  before(async function () {
    this.timeout(60_000);
    api = await activateFlotilla();
    root = workspaceRoot().fsPath;
    undoDemo = await useDemoWorkspace(api);
    subscriptions.push(api.batches.onDidRecordUsage((r) => usage.push(r)));
    subscriptions.push(vscode.tasks.onDidStartTask((e) => started.push(e.execution.task.name)));
  });

  after(async () => {
    for (const s of subscriptions) s.dispose();
    await undoDemo();
  });

  it('Run Batch runs the ticked tickets as tasks and shows each ticket\'s state and cost in the tree', async function () {
    this.timeout(180_000);
    await tick(api, 'D1', 'R01');
    const summary = await vscode.commands.executeCommand<BatchSummary | undefined>('flotilla.runBatch', { confirm: false });
    assert.ok(summary, 'the command returned the batch summary');
    assert.equal(summary.simulated, true, 'the run is labelled simulated');
    const byId = new Map(summary.tickets.map((t) => [t.id, t]));
    assert.equal(byId.get('D1')?.state, 'done', byId.get('D1')?.detail);
    // R01 has no demo script: the simulated model changes nothing, and the ticket fails honestly.
    assert.equal(byId.get('R01')?.state, 'failed');
    assert.equal(summary.state, 'failed');

    // The tree shows each ticket's lifecycle from the stored batch state (issue 12 item 2).
    const d1 = await eventually(async () => {
      const item = await treeItem(api, 'D1');
      return /awaiting review/.test(runText(item)) ? item : undefined;
    }, 'D1 to show as awaiting review');
    assert.match(runText(d1), /^(fast|balanced|strong) · awaiting review · \$\d+\.\d{2,}$/);
    assert.equal(d1.label, 'D1  Fix the spelling of "Installation" in the README', 'the title stays in the label');
    assert.equal((d1.iconPath as vscode.ThemeIcon).id, 'eye');
    assert.equal(d1.contextValue, 'ticketAwaitingReview', 'Review, Accept & Merge, Reject and Retry are offered');
    const r01 = await treeItem(api, 'R01');
    assert.match(runText(r01), /^(fast|balanced|strong) · failed · \$\d+\.\d{2,}$/);
    assert.equal((r01.iconPath as vscode.ThemeIcon).id, 'error');
    assert.equal(r01.contextValue, 'ticketFinished', 'Retry is offered on failed tickets');
    assert.match(String((r01.tooltip as vscode.MarkdownString).value), /failed/, 'the reason is in the tooltip');
    assert.equal(api.batches.runOf('R01')?.state, 'failed');

    assert.ok(started.some((name) => /^D1 · (fast|balanced|strong) · run 1$/.test(name)), `tasks started: ${started.join(', ')}`);
    assert.ok(started.some((name) => name.startsWith('R01 · ')));
    const mine = usage.filter((r) => r.batchId === summary.batchId);
    assert.ok(mine.some((r) => r.ticketId === 'D1' && r.stage === 'work'), 'usage records were fired for D1\'s work');
    assert.ok(mine.every((r) => r.costUsd !== null && r.costUsd >= 0));
    // Simulated spend is labelled and kept out of the month's spend and forecast (issue 12 item 7).
    assert.ok(mine.every((r) => r.simulated === true), 'every record of a simulated batch says so');
    const tooltip = await eventually(() => (/Simulated model \(not billed/.test(api.budget.statusBar.tooltip) ? api.budget.statusBar.tooltip : undefined), 'the status bar tooltip to show simulated spend apart');
    assert.doesNotMatch(tooltip, /\| claude-haiku-5-5 \|/, 'simulated calls are not in the month\'s spend by model');
    const d1Cost = mine.filter((r) => r.ticketId === 'D1').reduce((sum, r) => sum + (r.costUsd ?? 0), 0);
    assert.equal(api.batches.runOf('D1')?.costUsd?.toFixed(6), d1Cost.toFixed(6), 'the tree\'s $ is the sum of the ticket\'s usage records');

    const branch = `flotilla/${summary.batchId}/D1`;
    assert.match(git(root, 'diff', `main..${branch}`, '--', 'README.md'), /\+## Installation/);
    assert.equal(git(root, 'status', '--porcelain'), '', 'the user\'s tree is untouched');
    assert.equal(api.batches.activeBatchId, undefined, 'no batch is running any more');
    await vscode.commands.executeCommand('flotilla.tickets.focus');
    await screenshot('batch-finished');
  });

  it('Set Model picks a tier for a ticket; Cancel stops it while it runs; Retry runs it again', async function () {
    this.timeout(180_000);
    assert.equal(await vscode.commands.executeCommand('flotilla.setModel', 'D3', 'balanced'), 'balanced');
    assert.match(String((await treeItem(api, 'D3')).description), /^pick: balanced/);

    await api.batches.setSimulatedLatency(30_000);
    await tick(api, 'D3');
    const running = vscode.commands.executeCommand<BatchSummary | undefined>('flotilla.runBatch', { confirm: false });
    await eventually(() => api.batches.runOf('D3')?.state === 'running', 'D3 to be running', 30_000);
    assert.equal(api.batches.runOf('D3')?.tier, 'balanced', 'the pick is passed to the batch');
    const item = await treeItem(api, 'D3');
    assert.match(runText(item), /^balanced · running · \$/);
    assert.equal(item.contextValue, 'ticketRunning', 'Cancel is offered on running tickets');
    await eventually(() => vscode.tasks.taskExecutions.find((e) => e.task.name === 'D3 · balanced · run 1'), 'the task "D3 · balanced · run 1"');
    await vscode.commands.executeCommand('flotilla.tickets.focus');
    await screenshot('batch-running');

    const cancelledAt = Date.now();
    assert.equal(await vscode.commands.executeCommand('flotilla.cancelTicket', 'D3'), true);
    const summary = await running;
    assert.ok(Date.now() - cancelledAt < 15_000, 'cancelled promptly, not after the 30 s response');
    assert.ok(summary);
    assert.equal(summary.tickets.find((t) => t.id === 'D3')?.state, 'cancelled');
    await eventually(async () => /^balanced · cancelled · /.test(runText(await treeItem(api, 'D3'))) || undefined, 'D3 to show as cancelled');
    assert.equal(((await treeItem(api, 'D3')).iconPath as vscode.ThemeIcon).id, 'debug-stop');

    await api.batches.setSimulatedLatency(0);
    const retried = await vscode.commands.executeCommand<BatchSummary | undefined>('flotilla.retryTicket', 'D3', { confirm: false });
    assert.equal(retried?.tickets.find((t) => t.id === 'D3')?.state, 'done', retried?.tickets[0]?.detail);
    await eventually(async () => /^balanced · awaiting review · \$/.test(runText(await treeItem(api, 'D3'))) || undefined, 'D3 to await review');
    assert.ok(existsSync(join(root, '.git')));
  });

  it('a failed test gate reaches the run\'s terminal (red, with the test output) and Show Gate Output; each run is its own named task', async function () {
    this.timeout(180_000);
    await vscode.commands.executeCommand('flotilla.setModel', 'D3', 'auto');
    await tick(api, 'D3');
    const from = started.length;
    const summary = await vscode.commands.executeCommand<BatchSummary | undefined>('flotilla.runBatch', { confirm: false });
    const d3 = summary?.tickets.find((t) => t.id === 'D3');
    assert.equal(d3?.state, 'done', d3?.detail);
    // The fast tier's change fails the empty-text test, its fix loop too; the balanced tier gets it right.
    assert.deepEqual(started.slice(from), ['D3 · fast · run 1', 'D3 · fast · run 2', 'D3 · balanced · run 3']);
    const runs = api.workerTasks.runOutputs('D3').slice(-3);
    assert.deepEqual(runs.map((r) => r.name), ['D3 · fast · run 1', 'D3 · fast · run 2', 'D3 · balanced · run 3']);
    const first = runs[0]?.text ?? '';
    assert.doesNotMatch(first, /✓ done/, 'a run whose gate failed never reads as done');
    assert.match(first, /▸ worker finished in \d+ turns/);
    assert.match(first, /✗ test failed \(exit 1\) · [\d.]+ s · node --test/);
    assert.match(first, /│ .*fail 1/, 'with the end of the test output');
    assert.match(first, /✗ not accepted: test gate failed\n {2}next: fix loop 1 of 1 on fast$/);
    assert.match(runs[1]?.text ?? '', /next: moving up from fast to balanced$/);
    assert.match(runs[2]?.text ?? '', /✓ test passed[\s\S]*✓ passed: /);
    const terminal = vscode.window.terminals.find((t) => t.name.includes('D3 · fast · run 1'));
    assert.ok(terminal, `a terminal for run 1; terminals: ${vscode.window.terminals.map((t) => t.name).join(', ')}`);
    terminal.show();
    await vscode.commands.executeCommand('workbench.action.toggleMaximizedPanel');
    await screenshot('gate-failure-terminal');
    await vscode.commands.executeCommand('workbench.action.toggleMaximizedPanel');

    d3Batch = summary?.batchId;
    const uri = await vscode.commands.executeCommand<string>('flotilla.showGateOutput', { batchId: summary?.batchId, ticketId: 'D3' });
    const gates = (await vscode.workspace.openTextDocument(vscode.Uri.parse(uri ?? ''))).getText();
    assert.match(gates, /#### Attempt 1 on claude-haiku[^\n]*: not accepted — test gate failed\n[^#]*== test: fail, exit 1, [\d.]+ s ==\n\$ node --test\n[\s\S]*not ok 3 - countWords of an empty text is 0/);
    assert.match(gates, /#### Attempt 3 \(the result under review\)\n[^#]*== test: pass, exit 0/);
  });

  it('the review of D3 opens with the verdict thread (level, verdict, summary, the failed gate and its output) and the reviewer\'s finding on its line', async function () {
    this.timeout(180_000);
    const d3 = api.batches.runOf('D3');
    assert.equal(d3?.state, 'done');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
    const opened = await vscode.commands.executeCommand<{ batchId: string; files: string[] }>('flotilla.reviewTicket', { batchId: d3Batch, ticketId: 'D3' });
    assert.deepEqual([...(opened?.files ?? [])].sort(), ['src/wordCount.js', 'test/wordCount.test.js']);
    const threads = api.review.threads();
    const text = (t: vscode.CommentThread) => (t.comments[0]?.body as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');
    const verdict = threads.find((t) => t.contextValue === 'flotillaVerdict');
    assert.ok(verdict, `a verdict thread; threads: ${threads.map((t) => t.label).join(', ')}`);
    assert.match(verdict.label ?? '', /^Flotilla verdict: PASS · (standard|thorough|comprehensive) review$/);
    const body = text(verdict);
    assert.match(body, /T1 \(fast\): PASS — The change does what the ticket asks/, 'the reviewer\'s summary');
    assert.match(body, /Attempt 1 on claude-haiku[^\n]*: test failed \(exit 1\): node --test/, 'the failed gate of the first attempt');
    assert.match(body, /not ok 3 - countWords of an empty text is 0/, 'with its output');
    const finding = threads.find((t) => t.contextValue === 'flotillaFinding');
    assert.ok(finding?.range, 'the simulated reviewer\'s finding is shown');
    const doc = await vscode.workspace.openTextDocument(finding.uri);
    assert.equal(finding.uri.path, '/src/wordCount.js');
    assert.match(doc.lineAt(finding.range.start.line).text, /filter\(\(word\) =>/, 'on the line it is about');
    await screenshot('review-verdict');
  });

  it('accepting D1 marks its ticket file done (that line only), unticks it and removes its branch; rejecting D3 opens it again; the states come from storage, as after a reload', async function () {
    this.timeout(60_000);
    const storage = api.review.storageDir ?? '';
    const ticketFile = join(root, '.flotilla/tickets/D1.md');
    const before = readFileSync(ticketFile, 'utf8');
    const d1Branch = git(root, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/flotilla/*/D1');
    await tick(api, 'D1', 'D3');
    const accepted = await vscode.commands.executeCommand<{ kind: string; ticketFile: string | null; cleanedUp: boolean; followUpProblems: string[] }>('flotilla.acceptTicket', { ticketId: 'D1' });
    assert.equal(accepted?.kind, 'merged', JSON.stringify(accepted));
    assert.deepEqual(accepted.followUpProblems, []);
    const after = readFileSync(ticketFile, 'utf8');
    assert.equal(after, before.replace(/\n---\n/, '\nstatus: done\n---\n'), 'one line added to the front matter, every other byte kept');
    assert.equal(git(root, 'status', '--porcelain'), '', 'the status line is part of the merge commit');
    assert.equal(git(root, 'branch', '--list', d1Branch), '', 'the branch is gone');
    const d1Batch = d1Branch.split('/')[1] ?? '';
    assert.ok(!existsSync(join(storage, 'worktrees', d1Batch, 'D1')), 'the worktree is gone');
    assert.ok(existsSync(join(storage, 'batches', d1Batch, 'transcripts', 'D1.jsonl')), 'the transcript stays');
    assert.deepEqual(await api.tickets.selected(), ['D3'], 'D1 is no longer ticked');

    const rejected = await vscode.commands.executeCommand<{ kind: string }>('flotilla.rejectTicket', { batchId: d3Batch, ticketId: 'D3', confirmed: true });
    assert.equal(rejected?.kind, 'rejected');
    assert.doesNotMatch(readFileSync(join(root, '.flotilla/tickets/D3.md'), 'utf8'), /^status:/m, 'a rejected ticket\'s file is untouched: it is open');

    const d1 = await eventually(async () => {
      const item = await treeItem(api, 'D1');
      return /accepted/.test(runText(item)) ? item : undefined;
    }, 'D1 to show as accepted');
    assert.match(runText(d1), /^(fast|balanced|strong) · accepted · \$\d+\.\d{2,}$/);
    assert.equal((d1.iconPath as vscode.ThemeIcon).id, 'pass-filled');
    assert.equal(d1.contextValue, 'ticketAccepted');
    // The Tickets view reloads the changed file through its watcher.
    await eventually(async () => (await api.tickets.load()).tickets.find((t) => t.id === 'D1')?.status === 'done' || undefined, 'D1 to be in the Done group');
    const d3 = await eventually(async () => {
      const item = await treeItem(api, 'D3');
      return /rejected/.test(runText(item)) ? item : undefined;
    }, 'D3 to show as rejected');
    assert.match(runText(d3), /^balanced · rejected · \$\d+\.\d{2,}$/, 'its last result stays in view');
    assert.equal(d3.contextValue, 'ticketFinished', 'Retry is offered');
    assert.equal((await api.tickets.load()).tickets.find((t) => t.id === 'D3')?.status, 'open');

    // What a window reload shows: nothing of this window's runs, only the stored batch state.
    const reloaded = new TicketLifecycles(storage);
    await reloaded.refresh();
    assert.deepEqual(['D1', 'D3', 'R01'].map((id) => reloaded.entryOf(id)?.state), ['accepted', 'rejected', 'failed']);
    reloaded.dispose();
    await vscode.commands.executeCommand('flotilla.tickets.focus');
    // Wide enough that the descriptions ("fast · accepted · $0.004") are in the picture (the editor
    // area gives up the room), then back.
    await vscode.commands.executeCommand('workbench.action.focusActiveEditorGroup');
    for (let i = 0; i < 8; i++) await vscode.commands.executeCommand('workbench.action.decreaseViewWidth');
    await screenshot('tree-after-accept-reject');
    for (let i = 0; i < 8; i++) await vscode.commands.executeCommand('workbench.action.increaseViewWidth');
  });

  it('Run Batch asks first with each ticket\'s model id and the worst case in one line; "Details" shows a read-only document that closes with the dialog', async function () {
    this.timeout(60_000);
    assert.ok(api.notices, 'test mode answers the notices');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await tick(api, 'D3', 'R01');
    const asked: Notice[] = [];
    let detailsShown: string[] = [];
    const answering = api.notices.useAnswers((notice) => {
      asked.push(notice);
      if (asked.length === 2) detailsShown = vscode.window.tabGroups.all.flatMap((g) => g.tabs).flatMap((t) => (t.input instanceof vscode.TabInputText ? [t.input.uri.toString()] : []));
      return asked.length === 1 ? 'Details' : undefined;
    });
    try {
      const summary = await vscode.commands.executeCommand<BatchSummary | undefined>('flotilla.runBatch');
      assert.equal(summary, undefined, 'Escape on the second ask runs nothing');
    } finally {
      answering.dispose();
    }
    assert.equal(asked.length, 2, 'asked, then asked again after the details');
    const [first] = asked;
    assert.equal(first?.modal, true);
    assert.deepEqual(first?.actions, ['Run', 'Details']);
    assert.equal(first?.message, 'Run 2 tickets (simulated)?');
    const detail = first?.detail ?? '';
    assert.match(detail, /^(Model: claude-[\w.-]+ \((fast|balanced|strong)\): (D3, R01|R01, D3)|Models:(\n {2}claude-[\w.-]+ \((fast|balanced|strong)\): (D3|R01)){2})$/m, 'each ticket\'s model id beside its tier');
    assert.match(detail, /^Worst case: \$\d+\.\d{2} — 2 tickets × \d+ runs \(the first, fix loops, moves up a tier\) × the \$\d+\.\d{2} cap per run\.$/m, 'the worst case and where it comes from, in one line');
    const details = detailsShown.filter((uri) => uri.startsWith('flotilla-plan:'));
    assert.equal(details.length, 1, `the details were in front of the second ask; tabs: ${detailsShown.join(', ')}`);
    const text = (await vscode.workspace.openTextDocument(vscode.Uri.parse(details[0] ?? ''))).getText();
    assert.match(text, /^ {2}D3: claude-[\w.-]+ \((fast|balanced|strong)\) — /m, 'the details say why each model');
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    assert.deepEqual(tabs.filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'flotilla-plan').map((t) => t.label), [], 'the details closed with the dialog');
    assert.deepEqual(vscode.workspace.textDocuments.filter((d) => d.isUntitled || d.isDirty).map((d) => d.uri.toString()), [], 'no Untitled or unsaved document is left behind');
  });

  it('"Claude Code was not found" offers its next steps as buttons; Use Built-in Engine sets the engine and runs the batch', async function () {
    this.timeout(180_000);
    assert.ok(api.notices, 'test mode answers the notices');
    const config = () => vscode.workspace.getConfiguration('flotilla');
    await config().update('worker.engine', 'claude-code', vscode.ConfigurationTarget.Workspace);
    // A machine setting: it lives in the user settings.
    await config().update('worker.claudeCodePath', join(root, 'no-such-claude'), vscode.ConfigurationTarget.Global);
    await tick(api, 'D3');
    const asked: Notice[] = [];
    try {
      let answer: string | undefined;
      const answering = api.notices.useAnswers((notice) => {
        asked.push(notice);
        return answer;
      });
      try {
        assert.equal(await vscode.commands.executeCommand('flotilla.runBatch', { confirm: false }), undefined, 'dismissed: nothing runs');
        assert.equal(asked.length, 1);
        const [notice] = asked;
        assert.equal(notice?.level, 'error');
        assert.match(notice?.message ?? '', /Claude Code's executable was not found \(looked at flotilla\.worker\.claudeCodePath: .*no-such-claude is not an executable file\)/);
        assert.deepEqual(notice?.actions, ['Set Claude Code Path…', 'Use Built-in Engine']);
        answer = 'Use Built-in Engine';
        const summary = await vscode.commands.executeCommand<BatchSummary | undefined>('flotilla.runBatch', { confirm: false });
        assert.ok(summary, 'the batch ran after the choice');
        assert.equal(summary.engine?.name, 'builtin');
        assert.deepEqual(summary.tickets.map((t) => [t.id, t.state]), [['D3', 'done']]);
        d3Batch = summary.batchId;
      } finally {
        answering.dispose();
      }
      assert.equal(config().inspect('worker.engine')?.workspaceValue, 'builtin', 'the choice is kept in the workspace, where the engine was set');
      assert.equal(config().inspect('worker.engine')?.globalValue, undefined, 'and not in the user settings');
    } finally {
      await config().update('worker.engine', undefined, vscode.ConfigurationTarget.Workspace);
      await config().update('worker.claudeCodePath', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('Request Changes labels its terminal with the request and says, when its fix loop has finished, how it ended and which files it changed', async function () {
    this.timeout(180_000);
    const from = started.length;
    const feedback = 'Also count words separated by tabs, and keep the tests passing';
    const outcome = await vscode.commands.executeCommand<{ kind: string; report?: { passed: boolean; text: string; changed: { path: string }[] } }>('flotilla.requestChanges', { batchId: d3Batch, ticketId: 'D3', feedback });
    assert.equal(outcome?.kind, 'requested', JSON.stringify(outcome));
    const report = outcome.report;
    assert.ok(report, 'the command returned what the fix loop did');
    assert.match(report.text, /^D3: your change request (is done — \w+ review (PASS|FAIL)|ended (failed|blocked)[^(]*) \(\$[\d.]+ in all\)\. /, 'how it ended');
    assert.match(report.text, report.changed.length === 0 ? /The agent changed no file\.$/ : /Changed: [^ ]+ \(\+\d+ −\d+\)/, 'what changed');
    const runs = started.slice(from);
    assert.ok(runs.length > 0 && runs.every((name) => name.startsWith('D3 · changes: "Also count words separated by tabs, and…" · ')), `the change request's terminals: ${runs.join(', ')}`);
    const terminal = vscode.window.terminals.find((t) => t.name.includes('D3 · changes: '));
    assert.ok(terminal, `a terminal named after the request; terminals: ${vscode.window.terminals.map((t) => t.name).join(', ')}`);
    assert.match(api.workerTasks.runOutputs('D3').at(-1)?.text ?? '', /▸ your change request: Also count words separated by tabs, and keep the tests passing/);
  });
});

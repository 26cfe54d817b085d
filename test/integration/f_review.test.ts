import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { reviewFile } from '../../src/core/batch/batchRecorder';
import { commitAll } from '../../src/core/git/commit';
import { GitClient } from '../../src/core/git/gitClient';
import { addTicketWorktree } from '../../src/core/git/worktrees';
import { LlmClient } from '../../src/core/llm/llmClient';
import { writeJsonAtomic } from '../../src/core/store/atomicJson';
import { BatchStateStore } from '../../src/core/store/batchStateStore';
import { DEFAULT_WORKER_LIMITS } from '../../src/core/worker/agentLoop';
import { runTicketWorker } from '../../src/core/worker/runTicketWorker';
import { scriptedResponder, toolUseTurn } from '../../src/simulator/responders';
import { startSimulator } from '../../src/simulator/simulator';
import type { Simulator } from '../../src/simulator/simulatorTypes';
import type { FlotillaApi } from '../../src/vscode/api';
import type { Confirmation } from '../../src/vscode/review/reviewPrompts';
import { activateFlotilla, eventually, screenshot } from './flotillaApi';

/** Answers the review commands' questions the way a user would, and keeps what they asked. */
function answering(api: FlotillaApi, answers: { pick: string | undefined; confirm: boolean }): vscode.Disposable & { picks: string[][]; confirmations: Confirmation[] } {
  const picks: string[][] = [];
  const confirmations: Confirmation[] = [];
  assert.ok(api.review.usePrompts, 'the test-mode hook is there');
  const hook = api.review.usePrompts({
    pickTicket: (tickets) => {
      picks.push(tickets.map((t) => t.ticketId));
      return Promise.resolve(tickets.find((t) => t.ticketId === answers.pick));
    },
    confirm: (question) => {
      confirmations.push(question);
      return Promise.resolve(answers.confirm);
    },
  });
  return { picks, confirmations, dispose: () => hook.dispose() };
}

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

const GREET = ['export function greet(name: string): string {', "  return 'Hello ' + name;", '}', '', 'export function farewell(name: string): string {', "  return 'Bye ' + name;", '}', '', '// end of greetings', ''].join('\n');
const BATCH = 'RV1';
/** MarkdownString.appendText escapes Markdown and turns spaces into &nbsp;; undo both to read the text. */
const plain = (markdown: string) => markdown.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1');

/** The multi-file diff tab: TabInputTextMultiDiff is newer than the @types/vscode this extension builds against. */
interface MultiDiffInput {
  readonly textDiffs: readonly { readonly original: vscode.Uri; readonly modified: vscode.Uri }[];
}
const isMultiDiff = (input: unknown): input is MultiDiffInput => typeof input === 'object' && input !== null && Array.isArray((input as { textDiffs?: unknown }).textDiffs);

const finding = (file: string, line: number | null, message: string, inDiff: boolean, fileInDiff: boolean, source = 'T1') => ({ file, line, severity: 'warning', message, source, inDiff, fileInDiff });
const record = (id: string, title: string, branch: string, commit: string | null) => ({ id, title, state: 'done', branch, commit, complexityClass: 'mechanical', score: 10, tier: 'fast', model: 'm', reason: '', maxTier: null, detail: '', stages: [], fixLoops: 0, escalations: 0, tierHistory: [], review: null, diffStats: [], costUsd: 0, tokens: 0 });

describe('ticket review: diff editor, findings as comments, accept and reject', () => {
  let root: string;
  let repo: string;
  let storage: string;
  let base: string;
  let simulator: Simulator;
  const client = new GitClient();

  before(async function () {
    this.timeout(60_000);
    const api = await activateFlotilla();
    assert.ok(api.review.storageDir, 'the test workspace has workspace storage');
    storage = api.review.storageDir;
    root = mkdtempSync(join(tmpdir(), 'flotilla-it-review-'));
    repo = join(root, 'repo');
    mkdirSync(join(repo, 'src'), { recursive: true });
    writeFileSync(join(repo, 'src/greet.ts'), GREET);
    writeFileSync(join(repo, 'src/util.ts'), 'export const one = 1;\n');
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'config', 'user.name', 'Reviewer');
    git(repo, 'config', 'user.email', 'reviewer@example.invalid');
    git(repo, 'add', '.');
    git(repo, 'commit', '-qm', 'initial');
    base = git(repo, 'rev-parse', 'HEAD');

    // Two finished tickets made by real worker runs against the simulator: both change line 2.
    simulator = await startSimulator({
      responder: scriptedResponder([
        toolUseTurn('edit_file', { path: 'src/greet.ts', oldText: "'Hello ' + name", newText: "'Hello, ' + name" }),
        toolUseTurn('write_file', { path: 'src/names.ts', content: "export const names = ['Ada', 'Grace'];\n" }),
        toolUseTurn('finish', { summary: 'Comma and a names list.' }),
        toolUseTurn('edit_file', { path: 'src/greet.ts', oldText: "'Hello ' + name", newText: "'Hi ' + name" }),
        toolUseTurn('finish', { summary: 'Shorter greeting.' }),
      ]),
    });
    const llm = new LlmClient({ apiKey: 'sk-ant-test', baseURL: simulator.url, recordUsage: () => undefined, retry: { maxAttempts: 1 } });
    const commits: Record<string, string | null> = {};
    const toolErrors: string[] = [];
    for (const [id, title] of [['T1', 'Greet with a comma'], ['T2', 'Shorter greeting']] as const) {
      const result = await runTicketWorker({
        git: client, client: llm, repoRoot: repo, storageDir: storage, workspace: 'it-review', batchId: BATCH, baseCommit: base,
        ticket: { id, title, description: title, acceptance: [], files: ['src/greet.ts'] },
        model: 'claude-sonnet-5-5', tier: 'balanced', stage: 'work', attempt: 1,
        shared: { repoMap: 'src/: greet.ts util.ts', batchPlan: '' }, limits: DEFAULT_WORKER_LIMITS,
        tools: { allowCommands: [], commandTimeoutMs: 10_000, maxReadBytes: 100_000, maxWriteBytes: 100_000, maxOutputBytes: 20_000 },
        onEvent: (event) => {
          if (event.kind === 'tool_result' && event.isError) toolErrors.push(`${id} ${event.name}: ${event.preview}`);
        },
      });
      assert.equal(result.status, 'done', result.reason);
      assert.deepEqual(toolErrors, [], 'every scripted tool call worked');
      commits[id] = result.commit;
    }
    // A third ticket for the per-file decisions, committed with the core git helpers directly.
    const t3 = await addTicketWorktree(client, { repoRoot: repo, storageDir: storage, batchId: BATCH, ticketId: 'T3', baseCommit: base });
    writeFileSync(join(t3.path, 'src/util.ts'), 'export const one = 1;\nexport const two = 2;\n');
    writeFileSync(join(t3.path, 'src/farewell.ts'), "export const bye = 'bye';\n");
    commits.T3 = await commitAll(client, t3.path, 'T3 work', { name: 'Flotilla', email: 'flotilla@localhost' });

    const store = new BatchStateStore({ storage });
    await store.create({ id: BATCH, mode: 'direct', ticketIds: ['T1', 'T2', 'T3'], baseCommit: base, extra: { resume: { repoRoot: repo } } });
    await store.update(BATCH, (s) => ({
      ...s,
      status: 'done',
      owner: null,
      extra: { ...s.extra, records: { T1: record('T1', 'Greet with a comma', 'flotilla/RV1/T1', commits.T1 ?? null), T2: record('T2', 'Shorter greeting', 'flotilla/RV1/T2', commits.T2 ?? null), T3: record('T3', 'Two and farewell', 'flotilla/RV1/T3', commits.T3 ?? null) } },
    }));
    const gates = { verdict: 'PASS', gates: [{ name: 'test', command: 'npm test', status: 'pass', exitCode: 0, durationMs: 2300, output: '12 passing (40ms)' }] };
    await writeJsonAtomic(reviewFile(storage, BATCH, 'T1'), {
      level: 'standard', verdict: 'PASS', gates, modelReviews: [{ kind: 'T1', tier: 'fast', verdict: 'PASS', summary: 'Greeting reads well.', findings: [], calls: [] }],
      findings: [
        finding('src/greet.ts', 2, 'Use a template literal here.', true, true),
        finding('src/greet.ts', 9, 'This comment is stale.', false, true, 'T2'),
        finding('src/elsewhere.ts', 4, 'Callers in elsewhere.ts expect the old text.', false, false),
      ],
    });
    await writeJsonAtomic(reviewFile(storage, BATCH, 'T2'), { level: 'standard', verdict: 'PASS', gates, findings: [finding('src/greet.ts', 2, '"Hi" is too informal for this product.', true, true)] });
  });

  after(async () => {
    await simulator?.close();
    rmSync(root, { recursive: true, force: true, maxRetries: 3 });
  });

  const worktree = (ticket: string) => join(storage, 'worktrees', BATCH, ticket);

  it('"Review Ticket" opens the changes editor on the ticket\'s files with the findings on their lines', async () => {
    const api = await activateFlotilla();
    const opened = (await vscode.commands.executeCommand('flotilla.reviewTicket', { batchId: BATCH, ticketId: 'T1' })) as { files: string[] };
    const state = JSON.parse(readFileSync(join(storage, 'batches', BATCH, 'state.json'), 'utf8')) as { baseCommit: string; status: string };
    const why = `git says ${git(repo, 'diff', '--name-only', base, 'flotilla/RV1/T1').replace(/\n/g, ', ')}; state base ${state.baseCommit} (test base ${base}), status ${state.status}`;
    assert.ok(opened.files.length === 2 && opened.files.includes('src/names.ts'), `review lists ${opened.files.join(', ')}; ${why}`);

    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.startsWith('Review T1: Greet with a comma'));
    assert.ok(tab, `a tab titled "Review T1: …"; tabs: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', ')}`);
    assert.ok(isMultiDiff(tab.input), 'the tab is a multi-file diff editor');
    // Headers read as repository paths (issue 12 item 9): both sides carry the file's path in the
    // repository, so nothing reads as a rename from a folder in workspace storage.
    const modified = tab.input.textDiffs.map((d) => d.modified.path).sort();
    assert.deepEqual(modified, ['/src/greet.ts', '/src/names.ts']);
    for (const d of tab.input.textDiffs) assert.equal(d.original.path, d.modified.path, 'same path on both sides: not a rename');
    assert.ok(tab.input.textDiffs.every((d) => !d.modified.toString().includes(storage) && !d.modified.path.includes('worktrees')), 'no storage path in the headers');
    assert.match(tab.label, /\(base [0-9a-f]{7} ↔ T1\)/, 'the title names the base and the ticket');
    const greetDiff = tab.input.textDiffs.find((d) => d.modified.path.endsWith('greet.ts'));
    assert.equal(greetDiff?.original.scheme, 'flotilla-base');
    assert.equal(greetDiff.modified.scheme, 'flotilla-ticket');
    const baseDoc = await vscode.workspace.openTextDocument(greetDiff.original);
    assert.equal(baseDoc.getText(), GREET, 'the left side is the base commit, served read-only');
    const ticketDoc = await vscode.workspace.openTextDocument(greetDiff.modified);
    assert.equal(ticketDoc.getText(), git(repo, 'show', 'flotilla/RV1/T1:src/greet.ts') + '\n', 'the right side is the ticket branch, what Accept merges');

    const all = api.review.threads().map((t) => ({ kind: t.contextValue, file: t.uri.path.slice(1), line: t.range?.start.line, label: t.label, text: plain((t.comments[0]?.body as vscode.MarkdownString).value) }));
    // The verdict thread heads the review (issue 12 item 4): level, verdict, the summary, the gates and the decisions.
    const verdict = all[0];
    assert.deepEqual({ file: verdict?.file, line: verdict?.line, label: verdict?.label }, { file: 'src/greet.ts', line: 0, label: 'Flotilla verdict: PASS · standard review' });
    assert.match(verdict?.text ?? '', /\*\*PASS\*\* · review level \*\*standard\*\*/);
    assert.match(verdict?.text ?? '', /T1 \(fast\): PASS — Greeting reads well\./);
    assert.match(verdict?.text ?? '', /Gates: test ✓/);
    assert.match(verdict?.text ?? '', /\[Accept & Merge\]\(command:flotilla\.acceptTicket\?/);
    // Each changed file offers its own decisions at its top (issue 21: not only in the palette).
    const perFile = all.filter((t) => t.kind === 'flotillaFileDecision');
    assert.deepEqual(perFile.map((t) => [t.file, t.line, t.label]).sort(), [['src/greet.ts', 0, 'Decide src/greet.ts alone'], ['src/names.ts', 0, 'Decide src/names.ts alone']]);
    for (const t of perFile) assert.match(t.text, /\[Accept File\]\(command:flotilla\.acceptFile\?.*\) · \[Reject File\]\(command:flotilla\.rejectFile\?/);
    const threads = all.filter((t) => t.kind === 'flotillaFinding');
    assert.equal(threads.length, 3, 'one thread per finding, none dropped');
    const onLine = threads.find((t) => t.text.includes('template literal'));
    assert.deepEqual({ file: onLine?.file, line: onLine?.line, label: onLine?.label }, { file: 'src/greet.ts', line: 1, label: 'T1 · warning' });
    const outside = threads.find((t) => t.text.includes('stale'));
    assert.deepEqual({ file: outside?.file, line: outside?.line }, { file: 'src/greet.ts', line: 0 }, 'a line outside the diff is shown at file level');
    assert.match(outside?.text ?? '', /line 9 is outside the changed lines/);
    const otherFile = threads.find((t) => t.text.includes('elsewhere'));
    assert.equal(otherFile?.line, 0, 'a file outside the diff is shown at file level on a changed file');
    assert.match(otherFile?.text ?? '', /src\/elsewhere\.ts:4/);
  });

  it('"Show Gate Output" opens the stored gate output read-only', async () => {
    const uri = (await vscode.commands.executeCommand('flotilla.showGateOutput', { batchId: BATCH, ticketId: 'T1' })) as string;
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    assert.match(doc.getText(), /== test: pass, exit 0, 2\.3 s ==\n\$ npm test\n12 passing/);
  });

  it('a palette Accept with no review in front of the user asks which ticket, names it and the target branch, and merges nothing without confirmation', async () => {
    const api = await activateFlotilla();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const head = git(repo, 'rev-parse', 'HEAD');
    const asked = answering(api, { pick: 'T1', confirm: false });
    try {
      // No argument: what the Command Palette and key bindings send.
      const outcome = (await vscode.commands.executeCommand('flotilla.acceptTicket')) as { kind: string };
      assert.equal(outcome.kind, 'cancelled');
    } finally {
      asked.dispose();
    }
    const offered = asked.picks[0] ?? [];
    assert.deepEqual(offered.filter((id) => id.startsWith('T')).sort(), ['T1', 'T2', 'T3'], 'it asked which ticket, offering the ones awaiting a decision');
    assert.equal(new Set(offered).size, offered.length, 'each ticket once: its newest run');
    assert.equal(asked.confirmations.length, 1);
    const question = asked.confirmations[0];
    assert.equal(question?.message, 'Accept & Merge T1 "Greet with a comma" into main?');
    assert.match(question?.detail ?? '', /Merges branch flotilla\/RV1\/T1 into main/);
    assert.equal(question?.action, 'Accept & Merge');
    assert.equal(git(repo, 'rev-parse', 'HEAD'), head, 'nothing merged');
    assert.equal(git(repo, 'status', '--porcelain', '--untracked-files=all'), '');
  });

  it('a review that was closed is not what Accept acts on: it asks again', async () => {
    const api = await activateFlotilla();
    await vscode.commands.executeCommand('flotilla.reviewTicket', { batchId: BATCH, ticketId: 'T1' });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await eventually(() => api.review.threads().length === 0, 'the closed review to take its threads with it');
    const head = git(repo, 'rev-parse', 'HEAD');
    const asked = answering(api, { pick: undefined, confirm: true });
    try {
      assert.equal(await vscode.commands.executeCommand('flotilla.acceptTicket'), undefined, 'no ticket picked, nothing done');
    } finally {
      asked.dispose();
    }
    assert.equal(asked.picks.length, 1);
    assert.equal(asked.confirmations.length, 0);
    assert.equal(git(repo, 'rev-parse', 'HEAD'), head);
  });

  it('Accept & Merge acts on the review in front of the user, also while the gate log beside it has the focus, and merges with a merge commit', async () => {
    const api = await activateFlotilla();
    await vscode.commands.executeCommand('flotilla.reviewTicket', { batchId: BATCH, ticketId: 'T1' });
    const gateLog = await vscode.commands.executeCommand<string>('flotilla.showGateOutput');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), gateLog, 'the gate log beside the review has the focus');
    await screenshot('review-with-gate-log');
    const before = git(repo, 'rev-parse', 'HEAD');
    const tip = git(repo, 'rev-parse', 'flotilla/RV1/T1');
    const asked = answering(api, { pick: undefined, confirm: false });
    let outcome: { kind: string; commit?: string };
    try {
      outcome = (await vscode.commands.executeCommand('flotilla.acceptTicket')) as { kind: string; commit?: string };
    } finally {
      asked.dispose();
    }
    assert.deepEqual([asked.picks.length, asked.confirmations.length], [0, 0], 'the review in front of the user is the ticket: nothing to ask');
    assert.equal(outcome.kind, 'merged');
    assert.equal(git(repo, 'rev-parse', 'HEAD'), outcome.commit);
    assert.equal(git(repo, 'rev-parse', 'HEAD^1'), before);
    assert.equal(git(repo, 'rev-parse', 'HEAD^2'), tip);
    assert.match(git(repo, 'log', '-1', '--format=%s', 'HEAD'), /^Merge flotilla\/RV1\/T1: T1 Greet with a comma$/);
    assert.match(readFileSync(join(repo, 'src/greet.ts'), 'utf8'), /'Hello, ' \+ name/);
    assert.equal(readFileSync(join(repo, 'src/names.ts'), 'utf8'), "export const names = ['Ada', 'Grace'];\n");
    assert.equal(api.review.threads().length, 0, 'the decided review is over: its threads are gone');
    assert.ok(!vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.label.startsWith('Review T1:')), 'and its changes editor closed');
  });

  it('a conflicting ticket is refused with the conflicting files named, HEAD and the working tree unchanged', async () => {
    const head = git(repo, 'rev-parse', 'HEAD');
    const greet = readFileSync(join(repo, 'src/greet.ts'), 'utf8');
    const outcome = (await vscode.commands.executeCommand('flotilla.acceptTicket', { batchId: BATCH, ticketId: 'T2' })) as { kind: string; files: string[]; message: string };
    assert.equal(outcome.kind, 'refused');
    assert.deepEqual(outcome.files, ['src/greet.ts']);
    assert.match(outcome.message, /src\/greet\.ts/);
    assert.equal(git(repo, 'rev-parse', 'HEAD'), head);
    assert.equal(git(repo, 'status', '--porcelain', '--untracked-files=all'), '');
    assert.equal(readFileSync(join(repo, 'src/greet.ts'), 'utf8'), greet);
  });

  it('Accept File and Reject File on each file of the review: the verdict says it is out of date and lists what was decided; "Open File" keeps the review', async function () {
    // Three openings of the review and two decisions: 60 s at a load average of 20, more above.
    this.timeout(180_000);
    const api = await activateFlotilla();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await writeJsonAtomic(reviewFile(storage, BATCH, 'T3'), { level: 'standard', verdict: 'PASS', gates: { verdict: 'PASS', gates: [] }, findings: [] });
    await vscode.commands.executeCommand('flotilla.reviewTicket', { batchId: BATCH, ticketId: 'T3' });
    const reviewTab = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.label.startsWith('Review T3:'));
    assert.equal(reviewTab()?.isPreview, false, 'the review is kept open, not a preview another editor replaces');

    // "Open File" on one of its files: the file opens, the review stays with its threads.
    await vscode.commands.executeCommand('vscode.open', vscode.Uri.file(join(repo, 'src/util.ts')), { preview: true });
    assert.ok(reviewTab(), `the review's tab is still open; tabs: ${vscode.window.tabGroups.all.flatMap((g) => g.tabs).map((t) => t.label).join(', ')}`);
    assert.ok(api.review.threads().some((t) => t.contextValue === 'flotillaVerdict'), 'and its threads');

    /** Runs a file thread's link the way a click does: its command with the arguments in the link. */
    const click = async (file: string, title: string): Promise<{ kind: string }> => {
      const thread = api.review.threads().find((t) => t.contextValue === 'flotillaFileDecision' && t.uri.path === `/${file}`);
      assert.ok(thread, `${file} has its decisions thread`);
      const link = new RegExp(`\\[${title}\\]\\(command:([\\w.]+)\\?([^)]*)\\)`).exec((thread.comments[0]?.body as vscode.MarkdownString).value);
      assert.ok(link?.[1] && link[2] !== undefined, `${file}'s thread links ${title}`);
      const args = JSON.parse(decodeURIComponent(link[2])) as unknown[];
      return (await vscode.commands.executeCommand(link[1], ...args)) as { kind: string };
    };
    const verdict = () => {
      const thread = api.review.threads().find((t) => t.contextValue === 'flotillaVerdict');
      return { label: thread?.label ?? '', text: plain((thread?.comments[0]?.body as vscode.MarkdownString | undefined)?.value ?? '') };
    };
    assert.equal(verdict().label, 'Flotilla verdict: PASS · standard review');

    const accepted = await click('src/util.ts', 'Accept File');
    assert.equal(accepted.kind, 'committed');
    assert.equal(readFileSync(join(repo, 'src/util.ts'), 'utf8'), 'export const one = 1;\nexport const two = 2;\n');
    assert.deepEqual(git(repo, 'show', '--name-only', '--format=', 'HEAD').split('\n'), ['src/util.ts']);
    assert.equal(verdict().label, 'Flotilla verdict: PASS · standard review · out of date');
    assert.match(verdict().text, /Out of date: this verdict was given on the change before your file decisions\./);
    assert.match(verdict().text, /Accepted \(committed on your branch\): src\/util\.ts/);

    const rejected = await click('src/farewell.ts', 'Reject File');
    assert.equal(rejected.kind, 'rejected');
    assert.deepEqual(git(repo, 'diff', '--name-only', base, 'flotilla/RV1/T3').split('\n'), ['src/util.ts'], 'the rejected file left the ticket branch');
    assert.match(verdict().text, /Rejected \(taken back to the base on the ticket's branch, no longer in this review\): src\/farewell\.ts/, 'the review lists what was rejected');
    assert.deepEqual(api.review.threads().filter((t) => t.contextValue === 'flotillaFileDecision').map((t) => t.uri.path), ['/src/util.ts'], 'only the file still in the change offers decisions');
    const reviewTabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label.startsWith('Review T3:')).map((t) => t.label);
    assert.equal(reviewTabs.length, 1, `the review opened again replaces its earlier tab: ${reviewTabs.join(', ')}`);
    await screenshot('review-file-decisions');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Reject removes the worktree and the branch', async () => {
    const outcome = (await vscode.commands.executeCommand('flotilla.rejectTicket', { batchId: BATCH, ticketId: 'T3', confirmed: true })) as { kind: string };
    assert.equal(outcome.kind, 'rejected');
    assert.equal(git(repo, 'branch', '--list', 'flotilla/RV1/T3'), '');
    assert.throws(() => readFileSync(join(worktree('T3'), 'src/util.ts')));
  });

  it('a decision that does not apply to an accepted ticket is refused in one line with core\'s reason, and changes nothing', async () => {
    const head = git(repo, 'rev-parse', 'HEAD');
    const outcome = (await vscode.commands.executeCommand('flotilla.rejectTicket', { batchId: BATCH, ticketId: 'T1', confirmed: true })) as { kind: string; message: string };
    assert.equal(outcome.kind, 'refused');
    assert.match(outcome.message, /^T1 \(batch RV1\) was already accepted into main \(commit [0-9a-f]{12}\); rejecting it now would not take that merge back\./);
    assert.doesNotMatch(outcome.message, /\n/);
    assert.equal(git(repo, 'rev-parse', 'HEAD'), head);
  });

  it('leaves the conflicting ticket open for review (the screenshot shows it)', async () => {
    const api = await activateFlotilla();
    await vscode.commands.executeCommand('flotilla.reviewTicket', { batchId: BATCH, ticketId: 'T2' });
    assert.deepEqual(api.review.threads().map((t) => t.contextValue).sort(), ['flotillaFileDecision', 'flotillaFinding', 'flotillaVerdict'], 'the verdict, src/greet.ts\'s decisions and the one finding');
  });
});

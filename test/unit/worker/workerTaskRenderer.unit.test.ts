import assert from 'node:assert/strict';
import { ZERO_USAGE } from '../../../src/core/llm/cost';
import { formatReviewReport } from '../../../src/core/worker/reviewLogLines';
import { WorkerLogBuffer } from '../../../src/core/worker/workerLogBuffer';
import { ansiLine, clean, exitCodeFor, formatOutcome, WorkerLogFormatter, type WorkerLogLine } from '../../../src/core/worker/workerLogFormat';
import { resultOf, USAGE } from './workerResults';

const texts = (lines: WorkerLogLine[]) => lines.map((l) => l.text);

describe('worker log format (what a worker task terminal shows)', () => {
  it('renders turns, tool calls, tool errors and usage as one readable line each', () => {
    const f = new WorkerLogFormatter();
    assert.deepEqual(texts(f.format({ kind: 'phase', message: 'preparing worktree for T1' })), ['▸ preparing worktree for T1']);
    assert.deepEqual(texts(f.format({ kind: 'turn', turn: 3, model: 'claude-sonnet-5-5' })), ['turn 3 · claude-sonnet-5-5']);
    assert.deepEqual(texts(f.format({ kind: 'tool', turn: 3, name: 'edit_file', summary: 'src/app.ts' })), ['→ edit_file src/app.ts']);
    assert.deepEqual(texts(f.format({ kind: 'tool', turn: 3, name: 'list_dir', summary: '' })), ['→ list_dir']);
    assert.deepEqual(f.format({ kind: 'tool_result', turn: 3, name: 'edit_file', isError: false, preview: 'ok' }), [], 'successes stay quiet');
    const error = f.format({ kind: 'tool_result', turn: 3, name: 'edit_file', isError: true, preview: '\nInvalid input for edit_file: oldText\nmore detail' });
    assert.deepEqual(error, [{ style: 'toolError', text: '✗ tool error in edit_file: Invalid input for edit_file: oldText' }]);
    const usage = f.format({ kind: 'usage', turn: 3, usage: USAGE, costUsd: 0.0123, totalCostUsd: 0.04561, totalOutputTokens: 56 });
    assert.deepEqual(texts(usage), ['tokens in 1,234 · out 56 · cache read 4,096 · cache write 1,024 · $0.012 (total $0.046)']);
    assert.equal(usage[0]?.style, 'usage');
  });

  it('says so when a model has no price instead of showing $0', () => {
    const f = new WorkerLogFormatter();
    const [line] = f.format({ kind: 'usage', turn: 1, usage: ZERO_USAGE, costUsd: null, totalCostUsd: null, totalOutputTokens: 0 });
    assert.match(line?.text ?? '', /cost unknown \(no price for this model\) \(total cost unknown \(no price/);
  });

  it('joins streamed text fragments into whole lines and flushes the rest before the next event', () => {
    const f = new WorkerLogFormatter();
    assert.deepEqual(f.format({ kind: 'text', delta: 'I will ' }), []);
    assert.deepEqual(texts(f.format({ kind: 'text', delta: 'read the file.\n\nThen ed' })), ['  I will read the file.']);
    const next = f.format({ kind: 'tool', turn: 1, name: 'read_file', summary: 'src/greet.ts' });
    assert.deepEqual(texts(next), ['  Then ed', '→ read_file src/greet.ts']);
    assert.equal(next[0]?.style, 'text');
    assert.deepEqual(f.flush(), [], 'nothing left over');
  });

  it('removes escape sequences and control characters from untrusted text, so a model cannot drive the terminal', () => {
    const f = new WorkerLogFormatter();
    const lines = f.format({ kind: 'text', delta: 'evil\u001b[2J\u001b]0;pwned\u0007 title\u0008\r\nnext\tline\n' });
    assert.deepEqual(texts(lines), ['  evil title', '  next  line']);
    const [tool] = f.format({ kind: 'tool', turn: 1, name: 'run_command', summary: 'echo \u001b[31mred\u001b[0m\u009b' });
    assert.equal(tool?.text, '→ run_command echo red');
    assert.equal(clean('a\u0000b\u007fc\u001bDd'), 'abcd');
    for (const line of [...lines, tool]) assert.doesNotMatch(line?.text ?? '', /[\u0000-\u001f\u007f-\u009f]/);
  });

  it('ends with the outcome: done with its commit, failed or cancelled with the reason, and the total cost', () => {
    const done = formatOutcome(resultOf('done'));
    assert.equal(done[0]?.style, 'done');
    assert.equal(done[0]?.text, '✓ done in 3 turns · commit 0123456789 on flotilla/B1/T1 · 1 file changed');
    assert.equal(done[1]?.text, '  Added the comma.');
    assert.match(done[2]?.text ?? '', /^ {2}\$0\.046 · tokens in 1,234/);

    const failed = formatOutcome(resultOf('failed', { turns: 1 }));
    assert.deepEqual(failed.map((l) => l.style), ['failed', 'usage']);
    assert.equal(failed[0]?.text, '✗ failed after 1 turn: turn limit reached (4 turns) without finish');

    const cancelled = formatOutcome(resultOf('cancelled', { costUsd: null }));
    assert.equal(cancelled[0]?.text, '■ cancelled after 3 turns: cancelled while waiting for the model');
    assert.match(cancelled[1]?.text ?? '', /cost unknown \(no price/);
  });

  it('maps outcomes to task exit codes 0 / 1 / 130', () => {
    assert.equal(exitCodeFor('done'), 0);
    assert.equal(exitCodeFor('failed'), 1);
    assert.equal(exitCodeFor('cancelled'), 130);
  });

  it('writes ANSI-coloured lines ending in \\r\\n and resets the colour', () => {
    assert.equal(ansiLine({ style: 'toolError', text: '✗ x' }), '\u001b[31m✗ x\u001b[0m\r\n');
    assert.equal(ansiLine({ style: 'done', text: 'ok' }), '\u001b[1;32mok\u001b[0m\r\n');
  });
});

describe('WorkerLogBuffer', () => {
  it('keeps the last lines and says how many were dropped', () => {
    const buffer = new WorkerLogBuffer(3);
    for (let i = 1; i <= 10; i++) buffer.push(`line ${i}`);
    assert.equal(buffer.text(), '… 7 earlier lines not kept\nline 8\nline 9\nline 10');
    assert.equal(buffer.droppedLines, 7);
  });

  it('stays bounded over a long run', () => {
    const buffer = new WorkerLogBuffer(2_000);
    for (let i = 0; i < 50_000; i++) buffer.push(`line ${i}`);
    const lines = buffer.text().split('\n');
    assert.equal(lines.length, 2_001);
    assert.equal(lines.at(-1), 'line 49999');
    assert.equal(lines[1], 'line 48000');
  });

  it('is plain when nothing was dropped, and refuses a nonsensical size', () => {
    const buffer = new WorkerLogBuffer(5);
    buffer.push('a');
    buffer.push('b');
    assert.equal(buffer.text(), 'a\nb');
    assert.throws(() => new WorkerLogBuffer(0), RangeError);
  });

  it('shows the gates\' verdict on a run: a failing gate with the end of its output (escaped), then what happens next', () => {
    const lines = formatReviewReport({
      attempt: 1,
      model: 'claude-haiku-5-5',
      passed: false,
      level: 'standard',
      summary: 'test gate failed',
      findings: 0,
      gates: [
        { name: 'build', command: 'npm run build', status: 'pass', exitCode: 0, durationMs: 1200, outputTail: 'built' },
        { name: 'lint', command: null, status: 'skipped', exitCode: null, durationMs: 0, outputTail: '', reason: 'no command configured' },
        { name: 'test', command: 'node --test', status: 'fail', exitCode: 1, durationMs: 2345, outputTail: 'not ok 3 - empty text\n\u001b[31m# fail 1\u001b[0m' },
      ],
      next: 'fix loop 1 of 1 on fast',
    });
    assert.deepEqual(texts(lines), [
      '▸ gates and review (standard level)',
      '  ✓ build passed · 1.2 s · npm run build',
      '  – lint skipped: no command configured',
      '  ✗ test failed (exit 1) · 2.3 s · node --test',
      '    │ not ok 3 - empty text',
      '    │ # fail 1',
      '✗ not accepted: test gate failed',
      '  next: fix loop 1 of 1 on fast',
    ]);
    assert.equal(lines.at(-2)?.style, 'failed');
    const passed = formatReviewReport({ attempt: 2, model: 'm', passed: true, level: 'minimal', summary: 'minimal review passed (no gates)', findings: 2, gates: [], next: null });
    assert.deepEqual(texts(passed).slice(1), ['  no command gate ran at this level', '  2 review findings (shown on their lines when you review the ticket)', '✓ passed: minimal review passed (no gates)']);
  });
});

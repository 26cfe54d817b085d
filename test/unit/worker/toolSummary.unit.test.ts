import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import { SessionTrace } from '../../../src/core/worker/claudeCode/sessionTrace';
import { relativeToWorktree, toolSummary } from '../../../src/core/worker/toolSummary';
import { Transcript } from '../../../src/core/worker/transcript';
import type { WorkerEvent } from '../../../src/core/worker/workerEvents';

const WORKTREE = '/home/dev/.storage/worktrees/b1/D3';

describe('tool lines name paths relative to the ticket\'s worktree', () => {
  it('takes the worktree out of a path, and out of every mention in a command', () => {
    assert.equal(toolSummary({ file_path: `${WORKTREE}/src/wordCount.js` }, ['file_path'], WORKTREE), 'src/wordCount.js');
    assert.equal(toolSummary({ path: 'src/a.ts' }, ['path'], WORKTREE), 'src/a.ts', 'a relative path stays as it is');
    assert.equal(toolSummary({ command: `cd ${WORKTREE} && node --test ${WORKTREE}/test/a.test.js` }, ['command'], WORKTREE), 'cd . && node --test test/a.test.js');
    assert.equal(toolSummary({ path: WORKTREE }, ['path'], `${WORKTREE}/`), '.', 'the folder itself, with the root given with a trailing separator');
  });

  it('leaves a longer name that only starts like the worktree alone', () => {
    assert.equal(relativeToWorktree(`${WORKTREE}0/src/a.ts`, WORKTREE), `${WORKTREE}0/src/a.ts`);
    assert.equal(relativeToWorktree(`ls '${WORKTREE}'`, WORKTREE), 'ls \'.\'');
  });

  it('takes the first key the input has as text and cuts it at 120 characters', () => {
    assert.equal(toolSummary({ command: 7, pattern: 'TODO' }, ['command', 'pattern'], WORKTREE), 'TODO');
    assert.equal(toolSummary({ command: 'x'.repeat(300) }, ['command'], WORKTREE).length, 120);
    assert.equal(toolSummary('not an object', ['path'], WORKTREE), '');
  });

  it('a Claude Code session\'s tool lines (absolute paths from Read and Bash) come out relative', async () => {
    const events: WorkerEvent[] = [];
    const trace = new SessionTrace(new Transcript(join(mkdtempSync(join(tmpdir(), 'tool-summary-')), 'transcript.jsonl')), WORKTREE, (e) => events.push(e));
    const content = [
      { type: 'tool_use', id: 'tu1', name: 'Read', input: { file_path: `${WORKTREE}/src/wordCount.js` } },
      { type: 'tool_use', id: 'tu2', name: 'Bash', input: { command: `node --test ${WORKTREE}/test` } },
    ];
    const message = { type: 'assistant', parent_tool_use_id: null, uuid: 'u1', session_id: 's1', message: { id: 'm1', model: 'claude-haiku-5-5', stop_reason: 'tool_use', content } };
    await trace.message(message as unknown as SDKMessage);
    const tools = events.flatMap((e) => (e.kind === 'tool' ? [`${e.name} ${e.summary}`] : []));
    assert.deepEqual(tools, ['Read src/wordCount.js', 'Bash node --test test']);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { UsageRecord } from '../../../src/core/llm/usageRecord';
import { scriptedResponder, textTurn, toolUseTurn } from '../../../src/simulator/responders';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { gitIn, makeClient, makeRepo, MODEL, runTicketWorker, TICKET, workerRequest } from './workerHarness';

const EDIT = { path: 'src/greet.ts', oldText: "'Hello ' + name", newText: "'Hello, ' + name" };

function sumRecords(records: UsageRecord[]) {
  const sum = (key: 'inputTokens' | 'outputTokens' | 'cacheWrite5mTokens' | 'cacheWrite1hTokens' | 'cacheReadTokens') => records.reduce((n, r) => n + r[key], 0);
  return { inputTokens: sum('inputTokens'), outputTokens: sum('outputTokens'), cacheWrite5mTokens: sum('cacheWrite5mTokens'), cacheWrite1hTokens: sum('cacheWrite1hTokens'), cacheReadTokens: sum('cacheReadTokens') };
}

describe('runTicketWorker (against the simulator)', () => {
  let sim: Simulator;
  afterEach(async () => sim?.close());

  it('reads, edits and finishes: a commit with the expected diff on the ticket branch, usage equal to what was billed', async () => {
    sim = await startSimulator({
      responder: scriptedResponder([
        toolUseTurn('read_file', { path: 'src/greet.ts' }),
        toolUseTurn('edit_file', EDIT),
        toolUseTurn('finish', { summary: 'Added the comma in greet().' }),
      ]),
    });
    const env = makeRepo();
    const records: UsageRecord[] = [];
    const result = await runTicketWorker(workerRequest(env, makeClient(sim, records)));

    assert.equal(result.status, 'done', result.reason);
    assert.equal(result.branch, 'flotilla/B1/T1');
    assert.equal(result.turns, 3);
    assert.ok(result.commit);
    assert.equal(gitIn(env.repo, 'rev-parse', 'flotilla/B1/T1'), result.commit);
    const diff = gitIn(env.repo, 'diff', `${env.base}..flotilla/B1/T1`);
    assert.match(diff, /-  return 'Hello ' \+ name;\n\+  return 'Hello, ' \+ name;/);
    assert.deepEqual(result.diffStats.map((s) => [s.path, s.added, s.deleted]), [['src/greet.ts', 1, 1]]);
    // What the review of this attempt uses instead of reading the branch again.
    assert.deepEqual(result.changes?.statuses, [{ status: 'modified', path: 'src/greet.ts' }]);
    assert.equal(result.changes?.counts, result.diffStats);
    assert.equal(result.changes?.unified, `${gitIn(env.repo, 'diff', '--no-color', '--find-renames', '--src-prefix=a/', '--dst-prefix=b/', '--unified=3', env.base, 'flotilla/B1/T1', '--')}\n`);
    assert.match(gitIn(env.repo, 'log', '-1', '--format=%B', 'flotilla/B1/T1'), /^T1: Greet with a comma\n\nAdded the comma in greet\(\)\./);
    assert.equal(gitIn(env.repo, 'status', '--porcelain'), '', "the user's tree is untouched");

    assert.equal(records.length, 3, 'one usage record per model call');
    assert.ok(records.every((r) => r.ticketId === 'T1' && r.stage === 'work' && r.tier === 'balanced' && r.batchId === 'B1'));
    const billed = sim.billed();
    assert.deepEqual(sumRecords(records), {
      inputTokens: billed.inputTokens,
      outputTokens: billed.outputTokens,
      cacheWrite5mTokens: billed.cacheWrite5mTokens,
      cacheWrite1hTokens: billed.cacheWrite1hTokens,
      cacheReadTokens: billed.cacheReadTokens,
    });
    const cost = records.reduce((n, r) => n + (r.costUsd ?? 0), 0);
    assert.ok(Math.abs(cost - (result.costUsd ?? -1)) < 1e-9);

    const transcript = readFileSync(result.transcriptFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string });
    assert.deepEqual(
      transcript.map((e) => e.kind),
      ['start', 'request', 'response', 'tool_call', 'tool_result', 'request', 'response', 'tool_call', 'tool_result', 'request', 'response', 'tool_call', 'tool_result', 'end'],
    );
    assert.equal(result.transcriptFile, join(env.storage, 'batches/B1/transcripts/T1.jsonl'));
  });

  it('the second ticket on the same model reads the shared prefix from cache on its first request', async () => {
    sim = await startSimulator({
      responder: scriptedResponder([
        toolUseTurn('edit_file', EDIT),
        toolUseTurn('finish', { summary: 'one' }),
        toolUseTurn('write_file', { path: 'NOTES.md', content: 'notes\n' }),
        toolUseTurn('finish', { summary: 'two' }),
      ]),
    });
    const env = makeRepo();
    const records: UsageRecord[] = [];
    const client = makeClient(sim, records);
    await runTicketWorker(workerRequest(env, client));
    const second = await runTicketWorker(workerRequest(env, client, { ticket: { ...TICKET, id: 'T2', title: 'Add notes' } }));
    assert.equal(second.status, 'done', second.reason);

    // The shared prefix as the server counts it: tools + system + the shared batch context.
    const firstOfSecond = sim.requests.filter((r) => r.path === '/v1/messages')[2];
    assert.ok(firstOfSecond);
    const body = firstOfSecond.body as { tools: unknown; system: unknown; messages: { content: unknown[] }[] };
    const sharedPrefix = await client.anthropic.messages.countTokens({
      model: MODEL,
      tools: body.tools as never,
      system: body.system as never,
      messages: [{ role: 'user', content: [body.messages[0]?.content[0]] as never }],
    });
    const t2first = records.find((r) => r.ticketId === 'T2');
    assert.ok(t2first);
    assert.ok(sharedPrefix.input_tokens > 1024, `shared prefix ${sharedPrefix.input_tokens} tokens is cacheable`);
    assert.ok(t2first.cacheReadTokens >= sharedPrefix.input_tokens - 10, `cache read ${t2first.cacheReadTokens} ≥ shared prefix ${sharedPrefix.input_tokens}`);
    const t1first = records.find((r) => r.ticketId === 'T1');
    assert.equal(t1first?.cacheReadTokens, 0, 'the first ticket wrote the cache, it had nothing to read');
    assert.ok((t1first?.cacheWrite5mTokens ?? 0) >= sharedPrefix.input_tokens - 10);
  });

  it('answers unknown tools and invalid input with tool errors the model recovers from', async () => {
    sim = await startSimulator({
      responder: scriptedResponder([
        toolUseTurn('delete_everything', { path: '/' }),
        toolUseTurn('edit_file', { path: 'src/greet.ts' }),
        toolUseTurn('read_file', { path: '../../etc/passwd' }),
        toolUseTurn('edit_file', EDIT),
        toolUseTurn('finish', { summary: 'recovered' }),
      ]),
    });
    const env = makeRepo();
    const result = await runTicketWorker(workerRequest(env, makeClient(sim, [])));
    assert.equal(result.status, 'done', result.reason);
    const results = readFileSync(result.transcriptFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; isError?: boolean; content?: string }).filter((e) => e.kind === 'tool_result');
    assert.deepEqual(results.map((r) => r.isError), [true, true, true, false, false]);
    assert.match(results[0]?.content ?? '', /Unknown tool "delete_everything"\. Available tools: read_file/);
    assert.match(results[1]?.content ?? '', /Invalid input for edit_file/);
    assert.match(results[2]?.content ?? '', /repository/);
  });

  it('ends hopeless runs at the limits with the reason, committing nothing', async () => {
    sim = await startSimulator({ responder: () => toolUseTurn('list_dir', { path: '.' }) });
    const env = makeRepo();
    const turns = await runTicketWorker(workerRequest(env, makeClient(sim, []), { limits: { maxTurns: 4 } }));
    assert.equal(turns.status, 'failed');
    assert.match(turns.reason, /turn limit reached \(4 turns\)/);
    assert.equal(turns.commit, null);
    assert.equal(gitIn(env.repo, 'rev-parse', 'flotilla/B1/T1'), env.base);

    const cost = await runTicketWorker(workerRequest(env, makeClient(sim, []), { batchId: 'B2', limits: { maxCostUsd: 0.000001 } }));
    assert.equal(cost.status, 'failed');
    assert.match(cost.reason, /cost limit reached/);
    assert.equal(cost.turns, 1);

    const output = await runTicketWorker(workerRequest(env, makeClient(sim, []), { batchId: 'B3', limits: { maxOutputTokens: 1 } }));
    assert.match(output.reason, /output token limit reached/);
  });

  it('fails a model that keeps talking without tools', async () => {
    sim = await startSimulator({ responder: () => textTurn('I think the change is easy.') });
    const env = makeRepo();
    const result = await runTicketWorker(workerRequest(env, makeClient(sim, [])));
    assert.equal(result.status, 'failed');
    assert.match(result.reason, /without using a tool or calling finish/);
    assert.equal(result.turns, 2);
  });

  it('cancels promptly mid-call, leaving the branch at the base commit and git consistent', async () => {
    sim = await startSimulator({ responder: () => toolUseTurn('list_dir', { path: '.' }), latencyMs: 5_000 });
    const env = makeRepo();
    const controller = new AbortController();
    // Cancel once the model call is in flight (not after a fixed delay, which a busy machine can spend
    // preparing the worktree).
    const simulator = sim;
    let abortedAt = 0;
    const inFlight = setInterval(() => {
      if (simulator.requests.length === 0) return;
      clearInterval(inFlight);
      abortedAt = Date.now();
      controller.abort();
    }, 10);
    const result = await runTicketWorker(workerRequest(env, makeClient(sim, []), { signal: controller.signal })).finally(() => clearInterval(inFlight));
    assert.equal(result.status, 'cancelled');
    assert.ok(abortedAt > 0 && Date.now() - abortedAt < 4_000, 'did not wait for the slow response');
    assert.equal(gitIn(env.repo, 'rev-parse', 'flotilla/B1/T1'), env.base);
    assert.match(gitIn(env.repo, 'worktree', 'list'), /flotilla\/B1\/T1/);
    assert.equal(gitIn(result.worktree, 'status', '--porcelain'), '');
  });
});

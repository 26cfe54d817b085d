import assert from 'node:assert/strict';
import { buildWorkerRequest } from '../../../src/core/worker/promptLayout';

const ticket = { id: 'T1', title: 'Fix it', description: 'It is broken.', acceptance: [], files: [] };
const conversation = [
  { role: 'assistant' as const, content: [{ type: 'text' as const, text: 'Reading.' }] },
  { role: 'user' as const, content: [{ type: 'text' as const, text: 'file contents' }] },
];
const breakpoints = (request: unknown) => JSON.stringify(request).split('"cache_control"').length - 1;
const texts = (request: ReturnType<typeof buildWorkerRequest>) => JSON.stringify(request.messages[0]);

describe('worker prompt layout', () => {
  it('puts four cache breakpoints: system, shared context, ticket, newest turn', () => {
    const request = buildWorkerRequest({ model: 'm', maxTokens: 100, shared: { repoMap: 'src/: a.ts', batchPlan: 'plan' }, ticket, conversation });
    assert.equal(breakpoints(request), 4);
    assert.match(texts(request), /<repository_map>/);
  });

  it('lays the same request out with no breakpoint when caching is off (the benchmark baseline)', () => {
    const on = buildWorkerRequest({ model: 'm', maxTokens: 100, shared: { repoMap: 'src/: a.ts', batchPlan: 'plan' }, ticket, conversation });
    const off = buildWorkerRequest({ model: 'm', maxTokens: 100, shared: { repoMap: 'src/: a.ts', batchPlan: 'plan', cacheBreakpoints: false }, ticket, conversation });
    assert.equal(breakpoints(off), 0);
    assert.equal(JSON.stringify(off).length, JSON.stringify(on).replaceAll(',"cache_control":{"type":"ephemeral"}', '').length, 'same text otherwise');
  });

  it('leaves the shared block out for a ticket run alone (single mode)', () => {
    const request = buildWorkerRequest({ model: 'm', maxTokens: 100, shared: { repoMap: '', batchPlan: '' }, ticket, conversation: [] });
    assert.doesNotMatch(texts(request), /repository_map|batch_plan/);
    assert.match(texts(request), /<ticket id=\\"T1\\">/);
    assert.equal(breakpoints(request), 2, 'system and ticket');
  });
});

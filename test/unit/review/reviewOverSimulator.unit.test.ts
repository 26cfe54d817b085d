import assert from 'node:assert/strict';
import { LlmClient } from '../../../src/core/llm/llmClient';
import type { UsageRecord } from '../../../src/core/llm/usageRecord';
import { runReviewCall } from '../../../src/core/review/reviewCall';
import { llmReviewModel } from '../../../src/core/review/reviewModel';
import { expertPrompt } from '../../../src/core/review/reviewPrompts';
import { startSimulator } from '../../../src/simulator/simulator';
import type { RecordedRequest, Simulator } from '../../../src/simulator/simulatorTypes';

const messageCount = (request: RecordedRequest): number => {
  const body = request.body as { messages?: unknown[] } | undefined;
  return body?.messages?.length ?? 0;
};

describe('a review over the real SDK and the simulator', () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator();
  });
  afterEach(async () => sim.close());

  it('repairs an invalid reply with a second call, each recorded as a review-stage usage record', async () => {
    // First reply is prose; the repair request (3 messages) gets valid JSON.
    sim.setResponder((request) => ({
      content: [{ type: 'text', text: messageCount(request) === 1 ? 'Looks good to me!' : '```json\n{"verdict":"PASS","findings":[]}\n```' }],
    }));
    const records: UsageRecord[] = [];
    const client = new LlmClient({ apiKey: 'sk-test', baseURL: sim.url, recordUsage: (r) => void records.push(r) });
    const model = llmReviewModel(client);
    const prompt = expertPrompt({ ticket: { id: 'T9', title: 't', description: 'd', acceptance: [] }, diff: '+x', checklist: [] });

    const result = await runReviewCall('T2', 'balanced', prompt, { model, meta: { workspace: 'ws', batchId: 'b', ticketId: 'T9' }, diffHash: 'h' });

    assert.equal(result.verdict, 'PASS');
    assert.equal(result.repaired, true);
    assert.equal(result.model, model.modelFor('balanced'));
    const posted = sim.requests.filter((r) => r.path === '/v1/messages');
    assert.deepEqual(posted.map(messageCount), [1, 3]);
    assert.deepEqual(records.map((r) => [r.stage, r.tier, r.ticketId, r.model]), [
      ['review', 'balanced', 'T9', result.model],
      ['review', 'balanced', 'T9', result.model],
    ]);
  });
});

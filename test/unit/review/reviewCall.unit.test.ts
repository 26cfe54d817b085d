import assert from 'node:assert/strict';
import type { LlmResult } from '../../../src/core/llm/llmClient';
import { runReviewCall } from '../../../src/core/review/reviewCall';
import { llmReviewModel } from '../../../src/core/review/reviewModel';
import { parseReviewOutput } from '../../../src/core/review/reviewOutput';
import { checklistPrompt, type ReviewContext } from '../../../src/core/review/reviewPrompts';
import { fail, FakeReviewModel, MapCache, META, pass } from './fakeReviewModel';

const context: ReviewContext = {
  ticket: { id: 'T1', title: 'Add a greeting', description: 'Say hello.', acceptance: ['Prints hello'] },
  diff: 'diff --git a/src/a.ts b/src/a.ts\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,0 +1,1 @@\n+console.log("hello")\n',
  checklist: ['No secrets'],
};
const finding = { file: 'src/a.ts', line: 1, severity: 'error' as const, message: 'leftover console output' };

describe('parseReviewOutput', () => {
  it('reads plain JSON and a ```json fence with prose around it', () => {
    assert.deepEqual(parseReviewOutput(pass('ok')), { ok: true, output: { verdict: 'PASS', findings: [], summary: 'ok' } });
    const fenced = parseReviewOutput(`Here you go:\n\`\`\`json\n${fail(finding)}\n\`\`\`\nThanks`);
    assert.ok(fenced.ok);
    assert.deepEqual(fenced.output.findings, [finding]);
  });

  it('turns a missing line into null (a file-level finding) and ignores unknown fields', () => {
    const parsed = parseReviewOutput(JSON.stringify({ verdict: 'FAIL', findings: [{ file: 'a.ts', severity: 'warning', message: 'm', extra: 1 }] }));
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.output.findings, [{ file: 'a.ts', line: null, severity: 'warning', message: 'm' }]);
  });

  it('names what is wrong: not JSON, a bad verdict, a bad severity', () => {
    const notJson = parseReviewOutput('PASS, all good');
    assert.ok(!notJson.ok && /not JSON/.test(notJson.error));
    const badVerdict = parseReviewOutput(JSON.stringify({ verdict: 'OK', findings: [] }));
    assert.ok(!badVerdict.ok && /^verdict: /.test(badVerdict.error));
    const badSeverity = parseReviewOutput(JSON.stringify({ verdict: 'FAIL', findings: [{ file: 'a', line: 2, severity: 'critical', message: 'x' }] }));
    assert.ok(!badSeverity.ok && /findings\.0\.severity/.test(badSeverity.error));
    const empty = parseReviewOutput('  ');
    assert.deepEqual(empty, { ok: false, error: 'the reply was empty' });
  });
});

describe('runReviewCall', () => {
  const deps = (model: FakeReviewModel, cache?: MapCache) => ({ model, meta: META, diffHash: 'h1', ...(cache ? { cache } : {}) });

  it('repairs invalid output once, showing the model its reply and the error', async () => {
    const model = new FakeReviewModel((_, i) => (i === 0 ? '{"verdict": "MAYBE"}' : fail(finding)));
    const result = await runReviewCall('T1', 'fast', checklistPrompt(context), deps(model));
    assert.equal(result.valid, true);
    assert.equal(result.repaired, true);
    assert.equal(result.verdict, 'FAIL');
    assert.deepEqual(result.findings, [finding]);
    const repair = model.calls[1]?.prompt.messages ?? [];
    assert.equal(repair.length, 3);
    assert.deepEqual(repair[1], { role: 'assistant', content: '{"verdict": "MAYBE"}' });
    assert.match(repair[2]?.content ?? '', /could not be used: verdict: .*Reply again with only the JSON object/);
  });

  it('counts a review that stays invalid after the repair as FAIL with the reason', async () => {
    const model = new FakeReviewModel(() => 'I think it is fine.');
    const result = await runReviewCall('T2', 'balanced', checklistPrompt(context), deps(model));
    assert.equal(model.calls.length, 2);
    assert.equal(result.verdict, 'FAIL');
    assert.equal(result.valid, false);
    assert.deepEqual(result.findings, []);
    assert.match(result.reason ?? '', /^review output invalid: the reply is not JSON/);
  });

  it('serves a repeated review from the cache and never caches an invalid one', async () => {
    const cache = new MapCache();
    const model = new FakeReviewModel(() => pass());
    await runReviewCall('T1', 'fast', checklistPrompt(context), deps(model, cache));
    const again = await runReviewCall('T1', 'fast', checklistPrompt(context), deps(model, cache));
    assert.equal(model.calls.length, 1);
    assert.equal(again.cached, true);
    assert.equal(again.verdict, 'PASS');

    const invalidCache = new MapCache();
    await runReviewCall('T1', 'fast', checklistPrompt(context), deps(new FakeReviewModel(() => 'nope'), invalidCache));
    assert.equal(invalidCache.map.size, 0);
  });

  it('keys the cache by diff hash, model and prompt (a changed acceptance list is a new review)', async () => {
    const cache = new MapCache();
    const model = new FakeReviewModel(() => pass());
    await runReviewCall('T1', 'fast', checklistPrompt(context), deps(model, cache));
    await runReviewCall('T1', 'balanced', checklistPrompt(context), deps(model, cache));
    await runReviewCall('T1', 'fast', checklistPrompt(context), { ...deps(model, cache), diffHash: 'h2' });
    await runReviewCall('T1', 'fast', checklistPrompt({ ...context, ticket: { ...context.ticket, acceptance: ['Prints bye'] } }), deps(model, cache));
    assert.equal(model.calls.length, 4);
    assert.equal(cache.map.size, 4);
  });

  it('carries on without a cache that throws or holds garbage', async () => {
    const broken = { get: async () => Promise.reject(new Error('disk gone')), set: async () => Promise.reject(new Error('disk gone')) };
    const model = new FakeReviewModel(() => pass());
    const result = await runReviewCall('T1', 'fast', checklistPrompt(context), { model, meta: META, diffHash: 'h', cache: broken });
    assert.equal(result.verdict, 'PASS');

    const garbage = new MapCache();
    garbage.get = async () => '{not json';
    const fresh = await runReviewCall('T1', 'fast', checklistPrompt(context), deps(model, garbage));
    assert.equal(fresh.cached, false);
    assert.equal(model.calls.length, 2);
  });

  it('lets a model error (budget stop, cancel) reach the caller', async () => {
    class BudgetStop extends Error {}
    const model = new FakeReviewModel(() => {
      throw new BudgetStop('over budget');
    });
    await assert.rejects(runReviewCall('T1', 'fast', checklistPrompt(context), deps(model)), BudgetStop);
  });
});

describe('llmReviewModel', () => {
  it('sends the prompt through LlmClient.call as a review-stage call on the tier model', async () => {
    const seen: unknown[] = [];
    const client = {
      call: async (request: unknown, meta: unknown, options: unknown) => {
        seen.push({ request, meta, options });
        // Only .text is read by the adapter.
        return { text: pass() } as LlmResult;
      },
    };
    const model = llmReviewModel(client, { tierModels: { fast: 'm-fast', balanced: 'm-bal', strong: 'm-strong' }, maxTokens: 1000 });
    const signal = new AbortController().signal;
    const prompt = checklistPrompt(context);
    assert.equal(await model.complete(prompt, 'strong', META, signal), pass());
    assert.equal(model.modelFor('balanced'), 'm-bal');
    assert.deepEqual(seen[0], {
      request: { model: 'm-strong', max_tokens: 1000, system: prompt.system, messages: [{ role: 'user', content: prompt.messages[0]?.content }] },
      meta: { ...META, stage: 'review', tier: 'strong' },
      options: { signal },
    });
  });
});

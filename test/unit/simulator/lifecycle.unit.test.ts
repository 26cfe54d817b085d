import assert from 'node:assert/strict';
import { once } from 'node:events';
import { request as httpRequest } from 'node:http';
import { startSimulator } from '../../../src/simulator/simulator';
import { MODEL, sdkClient, filler, userMessage } from './simulatorHarness';

const body = { model: MODEL, max_tokens: 20, messages: [userMessage('hi')] };

describe('simulator: lifecycle', () => {
  it('listens on 127.0.0.1 with an ephemeral port', async () => {
    const sim = await startSimulator();
    try {
      assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(new URL(sim.url).port, '0');
    } finally {
      await sim.close();
    }
  });

  it('close() ends a hanging connection and resolves; the hung request fails', async () => {
    const sim = await startSimulator();
    sim.injectFaults({ kind: 'never_answer' });
    const hung = fetch(`${sim.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify(body),
    });
    while (sim.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    await sim.close();
    await assert.rejects(hung);
    assert.equal(sim.requests.length, 1);
  });

  it('close() also ends a request waiting out injected latency, and the port stops accepting', async () => {
    const sim = await startSimulator({ latencyMs: 60_000 });
    const client = sdkClient(sim);
    const pending = client.messages.create(body);
    while (sim.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    await sim.close();
    await assert.rejects(pending);
    const req = httpRequest(`${sim.url}/v1/models`);
    req.end();
    const [error] = (await once(req, 'error')) as [NodeJS.ErrnoException];
    assert.equal(error.code, 'ECONNREFUSED');
  });

  it('adds latencyMs before every response', async () => {
    const sim = await startSimulator({ latencyMs: 150 });
    try {
      const started = performance.now();
      await sdkClient(sim).models.list();
      assert.ok(performance.now() - started >= 130);
    } finally {
      await sim.close();
    }
  });

  it('offers advanceClock only without an injected clock, and it expires cache entries', async () => {
    const injected = await startSimulator({ clock: () => 0 });
    assert.equal(injected.advanceClock, undefined);
    await injected.close();

    const sim = await startSimulator();
    try {
      const client = sdkClient(sim);
      const params = {
        ...body,
        system: [{ type: 'text' as const, text: filler(1100), cache_control: { type: 'ephemeral' as const } }],
      };
      const first = await client.messages.create(params);
      assert.ok(sim.advanceClock);
      sim.advanceClock(5 * 60_000 + 1);
      const second = await client.messages.create(params);
      assert.equal(second.usage.cache_read_input_tokens, 0);
      assert.equal(second.usage.cache_creation_input_tokens, first.usage.cache_creation_input_tokens);
    } finally {
      await sim.close();
    }
  });
});

import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import type { BetaManagedAgentsSessionEvent } from '@anthropic-ai/sdk/resources/beta/sessions/events';
import { demoResponder } from '../../../src/simulator/demo/demoResponder';
import { scriptedResponder, textTurn, toolUseTurn } from '../../../src/simulator/responders';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { manualClock } from './simulatorHarness';
import { agentAndEnvironment, apiClient, isIdle, MODEL, recordingTool, startWorker, userText, waitForEvent } from './managedAgentsHarness';

type Call = { name: string; input: unknown; worker: string };

function eventTypes(sim: Simulator, sessionId: string): string[] {
  return sim.managedAgents.session(sessionId).events.map((e) => e.type);
}

describe('simulator: Managed Agents control plane', () => {
  let sim: Simulator;
  afterEach(() => sim.close());

  it('keeps every version of an agent; an update that changes nothing keeps the version', async () => {
    sim = await startSimulator();
    const client = apiClient(sim);
    const created = await client.beta.agents.create({ name: 'a', model: MODEL, system: 'one', metadata: { flotillaConfig: 'h1' } });
    assert.equal(created.version, 1);
    assert.deepEqual(created.model, { id: MODEL });
    const same = await client.beta.agents.update(created.id, { system: 'one' });
    assert.equal(same.version, 1);
    const changed = await client.beta.agents.update(created.id, { system: 'two', version: 1 });
    assert.equal(changed.version, 2);
    assert.equal((await client.beta.agents.retrieve(created.id, { version: 1 })).system, 'one');
    assert.equal((await client.beta.agents.retrieve(created.id)).system, 'two');
    const versions = [];
    for await (const v of client.beta.agents.versions.list(created.id)) versions.push(v.version);
    assert.deepEqual(versions, [2, 1]);
    await assert.rejects(client.beta.agents.update(created.id, { system: 'three', version: 1 }), Anthropic.BadRequestError, 'a stale version is refused');
    const listed = [];
    for await (const a of client.beta.agents.list()) listed.push(a.metadata.flotillaConfig);
    assert.deepEqual(listed, ['h1']);
    await client.beta.agents.archive(created.id);
    const afterArchive = [];
    for await (const a of client.beta.agents.list()) afterArchive.push(a.id);
    assert.deepEqual(afterArchive, []);
  });

  it("runs a session's tool calls on the SDK's own EnvironmentWorker and bills each model request", async () => {
    sim = await startSimulator({ responder: scriptedResponder([toolUseTurn('read_file', { path: 'a.ts' }), toolUseTurn('write_file', { path: 'a.ts' }), textTurn('all done')]) });
    const { client, agentId, environmentId, environmentKey } = await agentAndEnvironment(sim, ['read_file', 'write_file']);
    const session = await client.beta.sessions.create({ agent: agentId, environment_id: environmentId, metadata: { batch: 'b1', ticket: 'T1', attempt: '1' }, initial_events: [userText('do the ticket')] });
    assert.deepEqual(sim.managedAgents.workOf(session.id).map((w) => w.work.metadata), [{ batch: 'b1', ticket: 'T1', attempt: '1' }], 'the metadata is projected into the work item');
    const calls: Call[] = [];
    const worker = startWorker(sim, { environmentId, environmentKey, workerId: 'w1', tools: [recordingTool('read_file', calls, 'w1'), recordingTool('write_file', calls, 'w1')] });
    try {
      await waitForEvent(sim, session.id, isIdle('end_turn'));
    } finally {
      await worker.stop();
    }
    assert.deepEqual(calls.map((c) => [c.name, c.input]), [['read_file', { path: 'a.ts' }], ['write_file', { path: 'a.ts' }]]);
    const types = eventTypes(sim, session.id);
    assert.deepEqual(types.filter((t) => t.startsWith('agent.') || t.startsWith('user.')), ['user.message', 'agent.custom_tool_use', 'user.custom_tool_result', 'agent.custom_tool_use', 'user.custom_tool_result', 'agent.message']);
    const view = sim.managedAgents.session(session.id);
    assert.equal(view.billed.requests, 3);
    assert.deepEqual(sim.billed(MODEL), view.billed, 'session requests are billed like /v1/messages calls');
    const snapshots = view.events.filter((e): e is Extract<BetaManagedAgentsSessionEvent, { type: 'session.usage' }> => e.type === 'session.usage');
    const last = snapshots.at(-1)?.usage;
    assert.equal(last?.output_tokens, view.billed.outputTokens);
    assert.equal(last?.input_tokens, view.billed.inputTokens);
    assert.deepEqual(last, view.wire.usage, 'the last snapshot is the session usage');
    const listed = [];
    for await (const e of client.beta.sessions.events.list(session.id, { limit: 2 })) listed.push(e.id);
    assert.deepEqual(listed, view.events.map((e) => e.id), 'the history pages through in order');
    const [work] = sim.managedAgents.workOf(session.id);
    assert.equal(work?.work.state, 'stopped', 'the worker force-stops its item when the session is done');
    assert.deepEqual(work?.claims.map((c) => c.workerId), ['w1']);
  });

  it('gives the item of a worker that stops heartbeating to another worker, and refuses the old holder', async () => {
    // The platform's clock is the test's: the lease lapses when the test says so, not after a real wait.
    const clock = manualClock();
    sim = await startSimulator({ clock: clock.now, responder: scriptedResponder([toolUseTurn('read_file', { path: 'a.ts' }), textTurn('done')]), managedAgents: { leaseTtlSeconds: 30 } });
    const { client, agentId, environmentId, environmentKey } = await agentAndEnvironment(sim, ['read_file']);
    const session = await client.beta.sessions.create({ agent: agentId, environment_id: environmentId, initial_events: [userText('go')] });
    // A worker that claims the item and dies: poll and ack with the environment key, then nothing.
    const dead = new Anthropic({ apiKey: null, authToken: environmentKey, baseURL: sim.url, maxRetries: 0 });
    const claimed = await dead.beta.environments.work.poll(environmentId, { block_ms: 500, 'Anthropic-Worker-ID': 'dead' });
    assert.ok(claimed);
    await dead.beta.environments.work.ack(claimed.id, { environment_id: environmentId });
    assert.equal(await dead.beta.environments.work.poll(environmentId, { block_ms: 0 }), null, 'a held item is not handed out again');
    clock.advance(31_000);
    const calls: Call[] = [];
    const worker = startWorker(sim, { environmentId, environmentKey, workerId: 'w2', tools: [recordingTool('read_file', calls, 'w2')] });
    try {
      await waitForEvent(sim, session.id, isIdle('end_turn'));
    } finally {
      await worker.stop();
    }
    assert.deepEqual(calls.map((c) => c.worker), ['w2']);
    assert.deepEqual(sim.managedAgents.workOf(session.id)[0]?.claims.map((c) => c.workerId), ['dead', 'w2']);
    assert.ok(sim.managedAgents.reclaims >= 1);
    await assert.rejects(dead.beta.environments.work.heartbeat(claimed.id, { environment_id: environmentId, expected_last_heartbeat: 'NO_HEARTBEAT' }), (e: unknown) => {
      assert.ok(e instanceof Anthropic.APIError);
      assert.equal(e.status, 412);
      assert.equal(e.errorCode, 'heartbeat_precondition_failed');
      return true;
    });
  });

  it('stops a session at its ceiling once the request that crossed it completed', async () => {
    const turns = Array.from({ length: 20 }, () => toolUseTurn('read_file', { path: 'x'.repeat(2000) }));
    sim = await startSimulator({ responder: scriptedResponder(turns) });
    const { client, agentId, environmentId, environmentKey } = await agentAndEnvironment(sim, ['read_file']);
    const session = await client.beta.sessions.create({ agent: agentId, environment_id: environmentId, budget: { type: 'limit', max_list_cost: { amount: '1', currency: 'USD' } }, initial_events: [userText('go')] });
    const worker = startWorker(sim, { environmentId, environmentKey, workerId: 'w1', tools: [recordingTool('read_file', [], 'w1')] });
    try {
      await waitForEvent(sim, session.id, isIdle('budget_reached'));
    } finally {
      await worker.stop();
    }
    const wire = sim.managedAgents.session(session.id).wire;
    const cents = Number(wire.usage.list_cost?.amount);
    assert.ok(cents >= 1, `stopped at ${cents} cents`);
    const requests = sim.managedAgents.session(session.id).billed.requests;
    assert.ok(requests < 20, 'no request starts once the ceiling is reached');
  });

  it('interrupts a session waiting for a tool result; archiving terminates it and its worker stops', async () => {
    sim = await startSimulator({ responder: scriptedResponder([toolUseTurn('read_file', { path: 'a' }), textTurn('never')]) });
    const { client, agentId, environmentId } = await agentAndEnvironment(sim, ['read_file']);
    const session = await client.beta.sessions.create({ agent: agentId, environment_id: environmentId, initial_events: [userText('go')] });
    await waitForEvent(sim, session.id, isIdle('requires_action'));
    await client.beta.sessions.events.send(session.id, { events: [{ type: 'user.interrupt' }] });
    assert.equal((await client.beta.sessions.retrieve(session.id)).status, 'idle');
    assert.equal(eventTypes(sim, session.id).at(-1), 'session.status_idle');
    const archived = await client.beta.sessions.archive(session.id);
    assert.equal(archived.status, 'terminated');
    assert.ok(archived.archived_at);
    assert.deepEqual(sim.managedAgents.workOf(session.id).map((w) => w.work.state), ['stopped'], 'a queued item of a terminated session stops');
    await assert.rejects(client.beta.sessions.events.send(session.id, { events: [userText('more')] }), Anthropic.BadRequestError);
  });

  it('queues new work for a dormant session when a message comes after its worker left', async () => {
    sim = await startSimulator({ responder: scriptedResponder([toolUseTurn('read_file', { path: 'a' }), textTurn('first done'), toolUseTurn('read_file', { path: 'b' }), textTurn('second done')]) });
    const { client, agentId, environmentId, environmentKey } = await agentAndEnvironment(sim, ['read_file']);
    const session = await client.beta.sessions.create({ agent: agentId, environment_id: environmentId, initial_events: [userText('first')] });
    const calls: Call[] = [];
    const worker = startWorker(sim, { environmentId, environmentKey, workerId: 'w1', tools: [recordingTool('read_file', calls, 'w1')], maxIdleMs: 50 });
    try {
      await waitForEvent(sim, session.id, isIdle('end_turn'));
      // The worker leaves an idle session after maxIdleMs and stops its item.
      const deadline = Date.now() + 10_000;
      while (sim.managedAgents.workOf(session.id)[0]?.work.state !== 'stopped' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await client.beta.sessions.events.send(session.id, { events: [userText('second')] });
      await waitForEvent(sim, session.id, (e) => e.type === 'agent.message' && e.content.some((b) => b.type === 'text' && b.text === 'second done'));
    } finally {
      await worker.stop();
    }
    assert.deepEqual(calls.map((c) => c.input), [{ path: 'a' }, { path: 'b' }]);
    assert.equal(sim.managedAgents.workOf(session.id).length, 2, 'the second message queued a second work item');
  });

  it("plays the demo's worker scripts as the session's model: a fix loop is a later message of the same session", async () => {
    sim = await startSimulator({ responder: demoResponder() });
    const client = apiClient(sim);
    const tools = ['read_file', 'write_file', 'edit_file', 'finish'];
    const agent = await client.beta.agents.create({ name: 'worker', model: 'claude-haiku-4-5', system: 'You are a Flotilla worker.', tools: tools.map((name) => ({ type: 'custom' as const, name, description: name, input_schema: { type: 'object' as const } })) });
    const environment = await client.beta.environments.create({ name: 'e', config: { type: 'self_hosted' } });
    const environmentKey = sim.managedAgents.environmentKey(environment.id);
    const session = await client.beta.sessions.create({ agent: agent.id, environment_id: environment.id, initial_events: [userText('<ticket id="D3">\nTitle: count words\n</ticket>')] });
    const calls: Call[] = [];
    const worker = startWorker(sim, { environmentId: environment.id, environmentKey, workerId: 'w', tools: tools.map((name) => recordingTool(name, calls, 'w')) });
    try {
      await waitForEvent(sim, session.id, isIdle('end_turn'));
      await client.beta.sessions.events.send(session.id, { events: [userText('Your previous attempt did not pass review. Fix these findings:\nempty text')] });
      await waitForEvent(sim, session.id, (e) => e.type === 'agent.message' && sim.managedAgents.session(session.id).events.filter((x) => x.type === 'agent.message').length === 2);
    } finally {
      await worker.stop();
    }
    // D3 on the fast tier: read, write, write the tests, finish; the fix loop: read, write, finish.
    assert.deepEqual(calls.map((c) => c.name), ['read_file', 'write_file', 'write_file', 'finish', 'read_file', 'write_file', 'finish']);
  });

  it('takes the environment key for its queue only, and an API key for the control plane', async () => {
    sim = await startSimulator();
    const { client, agentId, environmentId, environmentKey } = await agentAndEnvironment(sim, ['read_file']);
    await assert.rejects(client.beta.environments.work.poll(environmentId, { block_ms: 0 }), Anthropic.AuthenticationError, 'an API key cannot poll');
    const other = await client.beta.environments.create({ name: 'other', config: { type: 'self_hosted' } });
    const session = await client.beta.sessions.create({ agent: agentId, environment_id: environmentId });
    const otherKey = new Anthropic({ apiKey: null, authToken: sim.managedAgents.environmentKey(other.id), baseURL: sim.url, maxRetries: 0 });
    await assert.rejects(otherKey.beta.sessions.retrieve(session.id), Anthropic.AuthenticationError, "another environment's key reaches none of this one's sessions");
    const ownKey = new Anthropic({ apiKey: null, authToken: environmentKey, baseURL: sim.url, maxRetries: 0 });
    assert.equal((await ownKey.beta.sessions.retrieve(session.id)).id, session.id);
    await assert.rejects(ownKey.beta.agents.create({ name: 'x', model: MODEL }), Anthropic.PermissionDeniedError, 'an environment key creates nothing');
    const noBeta = await fetch(`${sim.url}/v1/agents`, { headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' } });
    assert.equal(noBeta.status, 400, 'the beta header is required');
  });
});

import assert from 'node:assert/strict';
import { BatchRuntime } from '../../../src/core/batch/batchRuntime';
import { silentLogger } from '../../../src/core/logger';
import { defaultSettings } from '../../../src/core/settings/settingsSchema';
import { foldLedger } from '../../../src/core/store/ledgerReader';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator } from '../../../src/simulator/simulatorTypes';
import { gitIn, makeRepo, ticket, workerResponder, type WorkerCall } from './batchHarness';

describe('Request Changes on a finished ticket (BatchRuntime.runChangeRequest)', function () {
  this.timeout(60_000);
  let sim: Simulator;
  afterEach(async () => sim?.close());

  it('runs a fix loop with the reviewer’s words in the ticket’s worktree, commits on its branch and records it', async () => {
    const calls: WorkerCall[] = [];
    sim = await startSimulator({ responder: workerResponder(() => 'edit', calls) });
    const { repo, storage } = makeRepo();
    const settings = defaultSettings();
    const runtime = await BatchRuntime.open({ batchId: 'B1', storage, globalStorage: storage, settings, endpoint: { apiKey: 'sk-ant-test', baseURL: sim.url }, logger: silentLogger });
    const cr = ticket('CR', { review: 'minimal' });
    try {
      const info = { repoRoot: repo, workspace: repo, mode: 'direct', tier: 'auto', simulated: true, picks: {} };
      const summary = await runtime.runRecorded({ repo, workspace: repo, tickets: [cr], settings, mode: 'direct', tier: 'auto', simulated: true }, { info });
      const first = summary.tickets[0];
      assert.equal(first?.state, 'done');
      assert.ok(first?.commit && first.startCommit);

      const feedback = 'Please also say which model wrote the note.';
      const after = await runtime.runChangeRequest({ ticket: cr, record: first, repoRoot: repo, workspace: repo, feedback });
      assert.equal(after.state, 'done');
      assert.deepEqual(calls.map((c) => c.fixing), [false, true], 'the second run is a fix loop');
      const fixRequest = sim.requests.filter((r) => r.path === '/v1/messages').at(-2);
      assert.ok(JSON.stringify(fixRequest?.body).includes(feedback), 'the reviewer’s words reach the worker');
      assert.deepEqual(after.stages.map((s) => s.stage), ['work', 'review', 'fix', 'review']);
      assert.notEqual(after.commit, first.commit);
      assert.equal(gitIn(repo, 'rev-parse', 'flotilla/B1/CR'), after.commit);
      assert.equal(gitIn(repo, 'rev-list', '--count', `${first.startCommit}..flotilla/B1/CR`), '2');

      const stored = await runtime.store.load('B1');
      const record = (stored?.state.extra as { records: Record<string, { stages: unknown[] }> }).records.CR;
      assert.equal(record?.stages.length, 4, 'the change request is in the batch state');
      let ledgerCalls = 0;
      await foldLedger(storage, () => void ledgerCalls++);
      assert.equal(ledgerCalls, sim.billed().requests, 'every call of both runs is in the ledger once');
    } finally {
      await runtime.close();
    }
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { LlmClient } from '../../../src/core/llm/llmClient';
import { MeteringProxy } from '../../../src/core/llm/meteringProxy';
import { ModelCost } from '../../../src/core/llm/modelCost';
import { parseLedgerEntry, type LedgerEntry } from '../../../src/core/llm/reservationRecord';
import { silentLogger } from '../../../src/core/logger';
import { BudgetGuard } from '../../../src/core/store/budget';
import { memoryAlertMemory } from '../../../src/core/store/budgetAlerts';
import { monthSpend } from '../../../src/core/store/ledgerReader';
import { UsageLedger } from '../../../src/core/store/ledgerWriter';
import { ledgerFile, monthOf } from '../../../src/core/store/storagePaths';
import { textTurn } from '../../../src/simulator/responders';
import { startSimulator } from '../../../src/simulator/simulator';
import type { Simulator, SimulatedTurn } from '../../../src/simulator/simulatorTypes';

const MODEL = 'claude-sonnet-5-5';
const META = { workspace: 'ws', batchId: 'B1', ticketId: 'T1', stage: 'work', tier: 'balanced' } as const;

/** What the ledger holds right now, straight from the file (as a process reading after a kill would). */
function ledgerNow(storage: string): LedgerEntry[] {
  let text = '';
  try {
    text = readFileSync(ledgerFile(storage, monthOf(Date.now())), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const parsed = parseLedgerEntry(JSON.parse(line));
      assert.ok(parsed.success, line);
      return parsed.data;
    });
}

const openIds = (entries: readonly LedgerEntry[]): string[] => {
  const open = new Set<string>();
  for (const e of entries) {
    if ('kind' in e) open.add(e.reservationId);
    else if (e.reservationId) open.delete(e.reservationId);
  }
  return [...open];
};

interface Wiring {
  readonly storage: string;
  readonly sim: Simulator;
  readonly ledger: UsageLedger;
  readonly hooks: ReturnType<BudgetGuard['clientHooks']>;
  /** Open reservations in the ledger file at the moment each request reached the simulator. */
  readonly openOnArrival: string[][];
}

/** The simulator's responder looks at the ledger file as each request arrives. */
async function wire(): Promise<Wiring> {
  const storage = await mkdtemp(join(tmpdir(), 'flotilla-reserve-'));
  const openOnArrival: string[][] = [];
  const sim = await startSimulator({
    responder: (): SimulatedTurn => {
      openOnArrival.push(openIds(ledgerNow(storage)));
      return textTurn('Done: the ticket is fixed, with a few words more.');
    },
  });
  const ledger = new UsageLedger({ globalStorage: storage, logger: silentLogger });
  const guard = new BudgetGuard({ limits: { monthlyUsd: null, batchUsd: 100 }, monthSpentUsd: 0, month: monthOf(Date.now()), alerts: memoryAlertMemory() });
  const hooks = guard.clientHooks((entry) => ledger.append(entry));
  return { storage, sim, ledger, hooks, openOnArrival };
}

describe('a reservation is on disk before the model call is sent (issue 20 item 4)', () => {
  let w: Wiring | undefined;
  afterEach(async () => {
    await w?.ledger.close();
    await w?.sim.close();
  });

  it("built-in engine: Flotilla's client reserves each attempt durably, the answer's record closes it, a cut stream leaves it open", async () => {
    w = await wire();
    const client = new LlmClient({ apiKey: 'sk-test', baseURL: w.sim.url, recordUsage: w.hooks.recordUsage, beforeCall: w.hooks.beforeCall, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 }, logger: silentLogger });
    await client.call({ model: MODEL, max_tokens: 2000, messages: [{ role: 'user', content: 'fix it' }] }, META);
    assert.equal(w.openOnArrival.length, 1);
    assert.equal(w.openOnArrival[0]?.length, 1, 'one open reservation in the ledger file when the request arrived');
    assert.deepEqual(openIds(ledgerNow(w.storage)), [], 'the usage record closed it');

    // A 529 is answered without billing: it closes its reservation; the cut stream after it does not.
    w.sim.injectFaults({ kind: 'overloaded' }, { kind: 'cut_mid_stream', afterEvents: 3 });
    await assert.rejects(client.call({ model: MODEL, max_tokens: 2000, messages: [{ role: 'user', content: 'again' }] }, META));
    const entries = ledgerNow(w.storage);
    assert.equal(entries.filter((e) => 'kind' in e).length, 3, 'one reservation per attempt');
    const open = openIds(entries);
    assert.equal(open.length, 1, 'the cut attempt may have been billed in full: its reservation stays open');
    const spend = await monthSpend(w.storage, monthOf(Date.now()));
    assert.equal(spend.unknown.calls, 1);
    assert.ok(spend.unknown.atMostUsd > 0);
  });

  it('a refused connection closes its reservation: nothing reached a server', async () => {
    w = await wire();
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const client = new LlmClient({ apiKey: 'sk-test', baseURL: `http://127.0.0.1:${closedPort}`, recordUsage: w.hooks.recordUsage, beforeCall: w.hooks.beforeCall, retry: { maxAttempts: 1 }, logger: silentLogger });
    await assert.rejects(client.call({ model: MODEL, max_tokens: 2000, messages: [{ role: 'user', content: 'fix it' }] }, META), (e: unknown) => e instanceof Error && e.name === 'ConnectionFailedError');
    const entries = ledgerNow(w.storage);
    assert.equal(entries.length, 2, 'a reservation and the failed attempt');
    assert.deepEqual(openIds(entries), []);
  });

  it('Claude Code engine: the metering proxy reserves each request durably before forwarding it', async () => {
    w = await wire();
    const proxy = await MeteringProxy.start({ upstream: { baseURL: w.sim.url, apiKey: 'sk-ant-real' }, meter: w.hooks, cost: new ModelCost({ logger: silentLogger }), logger: silentLogger });
    try {
      const run = proxy.openRun({ ...META, engine: 'claude-code' }, { maxCostUsd: 100, maxOutputTokens: 1_000_000 });
      const client = new Anthropic({ apiKey: proxy.token, baseURL: run.baseURL, maxRetries: 0 });
      await client.messages.create({ model: MODEL, max_tokens: 2000, messages: [{ role: 'user', content: 'fix it' }] });
      assert.equal(w.openOnArrival[0]?.length, 1, 'the reservation was in the ledger file when the request reached the API');
      const entries = ledgerNow(w.storage);
      const reservation = entries.find((e) => 'kind' in e);
      assert.ok(reservation && 'kind' in reservation);
      assert.equal(reservation.engine, 'claude-code');
      assert.deepEqual(openIds(entries), [], 'the usage record closed it');
    } finally {
      await proxy.close();
    }
  });
});

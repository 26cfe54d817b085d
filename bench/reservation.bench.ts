/**
 * What the ledger reservation costs per model call (issue 20 item 4): every attempt now appends and
 * fsyncs a reservation record before it is sent, on top of the usage record after it. Measured side
 * by side in one run, through Flotilla's own client against the simulator on loopback with the
 * ledger on disk, as BatchRuntime wires it: the same calls with the reservation record written, and
 * with it left out (the hooks before this change). Runs alternate, so load on a shared machine hits
 * both alike; one call at a time (the worst case: no group commit), and eight at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlmClient, type LlmClientOptions } from '../src/core/llm/llmClient';
import { RateLimiter } from '../src/core/llm/rateLimiter';
import { isReservation } from '../src/core/llm/reservationRecord';
import { silentLogger } from '../src/core/logger';
import { BudgetGuard } from '../src/core/store/budget';
import { memoryAlertMemory } from '../src/core/store/budgetAlerts';
import { UsageLedger } from '../src/core/store/ledgerWriter';
import { monthOf } from '../src/core/store/storagePaths';
import { textTurn } from '../src/simulator/responders';
import { startSimulator } from '../src/simulator/simulator';
import { writeBenchResult } from './benchResults';

const CALLS = Number(process.env.BENCH_RESERVATION_CALLS ?? 100);
const ROUNDS = 9;
const META = { workspace: 'bench', batchId: 'bench', ticketId: 'T1', stage: 'work', tier: 'fast' } as const;

interface Measured {
  /** Wall time per call. */
  readonly msPerCall: number;
  /** Median time from asking the budget hook to the request leaving: where the reservation's fsync is paid. */
  readonly admitMs: number;
}

/** `CALLS` calls, `parallel` at a time, with or without reservation records. */
async function measure(url: string, reserve: boolean, parallel: number): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-bench-reserve-'));
  const ledger = new UsageLedger({ globalStorage: dir, logger: silentLogger });
  const guard = new BudgetGuard({ limits: { monthlyUsd: null, batchUsd: 1_000 }, monthSpentUsd: 0, month: monthOf(Date.now()), alerts: memoryAlertMemory() });
  // Without: the same hooks, with the reservation line not written (what every call did before).
  const hooks = guard.clientHooks((entry) => (reserve || !isReservation(entry) ? ledger.append(entry) : Promise.resolve()));
  const admits: number[] = [];
  const beforeCall: LlmClientOptions['beforeCall'] = async (worst, request, sizing) => {
    const started = performance.now();
    const allowed = await hooks.beforeCall(worst, request, sizing);
    admits.push(performance.now() - started);
    return allowed;
  };
  const client = new LlmClient({ apiKey: 'sk-ant-bench', baseURL: url, recordUsage: hooks.recordUsage, beforeCall, limiter: new RateLimiter({ maxConcurrency: parallel }), logger: silentLogger });
  const request = { model: 'claude-haiku-5-5', max_tokens: 1024, messages: [{ role: 'user' as const, content: 'Say done.' }] };
  await client.call(request, META); // SDK loaded, connection open
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next++ < CALLS) await client.call(request, META);
    }),
  );
  const ms = (performance.now() - started) / CALLS;
  await ledger.close();
  rmSync(dir, { recursive: true, force: true });
  return { msPerCall: ms, admitMs: median(admits.slice(1)) };
}

/** The cost the reservation adds at the least: one more line appended and fdatasync'ed, alone. */
async function appendMs(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'flotilla-bench-append-'));
  const ledger = new UsageLedger({ globalStorage: dir, logger: silentLogger });
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    await ledger.append({ v: 1, kind: 'reservation', ts: new Date().toISOString(), ...META, model: 'claude-haiku-5-5', reservationId: `r${i}`, reservedUsd: 0.001, attempt: 1 });
    times.push(performance.now() - started);
  }
  await ledger.close();
  rmSync(dir, { recursive: true, force: true });
  return median(times);
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

async function main(): Promise<void> {
  const sim = await startSimulator({ responder: () => textTurn('done') });
  const values: Record<string, number> = {};
  try {
    const append = await appendMs();
    values.reservation_append_ms = round3(append);
    console.log(`one reservation record appended and fdatasync'ed: ${append.toFixed(3)} ms (median of ${CALLS})`);
    for (const parallel of [1, 8]) {
      const withReservation: Measured[] = [];
      const without: Measured[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        // Alternating, so load on a shared machine falls on both alike.
        const first = round % 2 === 0;
        const a = await measure(sim.url, first, parallel);
        const b = await measure(sim.url, !first, parallel);
        withReservation.push(first ? a : b);
        without.push(first ? b : a);
      }
      const key = parallel === 1 ? 'sequential' : `parallel_${parallel}`;
      const admitWith = median(withReservation.map((m) => m.admitMs));
      const admitWithout = median(without.map((m) => m.admitMs));
      values[`reservation_admit_ms_${key}`] = round3(admitWith);
      values[`no_reservation_admit_ms_${key}`] = round3(admitWithout);
      values[`reservation_ms_per_call_${key}`] = round3(median(withReservation.map((m) => m.msPerCall)));
      values[`no_reservation_ms_per_call_${key}`] = round3(median(without.map((m) => m.msPerCall)));
      console.log(
        `${parallel} at a time, ${CALLS} calls × ${ROUNDS} rounds each way: before the request leaves ${admitWithout.toFixed(3)} ms without the reservation record, ` +
          `${admitWith.toFixed(3)} ms with it (+${(admitWith - admitWithout).toFixed(3)} ms per call); whole call ${median(without.map((m) => m.msPerCall)).toFixed(1)} vs ${median(withReservation.map((m) => m.msPerCall)).toFixed(1)} ms`,
      );
    }
  } finally {
    await sim.close();
  }
  writeBenchResult('overhead', values, 'reservation');
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

void main();

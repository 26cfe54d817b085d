/**
 * Rate limits (issue 15, `rate_limit`): 20 tickets against the simulator limited to 50 requests per
 * minute. The tickets are the batching bench's, but every tier solves them here, so a ticket can only
 * fail because of the rate limit. Reported: admitted requests per complete minute ÷ the limit, the
 * 429s the server sent, and tickets that did not finish.
 *
 * Time runs 2× faster than the wall clock for everything that measures or waits on it — the
 * simulator's one-minute window, the client's limiter, retry-after waits, the ledger's timestamps —
 * so the run takes about half the real minutes. Work that takes real time (git, gates, the
 * engine itself) counts twice in that time, which can only lower the measured rate, never raise it.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { realSleep, type Sleep } from '../src/core/llm/sleep';
import { startSimulator } from '../src/simulator/simulator';
import { writeBenchResult } from './benchResults';
import { loadCalibration, locateCalibrationFile } from './calibrationData';
import { runBenchBatch } from './kit/benchBatch';
import { benchTempDir } from './kit/benchTempDir';
import { makeBenchRepo } from './kit/benchRepo';
import { drawOracle, writeBenchTickets } from './kit/benchTickets';
import { oracleResponder } from './kit/oracleResponder';

const TICKETS = 20;
const LIMIT_RPM = 50;
const SPEED = 2;
const CONCURRENCY = 16;
const MINUTE = 60_000;

async function main(): Promise<void> {
  const located = locateCalibrationFile();
  if (located.file === null) throw new Error('calibration.jsonl not found (set FLOTILLA_CALIBRATION)');
  const dir = benchTempDir('flotilla-bench-rate-');
  try {
    const repo = makeBenchRepo(dir);
    const drawn = drawOracle(loadCalibration(located.file), repo, TICKETS);
    const oracle = drawn.oracle.map((o) => ({ ...o, solves: { fast: true, balanced: true, strong: true } }));
    const { tickets } = await writeBenchTickets(dir, drawn.rows, oracle);
    const start = Date.now();
    const clock = () => start + (Date.now() - start) * SPEED;
    const sleep: Sleep = (ms, signal) => realSleep(ms / SPEED, signal);
    const sim = await startSimulator({ clock, rateLimit: { requestsPerMinute: LIMIT_RPM }, responder: oracleResponder({ oracle, content: repo.content }) });
    try {
      const result = await runBenchBatch({ batchId: 'rate', repo: repo.repo, storage: join(dir, 'storage'), tickets, baseURL: sim.url, mode: 'auto', concurrency: CONCURRENCY, clock, sleep });
      const admitted = new Set(result.records.filter((r) => r.error === undefined && r.requestId !== null).map((r) => r.requestId));
      const times = sim.requests.filter((r) => r.path === '/v1/messages' && admitted.has(r.id)).map((r) => r.at).sort((a, b) => a - b);
      const first = times[0] ?? 0;
      const perMinute: number[] = [];
      for (const t of times) perMinute[Math.floor((t - first) / MINUTE)] = (perMinute[Math.floor((t - first) / MINUTE)] ?? 0) + 1;
      // The last minute is cut short by the end of the batch; only complete minutes measure the rate.
      const complete = perMinute.slice(0, -1).map((n) => n ?? 0);
      const rate = complete.length > 0 ? complete.reduce((a, b) => a + b, 0) / complete.length : null;
      const http429 = result.records.filter((r) => r.error === 'RateLimitedError').length;
      const failed = result.summary.tickets.filter((t) => t.state !== 'done').length;
      console.log(
        `${TICKETS} tickets, concurrency ${CONCURRENCY}, limit ${LIMIT_RPM} requests/minute (time ×${SPEED}): ${times.length} requests admitted over ${((times.at(-1)! - first) / MINUTE).toFixed(2)} min\n` +
          `admitted per complete minute: ${complete.join(', ')} → ${rate?.toFixed(1) ?? '—'}/min = ${rate === null ? '—' : (rate / LIMIT_RPM).toFixed(3)} of the limit; ${http429} × 429; ${failed} ticket(s) not done; ${((Date.now() - start) / 1000).toFixed(0)} s real`,
      );
      writeBenchResult(
        'rate_limit',
        { rate_over_limit: rate === null ? null : rate / LIMIT_RPM, http_429: http429, failed_tickets: failed, limit_rpm: LIMIT_RPM, requests: times.length, per_minute: complete, time_speedup: SPEED, concurrency: CONCURRENCY },
        'ratelimit',
        rate === null ? { rate_over_limit: 'the batch finished within one minute: no complete minute to measure' } : undefined,
      );
    } finally {
      await sim.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

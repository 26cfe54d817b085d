// Engines benchmark (issue 14, issue 15 item 8): the built-in agent loop and Claude Code on the same six
// demo tickets, each against a fresh simulator (same scripted model, same prompt caching), one ticket at
// a time so the caches warm the same way. From each batch's ledger: the worker tokens of the first
// ticket (cold caches: what Claude Code's larger system prompt and tool list cost), the mean of the
// later tickets (how much of it they read from cache), the share of prompt tokens read from cache,
// and the whole batch's cost per ticket (reviews included; they are the same for both engines).
import type { UsageRecord } from '../src/core/llm/usageRecord';
import { writeBenchResult } from './benchResults';
import { runDemoBatch, type DemoEngine } from './kit/demoBatch';

const ENGINES: readonly DemoEngine[] = ['builtin', 'claude-code'];

interface EngineFigures {
  first_ticket_tokens: number;
  later_ticket_tokens: number;
  cache_read_share: number;
  usd_per_ticket: number;
}

const tokens = (r: UsageRecord) => r.inputTokens + r.outputTokens + r.cacheWrite5mTokens + r.cacheWrite1hTokens + r.cacheReadTokens;

function figures(records: readonly UsageRecord[]): EngineFigures {
  const worker = records.filter((r) => r.stage === 'work' || r.stage === 'fix');
  const order = [...new Set(worker.map((r) => r.ticketId as string))];
  const perTicket = order.map((id) => worker.filter((r) => r.ticketId === id).reduce((n, r) => n + tokens(r), 0));
  const prompt = worker.reduce((n, r) => n + r.inputTokens + r.cacheWrite5mTokens + r.cacheWrite1hTokens + r.cacheReadTokens, 0);
  const later = perTicket.slice(1);
  return {
    first_ticket_tokens: perTicket[0] ?? 0,
    later_ticket_tokens: Math.round(later.reduce((n, t) => n + t, 0) / Math.max(1, later.length)),
    cache_read_share: Math.round((worker.reduce((n, r) => n + r.cacheReadTokens, 0) / Math.max(1, prompt)) * 1000) / 1000,
    usd_per_ticket: Math.round((records.reduce((n, r) => n + (r.costUsd ?? 0), 0) / Math.max(1, order.length)) * 1e6) / 1e6,
  };
}

async function main(): Promise<void> {
  const values: Partial<Record<DemoEngine, EngineFigures | null>> = {};
  const reasons: Record<string, string> = {};
  for (const engine of ENGINES) {
    const started = Date.now();
    const batch = await runDemoBatch({ engine, concurrency: 1 });
    // Claude Code is a devDependency for one platform: elsewhere the CLI says it found no executable (exit 2).
    if (batch.exitCode === 2 && engine === 'claude-code') {
      values[engine] = null;
      reasons[engine] = `Claude Code could not run here: ${batch.errors.join(' ').slice(0, 300)}`;
      console.log(`${engine.padEnd(12)} not measured: ${reasons[engine]}`);
      continue;
    }
    if (batch.exitCode !== 0) throw new Error(`the ${engine} batch ended with exit code ${batch.exitCode}: ${batch.errors.join(' ')}`);
    const v = figures(batch.records);
    values[engine] = v;
    console.log(
      `${engine.padEnd(12)} first ticket ${v.first_ticket_tokens} tokens, later tickets ${v.later_ticket_tokens} on average, ` +
        `${(v.cache_read_share * 100).toFixed(1)}% of prompt tokens read from cache, $${v.usd_per_ticket.toFixed(6)} per ticket (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  }
  const b = values.builtin;
  const c = values['claude-code'];
  if (b && c) {
    console.log(`claude-code / builtin: first ticket ×${(c.first_ticket_tokens / b.first_ticket_tokens).toFixed(2)}, later tickets ×${(c.later_ticket_tokens / b.later_ticket_tokens).toFixed(2)}, $ per ticket ×${(c.usd_per_ticket / b.usd_per_ticket).toFixed(2)}`);
  }
  writeBenchResult('engines', values, 'engines', reasons);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

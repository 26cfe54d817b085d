// Engines benchmark (issue 14, issue 15 item 8): the built-in agent loop and Claude Code on the same six
// demo tickets, each against a fresh simulator (same scripted model, same prompt caching), one ticket at
// a time so the caches warm the same way. From each batch's ledger: the worker tokens of the first
// ticket (cold caches: what Claude Code's larger system prompt and tool list cost), the mean of the
// later tickets (how much of it they read from cache), the share of prompt tokens read from cache,
// and the whole batch's cost per ticket (reviews included; they are the same for both engines).
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/main';
import { writeDemoProject } from '../src/cli/demoCommand';
import type { UsageRecord } from '../src/core/llm/usageRecord';
import { demoResponder } from '../src/simulator/demo/demoResponder';
import { startSimulator } from '../src/simulator/simulator';
import { writeBenchResult } from './benchResults';

const ENGINES = ['builtin', 'claude-code'] as const;

interface EngineFigures {
  first_ticket_tokens: number;
  later_ticket_tokens: number;
  cache_read_share: number;
  usd_per_ticket: number;
}

const tokens = (r: UsageRecord) => r.inputTokens + r.outputTokens + r.cacheWrite5mTokens + r.cacheWrite1hTokens + r.cacheReadTokens;

async function measure(engine: (typeof ENGINES)[number]): Promise<EngineFigures> {
  const root = mkdtempSync(join(tmpdir(), `flotilla-bench-engines-${engine}-`));
  const repo = join(root, 'textkit');
  writeDemoProject(repo);
  const storage = join(root, 'storage');
  const sim = await startSimulator({ responder: demoResponder() });
  const quiet = { out: () => undefined, err: () => undefined };
  try {
    const args = ['run', '--repo', repo, '--all', '--api-base', sim.url, '--engine', engine, '--mode', 'direct', '--concurrency', '1', '--storage', storage, '--json'];
    const code = await runCli(args, quiet);
    if (code !== 0) throw new Error(`the ${engine} batch ended with exit code ${code}`);
  } finally {
    await sim.close();
  }
  const records = readdirSync(join(storage, 'ledger')).flatMap((name) =>
    readFileSync(join(storage, 'ledger', name), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as UsageRecord),
  );
  const worker = records.filter((r) => r.stage === 'work' || r.stage === 'fix');
  const order = [...new Set(worker.map((r) => r.ticketId as string))];
  const perTicket = order.map((id) => worker.filter((r) => r.ticketId === id).reduce((n, r) => n + tokens(r), 0));
  const prompt = worker.reduce((n, r) => n + r.inputTokens + r.cacheWrite5mTokens + r.cacheWrite1hTokens + r.cacheReadTokens, 0);
  const later = perTicket.slice(1);
  return {
    first_ticket_tokens: perTicket[0] ?? 0,
    later_ticket_tokens: Math.round(later.reduce((n, t) => n + t, 0) / Math.max(1, later.length)),
    cache_read_share: Math.round((worker.reduce((n, r) => n + r.cacheReadTokens, 0) / Math.max(1, prompt)) * 1000) / 1000,
    usd_per_ticket: Math.round((records.reduce((n, r) => n + (r.costUsd ?? 0), 0) / order.length) * 1e6) / 1e6,
  };
}

async function main(): Promise<void> {
  // Claude Code gets its own config folder: nothing of this machine's user settings takes part.
  process.env.CLAUDE_CONFIG_DIR = mkdtempSync(join(tmpdir(), 'flotilla-bench-claude-config-'));
  process.env.ANTHROPIC_API_KEY = 'sk-ant-bench-simulated';
  const values: Record<string, EngineFigures> = {};
  for (const engine of ENGINES) {
    const started = Date.now();
    values[engine] = await measure(engine);
    const v = values[engine];
    console.log(
      `${engine.padEnd(12)} first ticket ${v.first_ticket_tokens} tokens, later tickets ${v.later_ticket_tokens} on average, ` +
        `${(v.cache_read_share * 100).toFixed(1)}% of prompt tokens read from cache, $${v.usd_per_ticket.toFixed(6)} per ticket (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
  }
  const b = values.builtin as EngineFigures;
  const c = values['claude-code'] as EngineFigures;
  console.log(`claude-code / builtin: first ticket ×${(c.first_ticket_tokens / b.first_ticket_tokens).toFixed(2)}, later tickets ×${(c.later_ticket_tokens / b.later_ticket_tokens).toFixed(2)}, $ per ticket ×${(c.usd_per_ticket / b.usd_per_ticket).toFixed(2)}`);
  writeBenchResult('engines', values, 'engines');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

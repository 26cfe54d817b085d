/**
 * The tickets of a benchmark batch: real issue texts from the routing calibration set, each paired
 * with one module of the bench repository to change, and with that real outcome per tier
 * (does gpt-5-mini / gpt-5 / sonnet-4-5 resolve it), which decides whether the simulated worker on
 * that tier writes a fix that passes the check. Drawing whole issues keeps each tier's success rate
 * and the correlation between tiers as they are on real issues (a ticket strong cannot do is mostly
 * one the cheaper tiers cannot do either) — independent draws per tier would make escalation look
 * better than it is.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tier } from '../../src/core/llm/usageRecord';
import { loadTickets } from '../../src/core/tickets/loadTickets';
import type { Ticket } from '../../src/core/tickets/ticketSchema';
import type { CalibrationRow } from '../calibrationData';
import type { BenchRepo } from './benchRepo';
import { seeded, shuffled } from './seeded';

/** The seed of every draw (issue texts, targets); stated in bench/README.md and the README. */
export const BENCH_SEED = 15;

/** Issue texts are cut here: some issues paste whole logs, and a ticket is a request, not an attachment. */
const MAX_BODY_CHARS = 4000;

export interface OracleTicket {
  readonly id: string;
  /** The module the fix belongs in. */
  readonly target: string;
  readonly solves: Readonly<Record<Tier, boolean>>;
}

export interface BenchTickets {
  readonly tickets: readonly Ticket[];
  readonly oracle: readonly OracleTicket[];
}

/** The first `count` tickets of one seeded order, so a batch of 10 holds the batch of 5 (the curve is comparable across N). */
export function drawOracle(rows: readonly CalibrationRow[], repo: BenchRepo, count: number, seed = BENCH_SEED): { oracle: OracleTicket[]; rows: CalibrationRow[] } {
  if (count > rows.length) throw new RangeError(`${count} tickets asked, the calibration set has ${rows.length}`);
  const random = seeded(seed);
  const order = shuffled(rows, random).slice(0, count);
  const targets = shuffled(repo.modules, random).slice(0, count);
  const oracle = order.map((row, i) => ({
    id: `T${String(i + 1).padStart(3, '0')}`,
    target: targets[i] as string,
    solves: { fast: row.outcomes.fast.resolved, balanced: row.outcomes.balanced.resolved, strong: row.outcomes.strong.resolved },
  }));
  return { oracle, rows: order };
}

/** Writes the tickets as ticket files and loads them the way a batch does. */
export async function writeBenchTickets(dir: string, rows: readonly CalibrationRow[], oracle: readonly OracleTicket[]): Promise<BenchTickets> {
  const folder = join(dir, 'tickets');
  mkdirSync(folder, { recursive: true });
  oracle.forEach((o, i) => {
    const row = rows[i] as CalibrationRow;
    const body = row.ticket.body.length > MAX_BODY_CHARS ? `${row.ticket.body.slice(0, MAX_BODY_CHARS)}\n…` : row.ticket.body;
    writeFileSync(join(folder, `${o.id}.md`), `---\nid: ${o.id}\ntitle: ${JSON.stringify(row.ticket.title.slice(0, 200) || o.id)}\n---\n${body}\n`);
  });
  const set = await loadTickets(folder);
  if (set.problems.length > 0) throw new Error(`bench tickets do not load: ${set.problems.map((p) => p.message).join('; ')}`);
  return { tickets: set.tickets, oracle };
}

/**
 * The simulated model of the batch benchmarks. It answers the three kinds of request Flotilla sends
 * (a worker turn, the planning call, a review) the way a competent agent would on the bench repo, and
 * lets the calibration outcomes decide one thing only: whether the fix a tier writes is right. A
 * wrong fix really fails the build gate (`node scripts/check.js`), so fix loops and escalation run
 * and cost what they cost.
 *
 * How much a worker has to look around depends only on what its prompt gives it:
 * - the target file named in its part of the batch plan: it reads it straight away;
 * - a repository map but no plan naming the file: one search to find it;
 * - neither (a ticket run alone): two directory listings and a search first.
 * It writes the fix and runs the check; a worker whose tier cannot solve the ticket sees the check
 * fail and tries once more before it finishes, as agents do. A fix loop rereads the file and
 * rewrites it.
 */
import { z } from 'zod';
import { DEFAULT_TIER_MODELS } from '../../src/core/llm/tiers';
import type { Tier } from '../../src/core/llm/usageRecord';
import { textTurn } from '../../src/simulator/responders';
import type { Responder, SimulatedTurn } from '../../src/simulator/simulatorTypes';
import { CHECK_COMMAND } from './benchRepo';
import type { OracleTicket } from './benchTickets';

const block = z.looseObject({ type: z.string(), text: z.string().optional() });
const content = z.union([z.string(), z.array(block)]);
const requestShape = z.object({
  model: z.string(),
  system: z.union([z.string(), z.array(block)]).optional(),
  messages: z.array(z.object({ role: z.string(), content })),
});
const textOf = (value: z.infer<typeof content> | undefined): string => (value === undefined ? '' : typeof value === 'string' ? value : value.map((b) => b.text ?? '').join('\n'));

export interface OracleOptions {
  readonly oracle: readonly OracleTicket[];
  /** The committed content of every module (a fix is the original module plus the ticket's function). */
  readonly content: ReadonlyMap<string, string>;
  readonly tierModels?: Readonly<Record<Tier, string>>;
}

function turn(thought: string, name: string, input: unknown): SimulatedTurn {
  return { content: [{ type: 'text', text: thought }, { type: 'tool_use', name, input }], stopReason: 'tool_use' };
}

/** The module with the ticket's function added; `right` decides whether the check passes. */
export function fixedModule(original: string, ticketId: string, area: string, right: boolean, variant: number): string {
  const fn = `/** fixed_${ticketId}: the change ticket ${ticketId} asks for, checked by scripts/check.js. */
function fixed_${ticketId}() {
  const items = [{ ${area}Id: 1 }, { ${area}Id: ${variant + 1} }, { other: true }];
  const kept = items.filter((item) => item.${area}Id !== undefined);
  return kept.length === ${right ? 2 : 3 + variant};
}

module.exports = { fixed_${ticketId}, `;
  return original.replace('module.exports = { ', fn);
}

function workerTurn(o: OracleTicket, options: OracleOptions, tier: Tier, prompt: string, step: number, title: string): SimulatedTurn {
  const fixing = prompt.includes('did not pass review');
  const planned = prompt.includes('From the batch plan:') && prompt.slice(prompt.indexOf('From the batch plan:')).includes(o.target);
  const mapped = prompt.includes('<repository_map>');
  const original = options.content.get(o.target) ?? '';
  const area = o.target.split('/')[1] ?? 'item';
  const symbol = /module\.exports = \{ (\w+)/.exec(original)?.[1] ?? area;
  const right = o.solves[tier];
  const turns: SimulatedTurn[] = [];
  if (!fixing && !planned) {
    if (!mapped) {
      turns.push(turn(`The ticket says: "${title.slice(0, 120)}". I do not know this repository yet, so I start by looking at its layout.`, 'list_dir', { path: '.' }));
      turns.push(turn('The application code is under src/, one folder per feature. Listing it to see which feature this ticket belongs to.', 'list_dir', { path: 'src' }));
    }
    turns.push(turn(`The behaviour described sounds like the ${area} feature. Searching for where ${symbol} is defined to find the module that handles it.`, 'search_text', { pattern: `function ${symbol}\\b` }));
  }
  turns.push(turn(`Reading ${o.target} before changing it, to follow its style and see how the items are filtered.`, 'read_file', { path: o.target }));
  turns.push(turn(`Adding the fix to ${o.target}: a function that keeps only the items of this feature, exported next to the others.`, 'write_file', { path: o.target, content: fixedModule(original, o.id, area, right, 1) }));
  turns.push(turn(`Running the build check to confirm the change.`, 'run_command', { command: CHECK_COMMAND }));
  if (!right) {
    turns.push(turn(`The check still fails for fixed_${o.id}. Adjusting the filter and trying again.`, 'write_file', { path: o.target, content: fixedModule(original, o.id, area, false, 2) }));
  }
  const summary = right ? `Added fixed_${o.id} to ${o.target}; the build check passes.` : `Changed ${o.target} (fixed_${o.id}) but could not make the build check pass.`;
  turns.push(turn(fixing ? 'Addressed the review findings.' : 'Done with this ticket.', 'finish', { summary }));
  return turns[Math.min(step, turns.length - 1)] as SimulatedTurn;
}

function planTurn(prompt: string, oracle: readonly OracleTicket[]): SimulatedTurn {
  const ids = [...prompt.matchAll(/<ticket id="([^"]+)">/g)].map((m) => m[1] as string);
  const tickets = ids.map((id) => {
    const o = oracle.find((t) => t.id === id);
    const file = o?.target ?? 'src/';
    return { id, class: 'standard', likelyFiles: [file], steps: [`Edit ${file}: add the ticket's fix next to the module's other functions`, `Run ${CHECK_COMMAND}`], acceptanceChecks: [`${CHECK_COMMAND} passes`] };
  });
  return textTurn(JSON.stringify({ summary: `Independent fixes, one module each; every change is checked by ${CHECK_COMMAND}.`, tickets }));
}

export function oracleResponder(options: OracleOptions): Responder {
  const tierModels = options.tierModels ?? DEFAULT_TIER_MODELS;
  const tierOf = (model: string): Tier => (Object.keys(tierModels) as Tier[]).find((t) => tierModels[t] === model) ?? 'strong';
  return (recorded) => {
    const parsed = requestShape.safeParse(recorded.body);
    if (!parsed.success) return textTurn('I could not read that request.');
    const system = textOf(parsed.data.system);
    const prompt = textOf(parsed.data.messages[0]?.content);
    if (system.includes('You are a Flotilla worker')) {
      const id = /<ticket id="([^"]+)">/.exec(prompt)?.[1];
      const o = options.oracle.find((t) => t.id === id);
      const step = parsed.data.messages.filter((m) => m.role === 'assistant').length;
      const title = /Title: ([^\n]*)/.exec(prompt)?.[1] ?? '';
      if (!o) return turn('This ticket is not part of the benchmark.', 'finish', { summary: 'no change' });
      return workerTurn(o, options, tierOf(parsed.data.model), prompt, step, title);
    }
    if (system.includes('planner of a Flotilla batch')) return planTurn(prompt, options.oracle);
    if (system.includes('"verdict"')) return textTurn(JSON.stringify({ verdict: 'PASS', findings: [], summary: 'The change does what the ticket asks; the build check covers it.' }));
    return textTurn('This is a simulated response.');
  };
}

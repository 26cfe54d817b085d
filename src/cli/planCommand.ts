import { parseArgs } from 'node:util';
import { estimateSelection, routeSelection } from '../core/batch/runBatch';
import { buildDag } from '../core/batch/dag';
import { modelForTier } from '../core/llm/tiers';
import { sandboxLine, sandboxState } from '../core/session/sandboxNotice';
import type { CliIo } from './cliIo';
import { resolveSelection, SELECTION_FLAGS } from './selectionOptions';
import { EXIT } from './usageError';
import { formatUsd } from '../core/vocabulary/amounts';
import { table } from './textTable';

/** `flotilla plan`: classification, tiers with reasons, the schedule and the cost estimate; no worker runs. */
export async function planCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: SELECTION_FLAGS, strict: true, allowPositionals: false });
  const { selection } = await resolveSelection(values, io.err);
  const decisions = routeSelection(selection.tickets, { mode: selection.mode, tier: selection.tier, settings: selection.settings });
  const estimate = estimateSelection(decisions, { mode: selection.mode, settings: selection.settings });
  const ids = new Set(selection.tickets.map((t) => t.id));
  const dag = buildDag(selection.tickets.map((t) => ({ id: t.id, dependsOn: t.dependsOn.filter((d) => ids.has(d)), predictedFiles: t.files, priority: t.priority })));
  const tiers = selection.settings['llm.tiers'];
  const rows = selection.tickets.map((t) => {
    const d = decisions.get(t.id);
    if (!d) throw new Error(`no routing decision for ${t.id}`);
    return { id: t.id, class: d.complexityClass, score: d.score, tier: d.tier ?? d.modelId ?? '', model: d.modelId ?? modelForTier(d.tier ?? 'strong', tiers), maxTier: d.maxTier ?? '', reason: d.reason, after: [...(dag.nodes.get(t.id)?.dependsOn ?? []), ...(dag.nodes.get(t.id)?.runsAfter ?? [])].join(',') };
  });
  const sandbox = await sandboxState(selection.settings);
  if (values.json) {
    io.out(JSON.stringify({ mode: estimate.mode, modeReason: estimate.modeReason, estimate: estimate.breakEven, capUsd: estimate.capUsd, budgetUsd: selection.budgetUsd, schedule: dag.order, tickets: rows, sandbox }));
    return EXIT.ok;
  }
  io.out(table(['ticket', 'class', 'score', 'tier', 'model', 'max', 'after', 'reason'], rows.map((r) => [r.id, r.class, String(r.score), r.tier, r.model, r.maxTier, r.after || '—', r.reason])));
  io.out('');
  io.out(`schedule (ready queue, longest remaining path first): ${dag.order.join(' → ')}`);
  io.out(`mode: ${estimate.mode} — ${estimate.modeReason}`);
  io.out(`estimate: orchestrated overhead ${formatUsd(estimate.breakEven.orchestratedUsd)} vs single-agent ${formatUsd(estimate.breakEven.singleAgentUsd)}; at most ${formatUsd(estimate.capUsd)} under the per-run caps`);
  if (selection.budgetUsd !== null) io.out(`budget: ${formatUsd(selection.budgetUsd)} for this batch`);
  io.out(`sandbox: ${sandboxLine(sandbox, 'terminal') ?? 'gates and allowed commands run in the bubblewrap sandbox'}`);
  return EXIT.ok;
}

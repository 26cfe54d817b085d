import { DEFAULT_ESTIMATED_DURATION, DEFAULT_TICKET_PRIORITY, dagNodeInputSchema } from './dagNode';
import type { Dag, DagNode, DagNodeInput } from './dagNode';
import { DagDuplicateIdError, DagInvalidNodeError, DagUnknownDependencyError } from './dagErrors';
import { fileOverlapEdges } from './dagOverlap';
import { topologicalOrder } from './dagOrder';

/**
 * Builds the scheduling graph: explicit `dependsOn` edges, then file-overlap edges, then each
 * ticket's remaining critical path. Throws a DagError (cycle, unknown dependency, duplicate id,
 * invalid input) rather than scheduling part of a batch that cannot be ordered.
 */
export function buildDag(input: readonly DagNodeInput[]): Dag {
  const parsed = input.map((raw, index) => {
    const result = dagNodeInputSchema.safeParse(raw);
    if (!result.success) {
      throw new DagInvalidNodeError(index, result.error.issues.map((i) => `${i.path.join('.') || 'node'}: ${i.message}`).join('; '));
    }
    return result.data;
  });

  const byId = new Map<string, (typeof parsed)[number]>();
  for (const node of parsed) {
    if (byId.has(node.id)) throw new DagDuplicateIdError(node.id);
    byId.set(node.id, node);
  }
  for (const node of parsed) {
    for (const dep of node.dependsOn) {
      if (!byId.has(dep)) throw new DagUnknownDependencyError(node.id, dep);
    }
  }

  const ids = parsed.map((n) => n.id);
  const dependsOn = (id: string): string[] => [...new Set(byId.get(id)?.dependsOn ?? [])];
  // Cycles are checked on the user's edges alone: overlap edges are added so they cannot make one.
  topologicalOrder(ids, dependsOn);

  const dependents = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const id of ids) for (const dep of dependsOn(id)) dependents.get(dep)?.push(id);
  const successors = new Map<string, string[]>(ids.map((id) => [id, [...(dependents.get(id) ?? [])]]));
  const priorityOf = (id: string): number => byId.get(id)?.priority ?? DEFAULT_TICKET_PRIORITY;
  const overlapEdges = fileOverlapEdges(
    parsed.map((n) => ({ id: n.id, priority: priorityOf(n.id), predictedFiles: n.predictedFiles })),
    successors,
  );

  const runsAfter = new Map<string, string[]>(ids.map((id) => [id, []]));
  const runsBefore = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const edge of overlapEdges) {
    runsAfter.get(edge.after)?.push(edge.before);
    runsBefore.get(edge.before)?.push(edge.after);
  }
  const order = topologicalOrder(ids, (id) => [...dependsOn(id), ...(runsAfter.get(id) ?? [])]);

  const durationOf = (id: string): number => byId.get(id)?.estimatedDuration ?? DEFAULT_ESTIMATED_DURATION;
  const criticalPath = new Map<string, number>();
  for (const id of [...order].reverse()) {
    const longestAfter = Math.max(0, ...(successors.get(id) ?? []).map((next) => criticalPath.get(next) ?? 0));
    criticalPath.set(id, durationOf(id) + longestAfter);
  }

  const nodes = new Map<string, DagNode>();
  for (const id of order) {
    const source = byId.get(id) as (typeof parsed)[number];
    const ownDependsOn = dependsOn(id);
    nodes.set(id, {
      id,
      priority: priorityOf(id),
      estimatedDuration: durationOf(id),
      predictedFiles: source.predictedFiles,
      dependsOn: ownDependsOn,
      runsAfter: runsAfter.get(id) ?? [],
      dependents: dependents.get(id) ?? [],
      runsBefore: runsBefore.get(id) ?? [],
      criticalPath: criticalPath.get(id) ?? 0,
    });
  }
  return { nodes, order, overlapEdges };
}
